using Distribution.Inventory;
using Distribution.Network;
using Distribution.Orders.Sourcing;

namespace Distribution.Replenishment;

/// <summary>
/// The SKU's network planner, as pure logic: from what each SKU-location last reported (stock,
/// inbound, policy, learned demand) and the SKU's backorders, finds the warehouses whose inventory
/// position is at or below their reorder point and what the other warehouses could spare.
/// </summary>
/// <remarks>
/// Choices, so a planner can predict it:
/// <list type="bullet">
/// <item>The reorder point uses the lead time of the item's supplier (the source of last resort);
/// without a supplier, the slowest lane into the warehouse.</item>
/// <item>A backordered line counts against the active warehouse nearest its ship-to.</item>
/// <item>Only warehouses with a policy take part: as destinations, and as transfer sources with what
/// they hold above their own reorder point.</item>
/// <item>Without explicit levels, Q of (s,Q) is one lead time of demand, and S of (s,S) is s plus one
/// lead time of demand (at least one unit each).</item>
/// </list>
/// </remarks>
public static class SkuReplenishmentPlan
{
    public static IReadOnlyList<ReplenishmentNeed> Plan(
        string sku,
        string? supplierId,
        IReadOnlyCollection<LocationAvailability> locations,
        IReadOnlyCollection<(Common.GeoPoint? ShipTo, int Quantity)> backorders,
        PlanningView view,
        DateOnly today)
    {
        var warehouses = view.Warehouses.ToDictionary(w => w.WarehouseId, StringComparer.Ordinal);
        var supplier = supplierId is null ? null : view.Suppliers.FirstOrDefault(s => s.SupplierId == supplierId);
        var backordered = Attribute(backorders, view.Warehouses);
        var planned = new List<(LocationAvailability Location, ReorderLevels Levels, int Position, int Cycle)>();
        foreach (var location in locations)
        {
            if (location.Policy is not { Kind: not ReplenishmentPolicyKind.None } policy
                || !warehouses.TryGetValue(location.WarehouseId, out var warehouse)
                || warehouse.Status == WarehouseStatus.Offline)
            {
                continue;
            }

            var demand = Demand(location.Demand).AsOf(today);
            var leadTime = LeadTimeInto(location.WarehouseId, supplier, view);
            var levels = policy.ReorderPoint is { } fixedPoint
                ? new ReorderLevels(policy.SafetyStock ?? 0, fixedPoint)
                : ReorderLevels.For(demand, leadTime, policy.ServiceLevel, policy.SafetyStock);
            // Inbound units already promised to orders are spoken for, like reserved stock on hand.
            var promised = location.InboundEntries.Sum(e => Math.Min(e.Promised, e.Quantity));
            var position = new InventoryPosition(
                location.OnHand, location.Inbound, location.Reserved + promised, backordered.GetValueOrDefault(location.WarehouseId)).Units;
            // One lead time of demand: the default Q of (s,Q) and S − s of (s,S).
            var cycle = Math.Max(1, Quantities.RoundUp(demand.Rate * leadTime.Days));
            planned.Add((location, levels, position, cycle));
        }

        var needs = new List<ReplenishmentNeed>();
        foreach (var (location, levels, position, cycle) in planned)
        {
            if (position > levels.ReorderPoint)
            {
                continue;
            }

            var policy = location.Policy!;
            needs.Add(new ReplenishmentNeed
            {
                Sku = sku,
                WarehouseId = location.WarehouseId,
                Position = position,
                ReorderPoint = levels.ReorderPoint,
                SafetyStock = levels.SafetyStock,
                Kind = policy.Kind,
                OrderQuantity = policy.OrderQuantity ?? cycle,
                OrderUpTo = Math.Max(levels.ReorderPoint + 1, policy.OrderUpTo ?? levels.ReorderPoint + cycle),
                Mode = policy.Mode,
                PreferredSource = policy.PreferredSource,
                Candidates = [.. planned
                    .Where(p => p.Location.WarehouseId != location.WarehouseId && p.Position > p.Levels.ReorderPoint)
                    .Select(p => Candidate(p.Location.WarehouseId, p.Position - p.Levels.ReorderPoint, location.WarehouseId, view))],
                Supplier = supplier,
                ReceivingCapacityPerDay = warehouses[location.WarehouseId].ReceivingCapacityPerDay,
                Today = today,
                InboundSourceIds = [.. location.InboundEntries.Select(e => e.SourceId)],
            });
        }

        return needs;
    }

    public static DemandEstimate Demand(DemandSnapshot? s) => s is null
        ? default
        : DemandEstimate.Restore(s.Smoothing, s.Rate, s.Variance, s.DaysObserved, s.PendingDay, s.PendingQuantity);

    public static DemandSnapshot Snapshot(DemandEstimate d) =>
        new(d.Smoothing, d.Rate, d.Variance, d.DaysObserved, d.PendingDay, d.PendingQuantity);

    private static LeadTime LeadTimeInto(string warehouseId, SupplierInfo? supplier, PlanningView view)
    {
        if (supplier is not null)
        {
            return new LeadTime(supplier.LeadTimeDays, supplier.LeadTimeStdDevDays);
        }

        var slowest = view.Lanes.Where(l => l.ToWarehouseId == warehouseId).Select(l => l.TransitDays).DefaultIfEmpty(0).Max();
        return new LeadTime(slowest);
    }

    private static SurplusAt Candidate(string from, int units, string to, PlanningView view)
    {
        var lane = view.Lanes.FirstOrDefault(l => l.FromWarehouseId == from && l.ToWarehouseId == to);
        return new SurplusAt(from, units, lane?.TransitDays, lane?.CostPerUnit);
    }

    /// <summary>Backordered units per warehouse: each line at the active warehouse nearest its ship-to.</summary>
    private static Dictionary<string, int> Attribute(
        IReadOnlyCollection<(Common.GeoPoint? ShipTo, int Quantity)> backorders, IReadOnlyList<WarehouseInfo> warehouses)
    {
        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        var active = warehouses.Where(w => w.Status != WarehouseStatus.Offline).ToList();
        if (active.Count == 0)
        {
            return result;
        }

        foreach (var (shipTo, quantity) in backorders)
        {
            var nearest = shipTo is { } point
                ? active.MinBy(w => GeoDistance.Kilometres(w.Location, point))!
                : active.MinBy(w => w.WarehouseId, StringComparer.Ordinal)!;
            result[nearest.WarehouseId] = result.GetValueOrDefault(nearest.WarehouseId) + quantity;
        }

        return result;
    }
}
