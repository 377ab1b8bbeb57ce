using Distribution.Operations;

namespace Distribution.Integration.BusinessEvents;

/// <summary>The business event of an exception raised (one per occurrence).</summary>
internal static class ExceptionEvents
{
    public static BusinessEvent Raised(string id, ExceptionRecord record) => new()
    {
        EventId = BusinessEventIds.For(BusinessEventTypes.ExceptionRaised, id, record.Occurrences.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        Type = BusinessEventTypes.ExceptionRaised,
        EntityKind = "exception",
        EntityId = id,
        CorrelationId = record.Raised.CorrelationId,
        OccurredAt = record.Raised.OccurredAt,
        Payload = BusinessEventPayload.Of(new
        {
            id,
            kind = record.Raised.Kind,
            reason = record.Raised.Reason,
            warehouseId = record.Raised.WarehouseId,
            sku = record.Raised.Sku,
            orderId = record.Raised.OrderId,
            lineId = record.Raised.LineId,
            transferId = record.Raised.TransferId,
            purchaseOrderId = record.Raised.PurchaseOrderId,
            occurrences = record.Occurrences,
            retryable = record.Raised.Retryable,
        }),
    };
}
