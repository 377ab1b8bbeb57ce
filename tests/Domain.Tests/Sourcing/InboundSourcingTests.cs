using Distribution.Network;

namespace Distribution.Orders.Sourcing.Tests;

public sealed class InboundSourcingTests
{
    private static readonly DateOnly Monday = SourcingTestData.Monday;

    // Wednesday 08:00 UTC, before the default cutoff: units arriving then ship that day.
    private static readonly DateTimeOffset WednesdayMorning = SourcingTestData.MondayMorning.AddDays(2).AddHours(-1);

    private static (SourcingPlan Plan, SourcingInput Input, SourcingLine[] Lines) OnHandPlan(SourcingTestData data)
    {
        data.AllowBackorder = true;
        var input = data.Build();
        return (SourcingPlanner.Plan(input), input, [.. input.Lines]);
    }

    [Fact]
    public void Backordered_units_are_promised_from_inbound_for_the_first_ship_date_on_or_after_the_eta()
    {
        var (plan, input, lines) = OnHandPlan(new SourcingTestData()
            .Wh("NEAR", 10, ("A", 2))
            .Wh("FAR", 500)
            .Line("1", "A", 5));

        var extended = InboundSourcing.Extend(plan, lines, input, [new InboundSupply("FAR", "A", "transfer:T1", 10, WednesdayMorning)], latestShipDate: null);

        Assert.Empty(extended.Backordered);
        Assert.Equal(2, extended.Allocated("1", "NEAR"));
        var inbound = Assert.Single(extended.Allocations, a => a.InboundSource is not null);
        Assert.Equal(("FAR", 3, "transfer:T1", Monday.AddDays(2)), (inbound.WarehouseId, inbound.Quantity, inbound.InboundSource, inbound.PromisedShipDate));
    }

    [Fact]
    public void Units_arriving_after_the_cutoff_ship_the_next_working_day()
    {
        var (plan, input, lines) = OnHandPlan(new SourcingTestData().Wh("W", 10).Line("1", "A", 1));

        // Friday 20:00 UTC: after the cutoff, so the next working day (Monday).
        var fridayEvening = SourcingTestData.MondayMorning.AddDays(4).AddHours(11);
        var extended = InboundSourcing.Extend(plan, lines, input, [new InboundSupply("W", "A", "purchaseOrder:P1", 5, fridayEvening)], null);

        Assert.Equal(Monday.AddDays(7), Assert.Single(extended.Allocations).PromisedShipDate);
    }

    [Fact]
    public void An_eta_in_the_past_promises_from_now()
    {
        var (plan, input, lines) = OnHandPlan(new SourcingTestData().Wh("W", 10).Line("1", "A", 1));

        var extended = InboundSourcing.Extend(plan, lines, input, [new InboundSupply("W", "A", "transfer:LATE", 5, SourcingTestData.MondayMorning.AddDays(-3))], null);

        Assert.Equal(Monday, Assert.Single(extended.Allocations).PromisedShipDate);
    }

    [Fact]
    public void The_earliest_promise_wins_over_the_nearer_warehouse()
    {
        var (plan, input, lines) = OnHandPlan(new SourcingTestData().Wh("NEAR", 10).Wh("FAR", 900).Line("1", "A", 4));

        var extended = InboundSourcing.Extend(plan, lines, input,
        [
            new InboundSupply("NEAR", "A", "transfer:SLOW", 10, WednesdayMorning.AddDays(1)),
            new InboundSupply("FAR", "A", "transfer:FAST", 10, WednesdayMorning),
        ], null);

        var a = Assert.Single(extended.Allocations);
        Assert.Equal(("FAR", "transfer:FAST", 4), (a.WarehouseId, a.InboundSource, a.Quantity));
    }

    [Fact]
    public void A_promise_after_the_requested_date_is_not_taken()
    {
        var (plan, input, lines) = OnHandPlan(new SourcingTestData().Wh("W", 10).Line("1", "A", 4));
        var supply = new[] { new InboundSupply("W", "A", "transfer:T1", 10, WednesdayMorning) };

        var tooLate = InboundSourcing.Extend(plan, lines, input, supply, latestShipDate: Monday.AddDays(1));
        var inTime = InboundSourcing.Extend(plan, lines, input, supply, latestShipDate: Monday.AddDays(2));

        Assert.Empty(tooLate.Allocations);
        Assert.Equal(4, tooLate.Backordered["1"]);
        Assert.Equal(4, inTime.Allocated("1"));
        Assert.Empty(inTime.Backordered);
    }

    [Fact]
    public void Free_units_are_shared_by_the_lines_of_a_sku_and_the_rest_stays_backordered()
    {
        var (plan, input, lines) = OnHandPlan(new SourcingTestData().Wh("W", 10).Line("1", "A", 3).Line("2", "A", 3));

        var extended = InboundSourcing.Extend(plan, lines, input, [new InboundSupply("W", "A", "transfer:T1", 4, WednesdayMorning)], null);

        Assert.Equal(3, extended.Allocated("1"));
        Assert.Equal(1, extended.Allocated("2"));
        Assert.Equal(2, extended.Backordered["2"]);
        Assert.False(extended.Backordered.ContainsKey("1"));
    }

    [Fact]
    public void A_line_takes_one_source_per_warehouse_and_keeps_the_one_it_holds()
    {
        var (plan, input, lines) = OnHandPlan(new SourcingTestData().Wh("W", 10).Wh("X", 50).Line("1", "A", 6));
        var supply = new[]
        {
            new InboundSupply("W", "A", "transfer:T1", 2, WednesdayMorning),
            new InboundSupply("W", "A", "transfer:T2", 5, WednesdayMorning),
            new InboundSupply("X", "A", "transfer:T3", 5, WednesdayMorning.AddDays(1)),
        };

        var fresh = InboundSourcing.Extend(plan, lines, input, supply, null);
        var holdingT2 = InboundSourcing.Extend(plan, lines, input, supply, null,
            new Dictionary<(string LineId, string WarehouseId), string> { [("1", "W")] = "transfer:T2" });

        Assert.Equal([("W", "transfer:T1", 2), ("X", "transfer:T3", 4)], fresh.Allocations.Select(a => (a.WarehouseId, a.InboundSource, a.Quantity)));
        Assert.Equal([("W", "transfer:T2", 5), ("X", "transfer:T3", 1)], holdingT2.Allocations.Select(a => (a.WarehouseId, a.InboundSource, a.Quantity)));
    }

    [Fact]
    public void Offline_warehouses_never_promise_and_a_plan_without_backorders_is_unchanged()
    {
        var (short_, input, lines) = OnHandPlan(new SourcingTestData().Wh("OFF", 10, WarehouseStatus.Offline).Line("1", "A", 2));
        var (filled, filledInput, filledLines) = OnHandPlan(new SourcingTestData().Wh("W", 10, ("A", 5)).Line("1", "A", 2));
        var supply = new[] { new InboundSupply("OFF", "A", "transfer:T1", 5, WednesdayMorning), new InboundSupply("W", "A", "transfer:T2", 5, WednesdayMorning) };

        Assert.Empty(InboundSourcing.Extend(short_, lines, input, supply, null).Allocations);
        Assert.Same(filled, InboundSourcing.Extend(filled, filledLines, filledInput, supply, null));
    }
}
