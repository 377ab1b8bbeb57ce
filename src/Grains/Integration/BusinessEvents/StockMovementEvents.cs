using Distribution.Events;

namespace Distribution.Integration.BusinessEvents;

/// <summary>
/// The finance feed's events, one per applied warehouse event that moves stock value: shipments,
/// receipts (free and against a purchase order), adjustments and counts (as the adjustment they
/// imply), transfer shipments and receipts. The id comes from the warehouse event's id, so a
/// redelivered event yields the same one.
/// </summary>
internal static class StockMovementEvents
{
    /// <param name="countDifference">
    /// For a count: what it changed on-hand by (<see cref="EventApplication.CountDifference"/>). A
    /// count that changed nothing, or whose difference is not known, moves no value and yields no event.
    /// </param>
    public static BusinessEvent? Of(JournaledEvent journaled, int? countDifference = null)
    {
        var e = journaled.Event;
        int? counted = null;
        if (e.Type == WarehouseEventType.Counted)
        {
            if (countDifference is not (int difference and not 0))
            {
                return null;
            }

            counted = difference;
        }

        var type = e.Type switch
        {
            WarehouseEventType.Shipped => BusinessEventTypes.FinanceShipment,
            WarehouseEventType.Received or WarehouseEventType.PurchaseReceived => BusinessEventTypes.FinanceReceipt,
            WarehouseEventType.Adjusted or WarehouseEventType.Counted => BusinessEventTypes.FinanceAdjustment,
            WarehouseEventType.TransferShipped => BusinessEventTypes.FinanceTransferShipment,
            WarehouseEventType.TransferReceived => BusinessEventTypes.FinanceTransferReceipt,
            _ => null,
        };
        if (type is null)
        {
            return null;
        }

        return new BusinessEvent
        {
            EventId = BusinessEventIds.For(type, e.WarehouseId, e.EventId),
            Type = type,
            EntityKind = "warehouse",
            EntityId = e.WarehouseId,
            CorrelationId = journaled.CorrelationId,
            OccurredAt = e.OccurredAt,
            Payload = BusinessEventPayload.Of(new
            {
                warehouseEventId = e.EventId,
                warehouseEventType = e.Type,
                e.WarehouseId,
                e.Sku,
                // Signed: shipments and transfer shipments take stock out; a count is its difference.
                quantity = counted ?? (e.Type is WarehouseEventType.Shipped or WarehouseEventType.TransferShipped ? -e.Quantity : e.Quantity),
                countedQuantity = counted is null ? (int?)null : e.Quantity,
                reasonCode = counted is null ? e.ReasonCode : e.ReasonCode ?? "COUNT",
                e.OrderId,
                e.LineId,
                e.TransferId,
                e.PurchaseOrderId,
                journalSequence = journaled.Sequence,
            }),
        };
    }
}
