namespace Distribution.Operations;

/// <summary>
/// Stock health of one warehouse as the last replenishment pass saw it: of the SKUs it stocks,
/// how many are at or below their reorder point (only SKU-locations with a policy have one) and
/// how many have nothing available to promise.
/// </summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed record WarehouseStockHealth
{
    [Id(0)] public required string WarehouseId { get; init; }
    /// <summary>SKU-locations the warehouse has (SKUs it stocks or stocked).</summary>
    [Id(1)] public int Skus { get; init; }
    /// <summary>Of those, SKU-locations with a replenishment policy.</summary>
    [Id(2)] public int WithPolicy { get; init; }
    /// <summary>Inventory position at or below the reorder point.</summary>
    [Id(3)] public int BelowReorderPoint { get; init; }
    /// <summary>Nothing available to promise (on-hand minus reserved minus safety stock is 0).</summary>
    [Id(4)] public int Stockouts { get; init; }
}
