namespace Distribution.Integration.BusinessEvents;

/// <summary>
/// Something that happened to a business entity, told to the world outside the hub (webhook
/// subscribers, the finance feed, the EDI outbound writer). Published by the grain that owns the
/// entity once the change is stored. Its id is derived from the entity and the transition, so
/// publishing the same transition again (a retry, a recovery) yields the same id and is recognised.
/// </summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed record BusinessEvent
{
    [Id(0)] public required string EventId { get; init; }
    /// <summary>One of <see cref="BusinessEventTypes"/>.</summary>
    [Id(1)] public required string Type { get; init; }
    /// <summary>order, transfer, purchaseOrder, recommendation, exception or warehouse.</summary>
    [Id(2)] public required string EntityKind { get; init; }
    [Id(3)] public required string EntityId { get; init; }
    [Id(4)] public string? CorrelationId { get; init; }
    /// <summary>Business time of the transition.</summary>
    [Id(5)] public DateTimeOffset OccurredAt { get; init; }
    /// <summary>The event's data as a JSON object (camelCase).</summary>
    [Id(6)] public required string Payload { get; init; }
    /// <summary>
    /// The W3C trace context of the activity that published it (null when nothing was being traced):
    /// a webhook delivery's span is its child, so a trace runs from the request to the subscriber.
    /// </summary>
    [Id(7)] public string? TraceParent { get; init; }

    /// <summary>Ordering of deliveries is kept per this key.</summary>
    public string EntityKey => $"{EntityKind}:{EntityId}";
}

/// <summary>The event types the hub publishes (the names subscribers use).</summary>
public static class BusinessEventTypes
{
    public const string OrderAllocated = "order.allocated";
    public const string OrderBackordered = "order.backordered";
    public const string OrderRejected = "order.rejected";
    public const string OrderShipped = "order.shipped";
    public const string OrderCancelled = "order.cancelled";
    public const string TransferRequested = "transfer.requested";
    public const string TransferShipped = "transfer.shipped";
    public const string TransferReceived = "transfer.received";
    public const string TransferCancelled = "transfer.cancelled";
    public const string PurchaseOrderCreated = "purchaseOrder.created";
    public const string PurchaseOrderSent = "purchaseOrder.sent";
    public const string PurchaseOrderShipped = "purchaseOrder.shipped";
    public const string PurchaseOrderReceived = "purchaseOrder.received";
    public const string PurchaseOrderClosed = "purchaseOrder.closed";
    public const string PurchaseOrderCancelled = "purchaseOrder.cancelled";
    public const string ReplenishmentRecommended = "replenishment.recommended";
    public const string ExceptionRaised = "exception.raised";

    /// <summary>Finance feed: goods issued to a customer (a <c>Shipped</c> warehouse event applied).</summary>
    public const string FinanceShipment = "finance.shipment";
    /// <summary>Finance feed: goods received (a <c>Received</c> or <c>PurchaseReceived</c> event applied).</summary>
    public const string FinanceReceipt = "finance.receipt";
    /// <summary>Finance feed: a stock adjustment or count difference.</summary>
    public const string FinanceAdjustment = "finance.adjustment";
    /// <summary>Finance feed: stock left a warehouse on a transfer.</summary>
    public const string FinanceTransferShipment = "finance.transferShipment";
    /// <summary>Finance feed: stock arrived on a transfer.</summary>
    public const string FinanceTransferReceipt = "finance.transferReceipt";

    public static readonly IReadOnlyList<string> Finance =
        [FinanceShipment, FinanceReceipt, FinanceAdjustment, FinanceTransferShipment, FinanceTransferReceipt];

    public static readonly IReadOnlyList<string> All =
    [
        OrderAllocated, OrderBackordered, OrderRejected, OrderShipped, OrderCancelled,
        TransferRequested, TransferShipped, TransferReceived, TransferCancelled,
        PurchaseOrderCreated, PurchaseOrderSent, PurchaseOrderShipped, PurchaseOrderReceived, PurchaseOrderClosed, PurchaseOrderCancelled,
        ReplenishmentRecommended, ExceptionRaised,
        .. Finance,
    ];

    public static bool IsKnown(string type) => All.Contains(type, StringComparer.Ordinal);
}

/// <summary>Event ids from what they are about, so a republished transition is recognised.</summary>
public static class BusinessEventIds
{
    /// <summary><paramref name="transition"/> names the change within the entity: a timeline index, an event id, an occurrence.</summary>
    public static string For(string type, string entityId, string transition) => $"{type}:{entityId}:{transition}";
}
