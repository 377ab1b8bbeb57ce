using Distribution.Network;

namespace Distribution.Orders.Sourcing.Tests;

public sealed class SourcingPlannerPropertyTests
{
    private static readonly string[] Zones = ["UTC", "Europe/Berlin", "America/New_York", "Asia/Tokyo"];

    [Fact]
    public void Random_networks_respect_availability_quantities_and_status()
    {
        var random = new Random(20250303);
        var rejections = 0;
        var backorders = 0;
        var splits = 0;

        for (var run = 0; run < 2000; run++)
        {
            var input = RandomInput(random, maxLines: 8, maxWarehouses: 8, maxSkus: 5);

            var plan = SourcingPlanner.Plan(input);
            AssertInvariants(input, plan);

            // Deterministic: the same input gives the same plan.
            var again = SourcingPlanner.Plan(input);
            Assert.Equal(plan.Allocations, again.Allocations);
            Assert.Equal(plan.Backordered, again.Backordered);
            Assert.Equal(plan.RejectionReason, again.RejectionReason);

            rejections += plan.IsRejected ? 1 : 0;
            backorders += plan.Backordered.Count > 0 ? 1 : 0;
            splits += plan.Allocations.Select(a => a.WarehouseId).Distinct().Count() > 1 ? 1 : 0;
        }

        // The generator must exercise every outcome, or the invariants prove little.
        Assert.True(rejections > 50, $"rejections: {rejections}");
        Assert.True(backorders > 50, $"backorders: {backorders}");
        Assert.True(splits > 50, $"splits: {splits}");
    }

    [Fact]
    public void Large_orders_over_a_large_network_stay_correct()
    {
        var random = new Random(42);
        var input = RandomInput(random, maxLines: 1000, maxWarehouses: 50, maxSkus: 400, exact: true) with
        {
            AllowSplit = true,
            AllowBackorder = true,
        };

        var plan = SourcingPlanner.Plan(input);

        AssertInvariants(input, plan);
        Assert.Equal(1000, input.Lines.Count);
    }

    private static void AssertInvariants(SourcingInput input, SourcingPlan plan)
    {
        var status = input.Warehouses.ToDictionary(w => w.Warehouse.WarehouseId, w => w.Warehouse.Status);

        // Never more than available per (warehouse, sku); never an offline warehouse; positive quantities only.
        var used = new Dictionary<(string, string), int>();
        foreach (var a in plan.Allocations)
        {
            Assert.True(a.Quantity > 0);
            Assert.NotEqual(WarehouseStatus.Offline, status[a.WarehouseId]);
            used[(a.WarehouseId, a.Sku)] = used.GetValueOrDefault((a.WarehouseId, a.Sku)) + a.Quantity;

            var candidate = input.Warehouses.First(w => w.Warehouse.WarehouseId == a.WarehouseId);
            Assert.Equal(
                ShipDateCalendar.PromisedShipDate(candidate.Warehouse, input.Now, candidate.FullShipDates),
                a.PromisedShipDate);
        }

        foreach (var ((warehouseId, sku), quantity) in used)
        {
            Assert.True(quantity <= input.Available.GetValueOrDefault((warehouseId, sku)), $"{warehouseId}/{sku} over-allocated");
        }

        Assert.All(plan.Backordered.Values, q => Assert.True(q > 0));

        if (plan.IsRejected)
        {
            Assert.Empty(plan.Allocations);
            Assert.Empty(plan.Backordered);
            return;
        }

        if (!input.AllowBackorder)
        {
            Assert.Empty(plan.Backordered);
        }

        if (!input.AllowSplit)
        {
            Assert.True(plan.Allocations.Select(a => a.WarehouseId).Distinct().Count() <= 1);
        }

        // With splitting allowed, a degraded warehouse ships only when active ones cannot fill the order together.
        if (input.AllowSplit && plan.Allocations.Any(a => status[a.WarehouseId] == WarehouseStatus.Degraded))
        {
            var activeEligible = input.Warehouses
                .Where(w => w.Warehouse.Status == WarehouseStatus.Active
                    && ShipDateCalendar.PromisedShipDate(w.Warehouse, input.Now, w.FullShipDates) is not null)
                .Select(w => w.Warehouse.WarehouseId)
                .ToArray();
            var activeCanFill = input.Lines.Where(l => l.Quantity > 0).GroupBy(l => l.Sku).All(g =>
                activeEligible.Sum(id => Math.Max(0, input.Available.GetValueOrDefault((id, g.Key)))) >= g.Sum(l => l.Quantity));
            Assert.False(activeCanFill, "degraded warehouse used although active ones could fill the order");
        }

        // allocated + backordered = requested, per line.
        foreach (var line in input.Lines)
        {
            var requested = Math.Max(line.Quantity, 0);
            var allocated = plan.Allocations.Where(a => a.LineId == line.LineId).Sum(a => a.Quantity);
            Assert.All(plan.Allocations.Where(a => a.LineId == line.LineId), a => Assert.Equal(line.Sku, a.Sku));
            Assert.Equal(requested, allocated + plan.Backordered.GetValueOrDefault(line.LineId));
        }
    }

    private static SourcingInput RandomInput(Random random, int maxLines, int maxWarehouses, int maxSkus, bool exact = false)
    {
        var skuCount = exact ? maxSkus : random.Next(1, maxSkus + 1);
        var lineCount = exact ? maxLines : random.Next(1, maxLines + 1);
        var warehouseCount = exact ? maxWarehouses : random.Next(0, maxWarehouses + 1);

        // Lines may repeat a SKU and may carry a zero or negative quantity.
        var lines = new SourcingLine[lineCount];
        for (var i = 0; i < lineCount; i++)
        {
            var quantity = random.Next(10) == 0 ? random.Next(-2, 1) : random.Next(1, 20);
            lines[i] = new SourcingLine($"L{i + 1}", $"SKU-{random.Next(skuCount)}", quantity);
        }

        var monday = SourcingTestData.Monday;
        var warehouses = new SourcingCandidate[warehouseCount];
        var available = new Dictionary<(string WarehouseId, string Sku), int>();
        for (var w = 0; w < warehouseCount; w++)
        {
            var id = $"W{w:00}";
            var info = new WarehouseInfo
            {
                WarehouseId = id,
                Name = id,
                Location = SourcingTestData.NorthOfShipTo(random.Next(0, 40) * 25.0), // distance ties happen
                Status = (WarehouseStatus)random.Next(3),
                TimeZone = Zones[random.Next(Zones.Length)],
                CutoffLocalTime = new TimeOnly(random.Next(8, 20), 0),
            };

            var full = new HashSet<DateOnly>();
            var fullDays = random.Next(4) == 0 ? 21 : random.Next(3);
            for (var d = 0; d < fullDays; d++)
            {
                full.Add(monday.AddDays(d));
            }

            warehouses[w] = new SourcingCandidate(info, full);
            for (var s = 0; s < skuCount; s++)
            {
                if (random.Next(3) != 0)
                {
                    available[(id, $"SKU-{s}")] = random.Next(-2, 25);
                }
            }
        }

        return new SourcingInput
        {
            Lines = lines,
            ShipTo = SourcingTestData.ShipTo,
            AllowSplit = random.Next(3) != 0,
            AllowBackorder = random.Next(2) == 0,
            Now = SourcingTestData.MondayMorning.AddHours(random.Next(0, 72)).AddMinutes(random.Next(60)),
            Warehouses = warehouses,
            Available = available,
        };
    }
}
