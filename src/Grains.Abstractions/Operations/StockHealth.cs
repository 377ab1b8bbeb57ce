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

/// <summary>What one SKU-location contributes to its warehouse's live stock health.</summary>
[Flags]
public enum StockHealthFlags : byte
{
    None = 0,
    /// <summary>The SKU-location has a replenishment policy.</summary>
    WithPolicy = 1,
    /// <summary>Nothing available to promise.</summary>
    Stockout = 2,
}

/// <summary>A warehouse's stock health as its SKUs last told it (not waiting for a replenishment pass).</summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed record LiveStockHealth
{
    /// <summary>SKU-locations, with a policy, and out of stock; <see cref="WarehouseStockHealth.BelowReorderPoint"/> is not counted live (0).</summary>
    [Id(0)] public required WarehouseStockHealth Counts { get; init; }
    /// <summary>Business time of the last change told; null when nothing was told yet.</summary>
    [Id(1)] public DateTimeOffset? AsOf { get; init; }
}

/// <summary>
/// One warehouse's live stock health (key: the warehouse id), told by the SKUs whenever the health
/// of their location there changes (a stockout begins or ends, a policy is set, a location appears),
/// so the operations page shows a stockout without waiting for a replenishment pass.
/// </summary>
public interface IStockHealthGrain : IGrainWithStringKey
{
    /// <summary>The SKU's health at this warehouse now (replaces what it told before). One-way: the SKU's report path never waits for it.</summary>
    [OneWay]
    Task Report(string sku, StockHealthFlags flags);

    [ReadOnly, AlwaysInterleave]
    Task<LiveStockHealth> Current();
}

/// <summary>Stock health as GET /v1/operations/stock-health answers it.</summary>
/// <param name="AsOf">Business time of the latest change counted (live), or of the pass when only the pass counted; null before either.</param>
/// <param name="ReorderPointsAsOf">When the last replenishment pass ran: <see cref="WarehouseStockHealth.BelowReorderPoint"/> is as of then (the planner needs the whole network's view to place a reorder point); null before the first pass.</param>
public sealed record StockHealthView(DateTimeOffset? AsOf, DateTimeOffset? ReorderPointsAsOf, IReadOnlyList<WarehouseStockHealth> Warehouses)
{
    /// <summary>
    /// Per warehouse, the live counts with the pass's below-reorder-point count; a warehouse whose
    /// SKUs have told nothing yet (data from before live counting) shows the pass's counts.
    /// </summary>
    public static StockHealthView Combine(IReadOnlyList<(string WarehouseId, LiveStockHealth Live)> live, DateTimeOffset? passAt, IReadOnlyList<WarehouseStockHealth> pass)
    {
        var fromPass = pass.ToDictionary(h => h.WarehouseId, StringComparer.Ordinal);
        var warehouses = new List<WarehouseStockHealth>();
        DateTimeOffset? asOf = null;
        foreach (var (warehouseId, current) in live)
        {
            var passed = fromPass.GetValueOrDefault(warehouseId);
            if (current.Counts.Skus > 0)
            {
                warehouses.Add(current.Counts with { WarehouseId = warehouseId, BelowReorderPoint = passed?.BelowReorderPoint ?? 0 });
                asOf = Later(asOf, current.AsOf);
            }
            else if (passed is not null)
            {
                warehouses.Add(passed);
                asOf = Later(asOf, passAt);
            }
        }

        return new StockHealthView(asOf, passAt, [.. warehouses.OrderBy(h => h.WarehouseId, StringComparer.Ordinal)]);
    }

    private static DateTimeOffset? Later(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;
}
