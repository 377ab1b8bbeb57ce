using Distribution.Common;
using Distribution.Inventory;
using Distribution.Network;
using Distribution.Replenishment;

namespace Distribution.Tests.Replenishment;

public sealed class SkuReplenishmentPlanTests
{
    private static readonly DateOnly Today = new(2027, 1, 11);

    private static readonly PlanningView View = new(
        1,
        [Warehouse("NORTH", 55, 10), Warehouse("SOUTH", 40, 10)],
        [new LaneInfo { FromWarehouseId = "SOUTH", ToWarehouseId = "NORTH", TransitDays = 2, CostPerUnit = 1m }],
        [new SupplierInfo { SupplierId = "SUP", Name = "Supplier", LeadTimeDays = 5, LeadTimeStdDevDays = 1 }]);

    [Fact]
    public void A_backordered_line_counts_against_the_warehouse_nearest_its_ship_to()
    {
        var policy = new ReplenishmentPolicy { Kind = ReplenishmentPolicyKind.ReorderPoint, ReorderPoint = 10, OrderQuantity = 5 };
        var locations = new[] { Location("NORTH", onHand: 14, policy), Location("SOUTH", onHand: 14, policy) };

        // 5 units wanted near the north: its position falls from 14 to 9, at or below 10; the south stays at 14.
        var needs = SkuReplenishmentPlan.Plan("SKU", "SUP", locations, [(new GeoPoint(54, 10), 5)], View, Today);

        var need = Assert.Single(needs);
        Assert.Equal(("NORTH", 9, 10, 5), (need.WarehouseId, need.Position, need.ReorderPoint, need.OrderQuantity));
        var candidate = Assert.Single(need.Candidates);
        Assert.Equal(("SOUTH", 4, 2.0, 1m), (candidate.WarehouseId, candidate.Units, candidate.TransitDays, candidate.CostPerUnit));
        Assert.Equal("SUP", need.Supplier!.SupplierId);
    }

    [Fact]
    public void Inbound_units_promised_to_orders_no_longer_cover_the_reorder_point()
    {
        var policy = new ReplenishmentPolicy { Kind = ReplenishmentPolicyKind.ReorderPoint, ReorderPoint = 10, OrderQuantity = 20 };
        static InboundEntry Transfer(int promised) =>
            new() { SourceKind = InboundSourceKind.Transfer, SourceId = "T1", Quantity = 12, Eta = DateTimeOffset.UnixEpoch, Promised = promised };
        LocationAvailability With(int promised) => Location("NORTH", onHand: 4, policy) with { Inbound = 12, InboundEntries = [Transfer(promised)] };

        // 4 on hand + 12 on the way = 16 > 10; with 8 of the 12 promised to orders, 8 ≤ 10.
        Assert.Empty(SkuReplenishmentPlan.Plan("SKU", "SUP", [With(0)], [], View, Today));
        Assert.Equal(8, Assert.Single(SkuReplenishmentPlan.Plan("SKU", "SUP", [With(8)], [], View, Today)).Position);
    }

    [Fact]
    public void With_a_service_level_the_reorder_point_comes_from_learned_demand_and_the_supplier_lead_time()
    {
        // 10 units a day with no variance, lead time 5 ± 1 days at z(0.95) = 1.6449:
        // safety stock = ⌈1.6449 · √(5·0 + 10²·1²)⌉ = ⌈16.45⌉ = 17; reorder point = 10·5 + 17 = 67.
        var demand = SkuReplenishmentPlan.Snapshot(DemandEstimate.Restore(0.1, 10, 0, 30, Today, 0));
        var policy = new ReplenishmentPolicy { Kind = ReplenishmentPolicyKind.MinMax, ServiceLevel = 0.95 };
        var needs = SkuReplenishmentPlan.Plan("SKU", "SUP", [Location("NORTH", onHand: 60, policy, demand)], [], View, Today);

        var need = Assert.Single(needs);
        Assert.Equal((67, 17, 60), (need.ReorderPoint, need.SafetyStock, need.Position));
        // Without explicit levels S = s + one lead time of demand = 67 + 50.
        Assert.Equal(117, need.OrderUpTo);
    }

    [Fact]
    public void Warehouses_without_a_policy_or_offline_take_no_part()
    {
        var policy = new ReplenishmentPolicy { Kind = ReplenishmentPolicyKind.ReorderPoint, ReorderPoint = 10, OrderQuantity = 5 };
        var offline = View with { Warehouses = [Warehouse("NORTH", 55, 10) with { Status = WarehouseStatus.Offline }, Warehouse("SOUTH", 40, 10)] };

        Assert.Empty(SkuReplenishmentPlan.Plan("SKU", "SUP", [Location("NORTH", onHand: 0, null)], [], View, Today));
        Assert.Empty(SkuReplenishmentPlan.Plan("SKU", "SUP", [Location("NORTH", onHand: 0, policy)], [], offline, Today));
        var need = Assert.Single(SkuReplenishmentPlan.Plan("SKU", "SUP", [Location("NORTH", onHand: 0, policy), Location("SOUTH", onHand: 100, null)], [], View, Today));
        Assert.Empty(need.Candidates);
    }

    private static WarehouseInfo Warehouse(string id, double latitude, double longitude) => new()
    {
        WarehouseId = id,
        Name = id,
        Location = new GeoPoint(latitude, longitude),
    };

    private static LocationAvailability Location(string warehouseId, int onHand, ReplenishmentPolicy? policy, DemandSnapshot? demand = null) => new()
    {
        WarehouseId = warehouseId,
        OnHand = onHand,
        Available = onHand,
        Policy = policy,
        Demand = demand,
    };
}
