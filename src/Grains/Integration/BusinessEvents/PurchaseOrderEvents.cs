using Distribution.Purchasing;

namespace Distribution.Integration.BusinessEvents;

/// <summary>A purchase order's business events: created, sent (what the supplier's 850 is made from), shipped (ship notice), received, closed, cancelled.</summary>
internal static class PurchaseOrderEvents
{
    public static List<BusinessEvent> From(PurchaseOrderView po, int from) =>
        TimelineEvents.From(po.Timeline, from, e => e.Status, TypesOf, (entry, index, type) => new BusinessEvent
        {
            EventId = BusinessEventIds.For(type, po.PurchaseOrderId, TimelineEvents.Transition(index)),
            Type = type,
            EntityKind = "purchaseOrder",
            EntityId = po.PurchaseOrderId,
            CorrelationId = entry.CorrelationId,
            OccurredAt = entry.At,
            Payload = BusinessEventPayload.Of(new
            {
                purchaseOrderId = po.PurchaseOrderId,
                status = entry.Status,
                description = entry.Description,
                po.SupplierId,
                po.WarehouseId,
                po.Reason,
                po.CreatedAt,
                po.SentAt,
                po.ExpectedArrival,
                po.Eta,
                po.Lines,
            }),
        });

    private static IEnumerable<string> TypesOf(PurchaseOrderStatus status) => status switch
    {
        PurchaseOrderStatus.Created => [BusinessEventTypes.PurchaseOrderCreated],
        PurchaseOrderStatus.Sent => [BusinessEventTypes.PurchaseOrderSent],
        PurchaseOrderStatus.Shipped => [BusinessEventTypes.PurchaseOrderShipped],
        PurchaseOrderStatus.PartiallyReceived or PurchaseOrderStatus.Received => [BusinessEventTypes.PurchaseOrderReceived],
        PurchaseOrderStatus.Closed => [BusinessEventTypes.PurchaseOrderClosed],
        PurchaseOrderStatus.Cancelled => [BusinessEventTypes.PurchaseOrderCancelled],
        _ => [],
    };
}
