using Distribution.Orders;

namespace Distribution.Integration.BusinessEvents;

/// <summary>An order's business events: allocated, backordered, rejected, shipped (in part or in full), cancelled.</summary>
internal static class OrderEvents
{
    public static List<BusinessEvent> From(OrderView order, int from) =>
        TimelineEvents.From(order.Timeline, from, e => e.Status, TypesOf, (entry, index, type) => new BusinessEvent
        {
            EventId = BusinessEventIds.For(type, order.OrderId, TimelineEvents.Transition(index)),
            Type = type,
            EntityKind = "order",
            EntityId = order.OrderId,
            CorrelationId = entry.CorrelationId,
            OccurredAt = entry.At,
            Payload = BusinessEventPayload.Of(new
            {
                orderId = order.OrderId,
                status = entry.Status,
                description = entry.Description,
                channel = order.Channel,
                priority = order.Priority,
                shipTo = order.ShipTo,
                createdAt = order.CreatedAt,
                rejectionReason = order.RejectionReason,
                lines = order.Lines.Select(l => new
                {
                    l.LineId,
                    l.Sku,
                    l.Quantity,
                    l.Allocations,
                    l.BackorderedQuantity,
                    l.PickedQuantity,
                    l.ShippedQuantity,
                }),
            }),
        });

    private static IEnumerable<string> TypesOf(OrderStatus status) => status switch
    {
        OrderStatus.Allocated => [BusinessEventTypes.OrderAllocated],
        OrderStatus.PartiallyAllocated => [BusinessEventTypes.OrderAllocated, BusinessEventTypes.OrderBackordered],
        OrderStatus.Backordered => [BusinessEventTypes.OrderBackordered],
        OrderStatus.Rejected => [BusinessEventTypes.OrderRejected],
        OrderStatus.PartiallyShipped or OrderStatus.Shipped => [BusinessEventTypes.OrderShipped],
        OrderStatus.Cancelled => [BusinessEventTypes.OrderCancelled],
        _ => [],
    };
}
