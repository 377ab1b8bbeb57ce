using Distribution.Common;

namespace Distribution.Orders;

public enum OrderPriority
{
    Normal = 0,
    High = 1,
    Urgent = 2,
}

/// <summary>An order as a channel submits it (<c>POST /v1/orders</c>).</summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed record OrderRequest
{
    [Id(0)] public string? OrderId { get; init; }
    [Id(1)] public string? Channel { get; init; }
    [Id(2)] public GeoPoint? ShipTo { get; init; }
    [Id(3)] public IReadOnlyList<OrderLineRequest>? Lines { get; init; }
    [Id(4)] public OrderPriority Priority { get; init; }
    [Id(5)] public bool AllowSplit { get; init; } = true;
    [Id(6)] public bool AllowBackorder { get; init; }
    [Id(7)] public DateOnly? RequestedDeliveryDate { get; init; }
}

[GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed record OrderLineRequest
{
    [Id(0)] public string? LineId { get; init; }
    [Id(1)] public string? Sku { get; init; }
    [Id(2)] public int Quantity { get; init; }
}
