using Distribution.Common;

namespace Distribution.Orders;

public enum OrderStatus
{
    Allocating = 0,
    Allocated = 1,
    PartiallyAllocated = 2,
    Backordered = 3,
    Released = 4,
    PartiallyShipped = 5,
    Shipped = 6,
    Cancelled = 7,
    Rejected = 8,
}

/// <summary>
/// Stock promised to a line from one warehouse: on hand there, or (<see cref="InboundSource"/> set)
/// on its way there, promised for the warehouse's first ship date on or after the arrival.
/// </summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed record LineAllocation(
    [property: Id(0)] string WarehouseId,
    [property: Id(1)] int Quantity,
    [property: Id(2)] DateOnly PromisedShipDate,
    [property: Id(3)] string? InboundSource = null);

[GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed record OrderLineView
{
    [Id(0)] public required string LineId { get; init; }
    [Id(1)] public required string Sku { get; init; }
    [Id(2)] public int Quantity { get; init; }
    [Id(3)] public IReadOnlyList<LineAllocation> Allocations { get; init; } = [];
    [Id(4)] public int BackorderedQuantity { get; init; }
    [Id(5)] public int ShippedQuantity { get; init; }
    [Id(6)] public int PickedQuantity { get; init; }
}

/// <summary>One transition of an order, with the correlation id of the request or event that caused it.</summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed record TimelineEntry(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] OrderStatus Status,
    [property: Id(2)] string Description,
    [property: Id(3)] string? CorrelationId);

[GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed record OrderView
{
    [Id(0)] public required string OrderId { get; init; }
    [Id(1)] public OrderStatus Status { get; init; }
    [Id(2)] public string? Channel { get; init; }
    [Id(3)] public OrderPriority Priority { get; init; }
    [Id(4)] public GeoPoint? ShipTo { get; init; }
    [Id(5)] public bool AllowSplit { get; init; }
    [Id(6)] public bool AllowBackorder { get; init; }
    [Id(7)] public DateOnly? RequestedDeliveryDate { get; init; }
    [Id(8)] public DateTimeOffset CreatedAt { get; init; }
    [Id(9)] public IReadOnlyList<OrderLineView> Lines { get; init; } = [];
    [Id(10)] public string? RejectionReason { get; init; }
    [Id(11)] public IReadOnlyList<TimelineEntry> Timeline { get; init; } = [];
}

[GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed record OrderCommandResult(
    [property: Id(0)] CommandOutcome Outcome,
    [property: Id(1)] OrderView? Order,
    [property: Id(2)] IReadOnlyList<FieldError> Errors)
{
    public static OrderCommandResult Invalid(IReadOnlyList<FieldError> errors) => new(CommandOutcome.Invalid, null, errors);
}
