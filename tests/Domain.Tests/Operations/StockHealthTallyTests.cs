using Distribution.Inventory;
using Distribution.Operations;

namespace Distribution.Operations.Tests;

public sealed class StockHealthTallyTests
{
    private static LocationAvailability At(string warehouse, int available, ReplenishmentPolicyKind? policy = null) => new()
    {
        WarehouseId = warehouse,
        OnHand = available + 2,
        Reserved = 2,
        Available = available,
        Policy = policy is { } kind ? new ReplenishmentPolicy { Kind = kind } : null,
    };

    [Fact]
    public void A_sku_counts_a_stockout_where_nothing_is_available_and_below_reorder_point_where_the_planner_found_a_need()
    {
        var counts = StockHealthTally.OfSku(
            [At("AMS", 0), At("BER", 5, ReplenishmentPolicyKind.ReorderPoint), At("MAD", 0, ReplenishmentPolicyKind.MinMax), At("MIL", 3, ReplenishmentPolicyKind.None)],
            ["BER", "MAD"]).ToDictionary(c => c.WarehouseId);

        Assert.Equal((1, 0, 0, 1), Tuple(counts["AMS"]));
        Assert.Equal((1, 1, 1, 0), Tuple(counts["BER"]));
        Assert.Equal((1, 1, 1, 1), Tuple(counts["MAD"]));
        Assert.Equal((1, 0, 0, 0), Tuple(counts["MIL"]));
    }

    [Fact]
    public void The_pass_adds_up_every_sku_per_warehouse_ordered_by_id()
    {
        var tally = new StockHealthTally();
        tally.Add(StockHealthTally.OfSku([At("MAD", 0), At("AMS", 4)], []));
        tally.Add(StockHealthTally.OfSku([At("MAD", 1, ReplenishmentPolicyKind.ReorderPoint)], ["MAD"]));
        tally.Add(StockHealthTally.OfSku([At("MAD", 0, ReplenishmentPolicyKind.ReorderPoint), At("AMS", 0)], ["MAD"]));

        var result = tally.Result();

        Assert.Equal(["AMS", "MAD"], result.Select(r => r.WarehouseId));
        Assert.Equal((2, 0, 0, 1), Tuple(result[0]));
        Assert.Equal((3, 2, 2, 2), Tuple(result[1]));
    }

    [Fact]
    public void Nothing_reviewed_is_an_empty_list()
    {
        Assert.Empty(new StockHealthTally().Result());
    }

    private static (int Skus, int WithPolicy, int Below, int Stockouts) Tuple(WarehouseStockHealth h) =>
        (h.Skus, h.WithPolicy, h.BelowReorderPoint, h.Stockouts);
}
