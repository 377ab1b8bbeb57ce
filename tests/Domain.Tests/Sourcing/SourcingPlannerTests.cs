using Distribution.Network;

namespace Distribution.Orders.Sourcing.Tests;

public sealed class SourcingPlannerTests
{
    private static readonly DateOnly Monday = SourcingTestData.Monday;
    private static readonly DateOnly Tuesday = Monday.AddDays(1);

    [Fact]
    public void Nearest_single_warehouse_that_fills_everything_wins()
    {
        var plan = new SourcingTestData()
            .Wh("FAR", 300, ("A", 10), ("B", 10))
            .Wh("NEAR", 100, ("A", 10), ("B", 10))
            .Wh("NEAREST-PARTIAL", 10, ("A", 10))
            .Line("1", "A", 4)
            .Line("2", "B", 6)
            .Plan();

        Assert.False(plan.IsRejected);
        Assert.Equal(["NEAR"], plan.WarehousesUsed());
        Assert.Equal(4, plan.Allocated("1", "NEAR"));
        Assert.Equal(6, plan.Allocated("2", "NEAR"));
        Assert.Empty(plan.Backordered);
        Assert.All(plan.Allocations, a => Assert.Equal(Monday, a.PromisedShipDate));
    }

    [Fact]
    public void Equal_distance_ties_break_by_warehouse_id_ordinal()
    {
        // Ordinal: "W-B" < "W-a" (uppercase sorts before lowercase).
        var plan = new SourcingTestData()
            .Wh("W-a", 50, ("A", 10))
            .Wh("W-B", 50, ("A", 10))
            .Wh("W-C", 50, ("A", 10))
            .Line("1", "A", 5)
            .Plan();

        Assert.Equal(["W-B"], plan.WarehousesUsed());
    }

    [Fact]
    public void Single_warehouse_is_preferred_over_a_nearer_split()
    {
        var plan = new SourcingTestData()
            .Wh("NEAR-A", 5, ("A", 10))
            .Wh("NEAR-B", 6, ("B", 10))
            .Wh("FAR-ALL", 900, ("A", 10), ("B", 10))
            .Line("1", "A", 10)
            .Line("2", "B", 10)
            .Plan();

        Assert.Equal(["FAR-ALL"], plan.WarehousesUsed());
        Assert.Equal(2, plan.Allocations.Count);
    }

    [Fact]
    public void Split_minimises_shipments_greedy_by_coverage_beats_nearest_first()
    {
        // Nearest-first would use N1 (A), N2 (B) and C-ONLY (C): three shipments.
        // Greedy by coverage takes FAR-AB (20 units) then C-ONLY: two shipments.
        var plan = new SourcingTestData()
            .Wh("N1", 10, ("A", 10))
            .Wh("N2", 20, ("B", 10))
            .Wh("FAR-AB", 500, ("A", 10), ("B", 10))
            .Wh("C-ONLY", 600, ("C", 10))
            .Line("1", "A", 10)
            .Line("2", "B", 10)
            .Line("3", "C", 10)
            .Plan();

        Assert.False(plan.IsRejected);
        Assert.Equal(["C-ONLY", "FAR-AB"], plan.WarehousesUsed());
        Assert.Equal(10, plan.Allocated("1", "FAR-AB"));
        Assert.Equal(10, plan.Allocated("2", "FAR-AB"));
        Assert.Equal(10, plan.Allocated("3", "C-ONLY"));
    }

    [Fact]
    public void Greedy_coverage_ties_go_to_the_nearer_warehouse()
    {
        var plan = new SourcingTestData()
            .Wh("FAR-A", 400, ("A", 10))
            .Wh("NEAR-A", 100, ("A", 10))
            .Wh("B", 50, ("B", 10))
            .Line("1", "A", 10)
            .Line("2", "B", 10)
            .Plan();

        Assert.Equal(["B", "NEAR-A"], plan.WarehousesUsed());
    }

    [Fact]
    public void A_line_is_split_across_warehouses()
    {
        var plan = new SourcingTestData()
            .Wh("W1", 10, ("A", 6))
            .Wh("W2", 20, ("A", 4))
            .Wh("W3", 30, ("A", 100))
            .Line("1", "A", 10)
            .Plan();

        // W3 alone fills everything: single warehouse beats split.
        Assert.Equal(["W3"], plan.WarehousesUsed());

        var split = new SourcingTestData()
            .Wh("W1", 10, ("A", 6))
            .Wh("W2", 20, ("A", 4))
            .Line("1", "A", 10)
            .Plan();

        Assert.Equal(2, split.Allocations.Count);
        Assert.Equal(6, split.Allocated("1", "W1"));
        Assert.Equal(4, split.Allocated("1", "W2"));
        Assert.Empty(split.Backordered);
    }

    [Fact]
    public void Degraded_single_warehouse_is_not_used_when_an_active_one_fills_everything()
    {
        var plan = new SourcingTestData()
            .Wh("DEGRADED", 1, WarehouseStatus.Degraded, ("A", 10))
            .Wh("ACTIVE", 800, ("A", 10))
            .Line("1", "A", 10)
            .Plan();

        Assert.Equal(["ACTIVE"], plan.WarehousesUsed());
    }

    [Fact]
    public void Active_split_is_preferred_over_a_degraded_single_warehouse()
    {
        var plan = new SourcingTestData()
            .Wh("DEGRADED", 1, WarehouseStatus.Degraded, ("A", 10), ("B", 10))
            .Wh("ACTIVE-A", 100, ("A", 10))
            .Wh("ACTIVE-B", 200, ("B", 10))
            .Line("1", "A", 10)
            .Line("2", "B", 10)
            .Plan();

        Assert.Equal(["ACTIVE-A", "ACTIVE-B"], plan.WarehousesUsed());
    }

    [Fact]
    public void Degraded_single_warehouse_is_used_when_active_ones_cannot_fill_even_by_splitting()
    {
        var plan = new SourcingTestData()
            .Wh("DEGRADED-FAR", 500, WarehouseStatus.Degraded, ("A", 10), ("B", 10))
            .Wh("DEGRADED-NEAR", 400, WarehouseStatus.Degraded, ("A", 10), ("B", 10))
            .Wh("ACTIVE-A", 100, ("A", 10))
            .Line("1", "A", 10)
            .Line("2", "B", 10)
            .Plan();

        Assert.Equal(["DEGRADED-NEAR"], plan.WarehousesUsed());
    }

    [Fact]
    public void Degraded_warehouses_only_cover_what_active_ones_cannot()
    {
        var plan = new SourcingTestData()
            .Wh("DEGRADED", 1, WarehouseStatus.Degraded, ("A", 100), ("B", 5))
            .Wh("ACTIVE", 100, ("A", 10), ("B", 5))
            .Line("1", "A", 10)
            .Line("2", "B", 8)
            .Plan();

        Assert.Equal(10, plan.Allocated("1", "ACTIVE"));
        Assert.Equal(5, plan.Allocated("2", "ACTIVE"));
        Assert.Equal(3, plan.Allocated("2", "DEGRADED"));
        Assert.Equal(0, plan.Allocated("1", "DEGRADED"));
    }

    [Fact]
    public void Offline_warehouse_is_never_used()
    {
        var data = new SourcingTestData { AllowBackorder = true }
            .Wh("OFFLINE", 1, WarehouseStatus.Offline, ("A", 100))
            .Wh("ACTIVE", 50, ("A", 4))
            .Line("1", "A", 10);

        var plan = data.Plan();

        Assert.DoesNotContain(plan.Allocations, a => a.WarehouseId == "OFFLINE");
        Assert.Equal(4, plan.Allocated("1", "ACTIVE"));
        Assert.Equal(6, plan.Backordered["1"]);

        data.AllowBackorder = false;
        var rejected = data.Plan();
        Assert.Equal("line 1 (A): 10 requested, 4 available in the network", rejected.RejectionReason);
    }

    [Fact]
    public void Full_ship_date_moves_the_allocation_promise_to_the_next_working_day()
    {
        var plan = new SourcingTestData()
            .Wh("W", 10, WarehouseStatus.Active, [Monday], ("A", 10))
            .Line("1", "A", 5)
            .Plan();

        var allocation = Assert.Single(plan.Allocations);
        Assert.Equal(Tuesday, allocation.PromisedShipDate);
    }

    [Fact]
    public void Warehouse_full_for_the_whole_look_ahead_is_not_a_candidate()
    {
        var allFull = Enumerable.Range(0, 15).Select(Monday.AddDays).ToArray();
        var plan = new SourcingTestData()
            .Wh("FULL", 1, WarehouseStatus.Active, allFull, ("A", 10))
            .Wh("OTHER", 500, ("A", 10))
            .Line("1", "A", 5)
            .Plan();

        Assert.Equal(["OTHER"], plan.WarehousesUsed());

        var nothingElse = new SourcingTestData { AllowBackorder = true }
            .Wh("FULL", 1, WarehouseStatus.Active, allFull, ("A", 10))
            .Line("1", "A", 5)
            .Plan();

        Assert.Empty(nothingElse.Allocations);
        Assert.Equal(5, nothingElse.Backordered["1"]);
    }

    [Fact]
    public void Each_allocation_carries_its_own_warehouse_promise_cutoff_in_local_time()
    {
        // Monday 15:30 UTC: past the 16:00 cutoff in Berlin (16:30 local), before it in UTC.
        var berlin = SourcingTestData.Warehouse("BERLIN", 10) with { TimeZone = "Europe/Berlin" };
        var london = SourcingTestData.Warehouse("UTC", 20);
        var input = new SourcingInput
        {
            Lines = [new SourcingLine("1", "A", 10)],
            ShipTo = SourcingTestData.ShipTo,
            Now = new DateTimeOffset(2025, 3, 3, 15, 30, 0, TimeSpan.Zero),
            Warehouses = [new(berlin, new HashSet<DateOnly>()), new(london, new HashSet<DateOnly>())],
            Available = new Dictionary<(string WarehouseId, string Sku), int> { [("BERLIN", "A")] = 6, [("UTC", "A")] = 6 },
        };

        var plan = SourcingPlanner.Plan(input);

        Assert.Equal(Tuesday, plan.Allocations.Single(a => a.WarehouseId == "BERLIN").PromisedShipDate);
        Assert.Equal(Monday, plan.Allocations.Single(a => a.WarehouseId == "UTC").PromisedShipDate);
    }

    [Fact]
    public void Friday_after_cutoff_promises_Monday()
    {
        var plan = new SourcingTestData { Now = new DateTimeOffset(2025, 3, 7, 18, 0, 0, TimeSpan.Zero) }
            .Wh("W", 10, ("A", 10))
            .Line("1", "A", 1)
            .Plan();

        Assert.Equal(new DateOnly(2025, 3, 10), Assert.Single(plan.Allocations).PromisedShipDate);
    }

    [Fact]
    public void No_split_with_backorder_ships_from_the_warehouse_filling_most_and_backorders_the_rest()
    {
        var plan = new SourcingTestData { AllowSplit = false, AllowBackorder = true }
            .Wh("NEAR-SMALL", 10, ("A", 3), ("B", 3))
            .Wh("FAR-BIG", 500, ("A", 10), ("B", 2))
            .Wh("DEGRADED", 1, WarehouseStatus.Degraded, ("A", 9), ("B", 9))
            .Line("1", "A", 10)
            .Line("2", "B", 5)
            .Plan();

        Assert.False(plan.IsRejected);
        Assert.Equal(["FAR-BIG"], plan.WarehousesUsed());
        Assert.Equal(10, plan.Allocated("1"));
        Assert.Equal(2, plan.Allocated("2"));
        Assert.Equal(new Dictionary<string, int> { ["2"] = 3 }, plan.Backordered);
    }

    [Fact]
    public void No_split_with_backorder_uses_degraded_only_when_no_active_warehouse_fills_anything()
    {
        var plan = new SourcingTestData { AllowSplit = false, AllowBackorder = true }
            .Wh("ACTIVE-EMPTY", 10, ("B", 100))
            .Wh("DEGRADED", 500, WarehouseStatus.Degraded, ("A", 4))
            .Line("1", "A", 10)
            .Plan();

        Assert.Equal(4, plan.Allocated("1", "DEGRADED"));
        Assert.Equal(6, plan.Backordered["1"]);
    }

    [Fact]
    public void No_split_prefers_a_degraded_warehouse_that_fills_everything_over_backordering()
    {
        var plan = new SourcingTestData { AllowSplit = false, AllowBackorder = true }
            .Wh("ACTIVE-A", 10, ("A", 10))
            .Wh("ACTIVE-B", 20, ("B", 10))
            .Wh("DEGRADED", 500, WarehouseStatus.Degraded, ("A", 10), ("B", 10))
            .Line("1", "A", 10)
            .Line("2", "B", 10)
            .Plan();

        Assert.Equal(["DEGRADED"], plan.WarehousesUsed());
        Assert.Empty(plan.Backordered);
    }

    [Fact]
    public void No_split_without_backorder_is_rejected_when_no_single_warehouse_fills_everything()
    {
        var plan = new SourcingTestData { AllowSplit = false, AllowBackorder = false }
            .Wh("W1", 10, ("A", 10))
            .Wh("W2", 20, ("B", 10))
            .Line("1", "A", 10)
            .Line("2", "B", 10)
            .Plan();

        Assert.True(plan.IsRejected);
        Assert.Equal(SourcingPlanner.NoSingleWarehouseReason, plan.RejectionReason);
        Assert.Equal("no single warehouse can fill the whole order", plan.RejectionReason);
        Assert.Empty(plan.Allocations);
        Assert.Empty(plan.Backordered);
    }

    [Fact]
    public void No_split_without_backorder_still_ships_when_one_warehouse_fills_everything()
    {
        var plan = new SourcingTestData { AllowSplit = false }
            .Wh("W1", 10, ("A", 10))
            .Wh("W2", 20, ("A", 10), ("B", 10))
            .Line("1", "A", 10)
            .Line("2", "B", 10)
            .Plan();

        Assert.Equal(["W2"], plan.WarehousesUsed());
    }

    [Fact]
    public void Split_without_backorder_that_falls_short_is_rejected_naming_the_first_short_line()
    {
        var plan = new SourcingTestData { AllowBackorder = false }
            .Wh("W1", 10, ("SKU-1", 10), ("SKU-9", 1))
            .Wh("W2", 20, ("SKU-9", 2), ("SKU-7", 1))
            .Line("1", "SKU-1", 5)
            .Line("2", "SKU-9", 5)
            .Line("3", "SKU-7", 4)
            .Plan();

        Assert.True(plan.IsRejected);
        Assert.Equal("line 2 (SKU-9): 5 requested, 3 available in the network", plan.RejectionReason);
        Assert.Empty(plan.Allocations);
        Assert.Empty(plan.Backordered);
    }

    [Fact]
    public void Split_with_backorder_backorders_only_the_shortfall()
    {
        var plan = new SourcingTestData { AllowBackorder = true }
            .Wh("W1", 10, ("A", 10), ("B", 1))
            .Wh("W2", 20, ("B", 2))
            .Line("1", "A", 5)
            .Line("2", "B", 5)
            .Plan();

        Assert.Equal(5, plan.Allocated("1"));
        Assert.Equal(3, plan.Allocated("2"));
        Assert.Equal(new Dictionary<string, int> { ["2"] = 2 }, plan.Backordered);
    }

    [Fact]
    public void Duplicate_sku_lines_do_not_double_count_availability()
    {
        var plan = new SourcingTestData { AllowBackorder = true }
            .Wh("W1", 10, ("A", 8))
            .Line("1", "A", 5)
            .Line("2", "A", 5)
            .Plan();

        Assert.Equal(5, plan.Allocated("1"));
        Assert.Equal(3, plan.Allocated("2"));
        Assert.Equal(new Dictionary<string, int> { ["2"] = 2 }, plan.Backordered);
        Assert.Equal(8, plan.Allocations.Sum(a => a.Quantity));
    }

    [Fact]
    public void Duplicate_sku_lines_count_together_for_the_single_warehouse_check()
    {
        // NEAR has 8: enough for each line alone but not for both.
        var plan = new SourcingTestData()
            .Wh("NEAR", 10, ("A", 8))
            .Wh("FAR", 900, ("A", 10))
            .Line("1", "A", 5)
            .Line("2", "A", 5)
            .Plan();

        Assert.Equal(["FAR"], plan.WarehousesUsed());
        Assert.Equal(5, plan.Allocated("1", "FAR"));
        Assert.Equal(5, plan.Allocated("2", "FAR"));
    }

    [Fact]
    public void Zero_availability_everywhere_with_backorder_backorders_everything()
    {
        var plan = new SourcingTestData { AllowBackorder = true }
            .Wh("W1", 10, ("A", 0))
            .Wh("W2", 20)
            .Line("1", "A", 5)
            .Line("2", "B", 7)
            .Plan();

        Assert.False(plan.IsRejected);
        Assert.Empty(plan.Allocations);
        Assert.Equal(new Dictionary<string, int> { ["1"] = 5, ["2"] = 7 }, plan.Backordered);
    }

    [Fact]
    public void Zero_and_negative_quantities_never_appear_in_the_output()
    {
        var plan = new SourcingTestData { AllowBackorder = true }
            .Wh("W1", 10, ("A", 10), ("B", -5))
            .Line("1", "A", 0)
            .Line("2", "A", -3)
            .Line("3", "B", 4)
            .Line("4", "A", 2)
            .Plan();

        Assert.All(plan.Allocations, a => Assert.True(a.Quantity > 0));
        Assert.Equal(2, Assert.Single(plan.Allocations).Quantity);
        Assert.Equal(new Dictionary<string, int> { ["3"] = 4 }, plan.Backordered);
    }

    [Fact]
    public void No_warehouses_and_no_backorder_is_rejected()
    {
        var plan = new SourcingTestData()
            .Line("1", "A", 1)
            .Plan();

        Assert.Equal("line 1 (A): 1 requested, 0 available in the network", plan.RejectionReason);
    }
}
