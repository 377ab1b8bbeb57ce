namespace Distribution.Replenishment.Tests;

public sealed class ReorderLevelsTests
{
    [Fact]
    public void Service_level_safety_stock_with_a_fixed_lead_time()
    {
        // d = 10/day, σd² = 4, LT = 9 days, σLT = 0, 95 % → z = 1.644854.
        // SS = 1.644854·√(9·4 + 100·0) = 1.644854·6 = 9.869 → 10. ROP = 10·9 + 10 = 100.
        var levels = ReorderLevels.For(10, 4, new LeadTime(9), serviceLevel: 0.95);

        Assert.Equal(new ReorderLevels(10, 100), levels);
        Assert.Equal(90, levels.LeadTimeDemand);
    }

    [Fact]
    public void Lead_time_variability_adds_to_safety_stock()
    {
        // d = 20, σd² = 25, LT = 4, σLT = 1, 99 % → z = 2.326348.
        // LT·σd² = 100, d²·σLT² = 400; √500 = 22.36068; SS = 2.326348·22.36068 = 52.019 → 53. ROP = 80 + 53 = 133.
        var levels = ReorderLevels.For(20, 25, new LeadTime(4, 1), serviceLevel: 0.99);

        Assert.Equal(new ReorderLevels(53, 133), levels);
    }

    [Fact]
    public void Safety_stock_units_are_not_rounded()
    {
        // z = 2, d = 5, σd² = 9, LT = 2.5, σLT = 0.4: 2.5·9 + 25·0.16 = 22.5 + 4 = 26.5; 2·√26.5 = 10.29563.
        Assert.Equal(10.29563, ReorderLevels.SafetyStockUnits(2, 5, 9, new LeadTime(2.5, 0.4)), 5);
    }

    [Fact]
    public void A_fixed_safety_stock_overrides_the_service_level()
    {
        // Fixed SS = 7 whatever the 99 % would give; ROP = ⌈12·3⌉ + 7 = 43.
        var levels = ReorderLevels.For(12, 100, new LeadTime(3, 2), serviceLevel: 0.99, fixedSafetyStock: 7);

        Assert.Equal(new ReorderLevels(7, 43), levels);
        Assert.Equal(new ReorderLevels(0, 36), ReorderLevels.For(12, 100, new LeadTime(3, 2), null, fixedSafetyStock: 0));
    }

    [Fact]
    public void Without_service_level_or_fixed_safety_stock_there_is_none()
    {
        // ROP = ⌈2.5·3⌉ = ⌈7.5⌉ = 8.
        Assert.Equal(new ReorderLevels(0, 8), ReorderLevels.For(2.5, 9, new LeadTime(3, 1), serviceLevel: null));
    }

    [Fact]
    public void A_service_level_below_half_keeps_no_safety_stock()
    {
        // z(0.3) = −0.524 would be negative; SS = 0, ROP = ⌈4·5⌉ = 20.
        Assert.Equal(new ReorderLevels(0, 20), ReorderLevels.For(4, 9, new LeadTime(5), serviceLevel: 0.3));
        Assert.Equal(0, ReorderLevels.SafetyStockUnits(-1, 4, 9, new LeadTime(5)));
    }

    [Fact]
    public void No_demand_needs_no_stock()
    {
        Assert.Equal(new ReorderLevels(0, 0), ReorderLevels.For(0, 0, new LeadTime(10, 3), serviceLevel: 0.999));
        Assert.Equal(new ReorderLevels(0, 0), ReorderLevels.For(default(DemandEstimate), new LeadTime(10, 3), 0.99));
    }

    [Fact]
    public void Floating_point_noise_does_not_round_up_a_whole_unit()
    {
        // 0.1·3 = 0.30000000000000004; times LT 10 = 3.0000000000000004, which is 3 units, not 4.
        Assert.Equal(new ReorderLevels(0, 3), ReorderLevels.For(0.1 * 3, 0, new LeadTime(10), serviceLevel: null));
    }

    [Fact]
    public void Levels_from_a_demand_estimate_use_its_rate_and_variance()
    {
        // Cold start over days 4, 8, 6, 2: d = 5, σd² = 5. LT = 5, σLT = 0, 97.5 % → z = 1.959964.
        // SS = 1.959964·√(5·5) = 9.7998 → 10; ROP = 25 + 10 = 35.
        var day = new DateOnly(2025, 3, 3);
        var demand = default(DemandEstimate)
            .Record(day, 4).Record(day.AddDays(1), 8).Record(day.AddDays(2), 6).Record(day.AddDays(3), 2)
            .AsOf(day.AddDays(4));

        Assert.Equal(new ReorderLevels(10, 35), ReorderLevels.For(demand, new LeadTime(5), 0.975));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void Service_level_outside_zero_to_one_is_rejected(double level)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ReorderLevels.For(1, 1, new LeadTime(1), level));
        Assert.Equal("serviceLevel", e.ParamName);
    }

    [Fact]
    public void Bad_inputs_name_their_parameter()
    {
        Assert.Equal("fixedSafetyStock", Assert.Throws<ArgumentOutOfRangeException>(
            () => ReorderLevels.For(1, 1, new LeadTime(1), null, fixedSafetyStock: -1)).ParamName);
        Assert.Equal("demandRate", Assert.Throws<ArgumentOutOfRangeException>(
            () => ReorderLevels.For(-1, 1, new LeadTime(1), 0.9)).ParamName);
        Assert.Equal("demandVariance", Assert.Throws<ArgumentOutOfRangeException>(
            () => ReorderLevels.For(1, double.NaN, new LeadTime(1), 0.9)).ParamName);
        Assert.Equal("z", Assert.Throws<ArgumentOutOfRangeException>(
            () => ReorderLevels.SafetyStockUnits(double.PositiveInfinity, 1, 1, new LeadTime(1))).ParamName);
        Assert.Equal("days", Assert.Throws<ArgumentOutOfRangeException>(() => new LeadTime(-1)).ParamName);
        Assert.Equal("stdDevDays", Assert.Throws<ArgumentOutOfRangeException>(() => new LeadTime(1, -0.5)).ParamName);
    }

    [Theory]
    [InlineData(0.0, 0)]
    [InlineData(3.0, 3)]
    [InlineData(2.2, 3)]
    [InlineData(0.5, 1)]
    public void Arrival_is_whole_days_rounded_up(double days, int expectedOffset)
    {
        var day = new DateOnly(2025, 3, 3);
        Assert.Equal(day.AddDays(expectedOffset), new LeadTime(days).ArrivalFrom(day));
    }
}
