namespace Distribution.Transfers;

/// <summary>A stock transfer between two warehouses as a planner or integrator requests it (<c>POST /v1/transfers</c>).</summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed record TransferRequest
{
    [Id(0)] public string? TransferId { get; init; }
    [Id(1)] public string? FromWarehouseId { get; init; }
    [Id(2)] public string? ToWarehouseId { get; init; }
    /// <summary>One line per SKU (a SKU appears once).</summary>
    [Id(3)] public IReadOnlyList<TransferLineRequest>? Lines { get; init; }
    /// <summary>Why the stock moves (free text, e.g. "rebalance" or a replenishment recommendation id).</summary>
    [Id(4)] public string? Reason { get; init; }
}

[GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed record TransferLineRequest
{
    [Id(0)] public string? Sku { get; init; }
    [Id(1)] public int Quantity { get; init; }
}
