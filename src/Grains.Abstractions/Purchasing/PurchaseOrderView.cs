using Distribution.Common;

namespace Distribution.Purchasing;

public enum PurchaseOrderStatus
{
    /// <summary>Raised; not yet sent to the supplier. Counted as on order at the destination already.</summary>
    Created = 0,
    /// <summary>Sent to the supplier (the outbound event other systems subscribe to).</summary>
    Sent = 1,
    /// <summary>The supplier confirmed it.</summary>
    Acknowledged = 2,
    /// <summary>The supplier's ship notice (ASN) arrived: goods are on their way.</summary>
    Shipped = 3,
    /// <summary>Some units arrived; more are expected.</summary>
    PartiallyReceived = 4,
    /// <summary>Everything expected arrived (what was ordered, or what the ship notice said shipped).</summary>
    Received = 5,
    /// <summary>Closed: nothing more is expected (the rest, if any, is no longer on order).</summary>
    Closed = 6,
    /// <summary>Cancelled before anything shipped.</summary>
    Cancelled = 7,
}

[GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed record PurchaseOrderLineView
{
    [Id(0)] public required string Sku { get; init; }
    [Id(1)] public int OrderedQuantity { get; init; }
    /// <summary>What the supplier's ship notice says shipped (0 until it arrives).</summary>
    [Id(2)] public int ShippedQuantity { get; init; }
    [Id(3)] public int ReceivedQuantity { get; init; }
    /// <summary>Still expected, counted as inbound at the destination (ordered − received, or shipped − received after the ship notice; 0 once closed or cancelled).</summary>
    [Id(4)] public int OnOrderQuantity { get; init; }
}

/// <summary>One transition of a purchase order, at business time, with the correlation id of the request or event that caused it.</summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed record PurchaseOrderTimelineEntry(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] PurchaseOrderStatus Status,
    [property: Id(2)] string Description,
    [property: Id(3)] string? CorrelationId);

[GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed record PurchaseOrderView
{
    [Id(0)] public required string PurchaseOrderId { get; init; }
    [Id(1)] public PurchaseOrderStatus Status { get; init; }
    [Id(2)] public required string SupplierId { get; init; }
    /// <summary>The destination warehouse.</summary>
    [Id(3)] public required string WarehouseId { get; init; }
    [Id(4)] public string? Reason { get; init; }
    [Id(5)] public DateTimeOffset CreatedAt { get; init; }
    [Id(6)] public DateTimeOffset? SentAt { get; init; }
    [Id(7)] public DateTimeOffset? AcknowledgedAt { get; init; }
    /// <summary>When the ship notice was recorded.</summary>
    [Id(8)] public DateTimeOffset? ShippedAt { get; init; }
    [Id(9)] public DateTimeOffset? ClosedAt { get; init; }
    [Id(10)] public DateTimeOffset? CancelledAt { get; init; }
    /// <summary>The supplier's lead time when the order was raised (later changes do not move its dates).</summary>
    [Id(11)] public double LeadTimeDays { get; init; }
    /// <summary>By when the supplier should have shipped: the expected arrival minus one day.</summary>
    [Id(12)] public DateTimeOffset ExpectedShipDate { get; init; }
    /// <summary>Sent (or, until sent, created) plus the lead time, or the requested delivery date if later.</summary>
    [Id(13)] public DateTimeOffset ExpectedArrival { get; init; }
    /// <summary>The ship notice's ETA once it arrived, else the expected arrival.</summary>
    [Id(14)] public DateTimeOffset Eta { get; init; }
    /// <summary>A purchaseOrderLate exception is open for it.</summary>
    [Id(15)] public bool Late { get; init; }
    [Id(16)] public IReadOnlyList<PurchaseOrderLineView> Lines { get; init; } = [];
    [Id(17)] public IReadOnlyList<PurchaseOrderTimelineEntry> Timeline { get; init; } = [];
    /// <summary>Deliver not before this day (from the request), if one was asked for.</summary>
    [Id(18)] public DateOnly? RequestedDeliveryDate { get; init; }
}

[GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed record PurchaseOrderCommandResult(
    [property: Id(0)] CommandOutcome Outcome,
    [property: Id(1)] PurchaseOrderView? PurchaseOrder,
    [property: Id(2)] IReadOnlyList<FieldError> Errors)
{
    public static PurchaseOrderCommandResult Invalid(IReadOnlyList<FieldError> errors) => new(CommandOutcome.Invalid, null, errors);
}

/// <summary>What event processing needs to know of a purchase order to accept a receipt for it.</summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed record PurchaseOrderRoute
{
    [Id(0)] public required string PurchaseOrderId { get; init; }
    [Id(1)] public required string WarehouseId { get; init; }
    [Id(2)] public IReadOnlyList<string> Skus { get; init; } = [];
    [Id(3)] public PurchaseOrderStatus Status { get; init; }
}

/// <summary>
/// What one SKU-location has received of a purchase order, in total. Absolute, so sending it again
/// is harmless and a late or repeated report changes nothing.
/// </summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed record PurchaseReceiptTotals
{
    [Id(0)] public required string PurchaseOrderId { get; init; }
    [Id(1)] public required string WarehouseId { get; init; }
    [Id(2)] public required string Sku { get; init; }
    [Id(3)] public int Received { get; init; }
}

/// <summary>A purchase order's receipt totals at one SKU-location after an event, with that event.</summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed record PurchaseReceipt
{
    [Id(0)] public required PurchaseReceiptTotals Totals { get; init; }
    [Id(1)] public required string EventId { get; init; }
    [Id(2)] public DateTimeOffset OccurredAt { get; init; }
    [Id(3)] public string? CorrelationId { get; init; }
}
