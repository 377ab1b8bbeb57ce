using Distribution.Inventory;

namespace Distribution.Operations.Tests;

/// <summary>The stock health the page shows: live counts where the SKUs have told them, the pass's elsewhere.</summary>
public sealed class StockHealthViewTests
{
    private static readonly DateTimeOffset PassAt = new(2026, 11, 20, 6, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset ToldAt = PassAt.AddDays(2);

    private static LiveStockHealth Live(string warehouse, int skus, int stockouts, DateTimeOffset? asOf) => new()
    {
        Counts = new WarehouseStockHealth { WarehouseId = warehouse, Skus = skus, Stockouts = stockouts },
        AsOf = asOf,
    };

    [Fact]
    public void Live_counts_win_and_keep_the_pass_below_reorder_point_count_a_warehouse_never_told_shows_the_pass()
    {
        var view = StockHealthView.Combine(
            [("BER", Live("BER", 0, 0, null)), ("AMS", Live("AMS", 20, 3, ToldAt))],
            PassAt,
            [
                new WarehouseStockHealth { WarehouseId = "AMS", Skus = 20, WithPolicy = 5, BelowReorderPoint = 4, Stockouts = 0 },
                new WarehouseStockHealth { WarehouseId = "BER", Skus = 7, BelowReorderPoint = 1, Stockouts = 2 },
            ]);

        Assert.Equal((ToldAt, PassAt), (view.AsOf, view.ReorderPointsAsOf));
        Assert.Equal(["AMS", "BER"], view.Warehouses.Select(h => h.WarehouseId));
        Assert.Equal((20, 4, 3), (view.Warehouses[0].Skus, view.Warehouses[0].BelowReorderPoint, view.Warehouses[0].Stockouts));
        Assert.Equal((7, 1, 2), (view.Warehouses[1].Skus, view.Warehouses[1].BelowReorderPoint, view.Warehouses[1].Stockouts));
    }

    [Fact]
    public void Before_any_pass_and_any_tell_nothing_is_known()
    {
        var view = StockHealthView.Combine([("AMS", Live("AMS", 0, 0, null))], null, []);

        Assert.Equal((null, null), (view.AsOf, view.ReorderPointsAsOf));
        Assert.Empty(view.Warehouses);
    }

    private static LocationAvailability At(int available, ReplenishmentPolicyKind? policy = null) => new()
    {
        WarehouseId = "AMS",
        OnHand = available,
        Available = available,
        Policy = policy is { } kind ? new ReplenishmentPolicy { Kind = kind } : null,
    };

    [Fact]
    public void A_sku_tells_its_warehouse_only_when_a_location_appears_runs_out_restocks_or_gets_a_policy()
    {
        Assert.True(StockHealthSignal.Changed(null, At(5)));
        Assert.False(StockHealthSignal.Changed(At(5), At(3)));
        Assert.True(StockHealthSignal.Changed(At(3), At(0)));
        Assert.False(StockHealthSignal.Changed(At(0), At(0)));
        Assert.True(StockHealthSignal.Changed(At(0), At(4)));
        Assert.True(StockHealthSignal.Changed(At(4), At(4, ReplenishmentPolicyKind.MinMax)));
        Assert.False(StockHealthSignal.Changed(At(4, ReplenishmentPolicyKind.None), At(4)));

        Assert.Equal(StockHealthFlags.WithPolicy | StockHealthFlags.Stockout, StockHealthSignal.Of(At(0, ReplenishmentPolicyKind.ReorderPoint)));
        Assert.Equal(StockHealthFlags.None, StockHealthSignal.Of(At(1, ReplenishmentPolicyKind.None)));
    }
}
