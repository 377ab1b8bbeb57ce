using Distribution.Inventory;

namespace Distribution.Operations;

/// <summary>
/// Stock health per warehouse, counted during the replenishment pass (which already visits every
/// SKU's view) instead of by a scan of its own: each SKU contributes its locations, the pass adds
/// them up. Pure, so the counting rules are tested without a cluster.
/// </summary>
public sealed class StockHealthTally
{
    private readonly Dictionary<string, WarehouseStockHealth> _byWarehouse = new(StringComparer.Ordinal);

    /// <summary>One SKU's locations: a stockout is nothing available; below the reorder point is what the planner found a need for.</summary>
    public static IReadOnlyList<WarehouseStockHealth> OfSku(IEnumerable<LocationAvailability> locations, IEnumerable<string> belowReorderPoint)
    {
        var below = belowReorderPoint.ToHashSet(StringComparer.Ordinal);
        return [.. locations.Select(l => new WarehouseStockHealth
        {
            WarehouseId = l.WarehouseId,
            Skus = 1,
            WithPolicy = l.Policy is { Kind: not ReplenishmentPolicyKind.None } ? 1 : 0,
            BelowReorderPoint = below.Contains(l.WarehouseId) ? 1 : 0,
            Stockouts = StockHealthSignal.Of(l).HasFlag(StockHealthFlags.Stockout) ? 1 : 0,
        })];
    }

    public void Add(IEnumerable<WarehouseStockHealth> counts)
    {
        foreach (var c in counts)
        {
            _byWarehouse[c.WarehouseId] = _byWarehouse.TryGetValue(c.WarehouseId, out var sum)
                ? sum with
                {
                    Skus = sum.Skus + c.Skus,
                    WithPolicy = sum.WithPolicy + c.WithPolicy,
                    BelowReorderPoint = sum.BelowReorderPoint + c.BelowReorderPoint,
                    Stockouts = sum.Stockouts + c.Stockouts,
                }
                : c;
        }
    }

    /// <summary>Per warehouse, by id (ordinal).</summary>
    public IReadOnlyList<WarehouseStockHealth> Result() =>
        [.. _byWarehouse.Values.OrderBy(h => h.WarehouseId, StringComparer.Ordinal)];
}
