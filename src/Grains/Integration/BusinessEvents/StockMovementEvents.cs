using Distribution.Events;

namespace Distribution.Integration.BusinessEvents;

/// <summary>
/// The finance feed's events, one per applied warehouse event that moves stock value: shipments,
/// receipts (free and against a purchase order), adjustments, transfer shipments and receipts.
/// The id comes from the warehouse event's id, so a redelivered event yields the same one.
/// </summary>
internal static class StockMovementEvents
{
    public static BusinessEvent? Of(JournaledEvent journaled)
    {
        var e = journaled.Event;
        var type = e.Type switch
        {
            WarehouseEventType.Shipped => BusinessEventTypes.FinanceShipment,
            WarehouseEventType.Received or WarehouseEventType.PurchaseReceived => BusinessEventTypes.FinanceReceipt,
            WarehouseEventType.Adjusted => BusinessEventTypes.FinanceAdjustment,
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
                // Signed: shipments and transfer shipments take stock out.
                quantity = e.Type is WarehouseEventType.Shipped or WarehouseEventType.TransferShipped ? -e.Quantity : e.Quantity,
                e.ReasonCode,
                e.OrderId,
                e.LineId,
                e.TransferId,
                e.PurchaseOrderId,
                journalSequence = journaled.Sequence,
            }),
        };
    }
}
