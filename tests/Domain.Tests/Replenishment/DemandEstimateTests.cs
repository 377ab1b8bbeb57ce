using System.Runtime.CompilerServices;

namespace Distribution.Replenishment.Tests;

public sealed class DemandEstimateTests
{
    private const double Tolerance = 1e-9;

    // 2025-03-03 is a Monday.
    private static readonly DateOnly Day1 = new(2025, 3, 3);

    private static DateOnly Day(int n) => Day1.AddDays(n - 1);

    [Fact]
    public void Default_is_an_empty_estimate_with_the_default_smoothing()
    {
        var empty = default(DemandEstimate);

        Assert.Equal(0.1, DemandEstimate.DefaultSmoothing);
        Assert.Equal(DemandEstimate.DefaultSmoothing, empty.Smoothing);
        Assert.Equal(0, empty.Rate);
        Assert.Equal(0, empty.Variance);
        Assert.Equal(0, empty.DaysObserved);
        Assert.Null(empty.PendingDay);
        Assert.Equal(empty, new DemandEstimate(DemandEstimate.DefaultSmoothing));
        Assert.Equal(empty, new DemandEstimate());
    }

    [Fact]
    public void Nothing_recorded_learns_nothing_from_passing_days()
    {
        var estimate = default(DemandEstimate).AsOf(Day(30));

        Assert.Equal(default, estimate);
    }

    [Fact]
    public void The_current_day_is_accumulated_not_folded()
    {
        var estimate = default(DemandEstimate).Record(Day(1), 5).Record(Day(1), 3);

        Assert.Equal(Day(1), estimate.PendingDay);
        Assert.Equal(8, estimate.PendingQuantity);
        Assert.Equal(0, estimate.DaysObserved);
        Assert.Equal(0, estimate.Rate);
        Assert.Equal(estimate, estimate.AsOf(Day(1)));
    }

    [Fact]
    public void The_first_completed_day_sets_the_rate_with_no_variance()
    {
        var estimate = default(DemandEstimate).Record(Day(1), 7).AsOf(Day(2));

        Assert.Equal(7, estimate.Rate, Tolerance);
        Assert.Equal(0, estimate.Variance, Tolerance);
        Assert.Equal(1, estimate.DaysObserved);
        Assert.Equal(Day(2), estimate.PendingDay);
        Assert.Equal(0, estimate.PendingQuantity);
    }

    [Fact]
    public void Cold_start_days_give_their_plain_mean_and_population_variance()
    {
        // α = 0.1: the first 10 days are weighted 1/n. Days 4, 8, 6, 2: mean 20/4 = 5;
        // squared deviations 1 + 9 + 1 + 9 = 20, population variance 20/4 = 5.
        var estimate = default(DemandEstimate)
            .Record(Day(1), 4)
            .Record(Day(2), 8)
            .Record(Day(3), 6)
            .Record(Day(4), 2)
            .AsOf(Day(5));

        Assert.Equal(5, estimate.Rate, Tolerance);
        Assert.Equal(5, estimate.Variance, Tolerance);
        Assert.Equal(Math.Sqrt(5), estimate.StandardDeviation, Tolerance);
        Assert.Equal(4, estimate.DaysObserved);
    }

    [Fact]
    public void After_the_cold_start_each_day_weighs_alpha()
    {
        // Ten days of 10: rate 10, variance 0. Day 11 ships 20: δ = 10, rate = 10 + 0.1·10 = 11,
        // variance = 0.9·(0 + 0.1·10²) = 9.
        var estimate = default(DemandEstimate);
        for (var n = 1; n <= 10; n++)
        {
            estimate = estimate.Record(Day(n), 10);
        }

        estimate = estimate.Record(Day(11), 20).AsOf(Day(12));

        Assert.Equal(11, estimate.Rate, Tolerance);
        Assert.Equal(9, estimate.Variance, Tolerance);
        Assert.Equal(11, estimate.DaysObserved);
    }

    [Fact]
    public void A_gap_folds_one_zero_demand_day_per_missing_day()
    {
        // α = 0.5. Day 1: 10 → rate 10, var 0. Day 2: 20 → δ 10, rate 15, var 0.5·(0 + 0.5·100) = 25.
        // Days 3–5 shipped nothing: δ −15 → 7.5, var 0.5·(25 + 0.5·225) = 68.75;
        // δ −7.5 → 3.75, var 0.5·(68.75 + 0.5·56.25) = 48.4375; δ −3.75 → 1.875, var 0.5·(48.4375 + 0.5·14.0625) = 27.734375.
        var estimate = new DemandEstimate(0.5)
            .Record(Day(1), 10)
            .Record(Day(2), 20)
            .Record(Day(6), 4);

        Assert.Equal(1.875, estimate.Rate, Tolerance);
        Assert.Equal(27.734375, estimate.Variance, Tolerance);
        Assert.Equal(5, estimate.DaysObserved);
        Assert.Equal(Day(6), estimate.PendingDay);
        Assert.Equal(4, estimate.PendingQuantity);
    }

    [Theory]
    [InlineData(0.1, 2, 40)]      // gap starts inside the cold start
    [InlineData(0.1, 25, 365)]    // long idle period past the cold start
    [InlineData(0.25, 1, 7)]
    [InlineData(1.0, 3, 5)]
    public void A_long_gap_folds_exactly_as_recording_each_zero_day(double alpha, int historyDays, int gapDays)
    {
        var history = new DemandEstimate(alpha);
        for (var n = 1; n <= historyDays; n++)
        {
            history = history.Record(Day(n), (n * 7) % 11);
        }

        var resume = Day(historyDays + gapDays + 1);
        var dayByDay = history;
        for (var n = historyDays + 1; n < historyDays + gapDays + 1; n++)
        {
            dayByDay = dayByDay.Record(Day(n), 0);
        }

        dayByDay = dayByDay.AsOf(resume);
        var atOnce = history.AsOf(resume);

        Assert.Equal(dayByDay.DaysObserved, atOnce.DaysObserved);
        Assert.Equal(historyDays + gapDays, atOnce.DaysObserved);
        Assert.Equal(dayByDay.Rate, atOnce.Rate, 1e-9);
        Assert.Equal(dayByDay.Variance, atOnce.Variance, 1e-9);
    }

    [Fact]
    public void AsOf_then_a_later_record_folds_only_the_days_in_between()
    {
        // α = 0.5. Day 1: 8 → rate 8. AsOf(day 3) folds day 2 as zero: δ −8, rate 4, var 0.5·(0 + 0.5·64) = 16.
        // Record(day 5, 6) folds days 3 and 4 as zeros: rate 2, var 0.5·(16 + 0.5·16) = 12; rate 1, var 0.5·(12 + 0.5·4) = 7.
        var folded = new DemandEstimate(0.5).Record(Day(1), 8).AsOf(Day(3));
        Assert.Equal(4, folded.Rate, Tolerance);
        Assert.Equal(16, folded.Variance, Tolerance);
        Assert.Equal(Day(3), folded.PendingDay);

        var later = folded.Record(Day(5), 6);

        Assert.Equal(1, later.Rate, Tolerance);
        Assert.Equal(7, later.Variance, Tolerance);
        Assert.Equal(4, later.DaysObserved);
        Assert.Equal(6, later.PendingQuantity);
    }

    [Fact]
    public void AsOf_a_day_not_after_the_pending_day_changes_nothing()
    {
        var estimate = default(DemandEstimate).Record(Day(1), 3).Record(Day(4), 2);

        Assert.Equal(estimate, estimate.AsOf(Day(4)));
        Assert.Equal(estimate, estimate.AsOf(Day(2)));
        Assert.Equal(estimate.AsOf(Day(9)), estimate.AsOf(Day(9)).AsOf(Day(9)));
    }

    [Fact]
    public void A_late_event_counts_on_the_pending_day()
    {
        var estimate = default(DemandEstimate).Record(Day(1), 3).Record(Day(3), 2).Record(Day(2), 5);

        Assert.Equal(Day(3), estimate.PendingDay);
        Assert.Equal(7, estimate.PendingQuantity);
        Assert.Equal(2, estimate.DaysObserved);
    }

    [Fact]
    public void Zero_quantities_are_recorded_days()
    {
        // Day 1: 0 starts the history; α = 0.5, day 2: 10 → rate 5, variance 0.5·(0 + 0.5·100) = 25.
        var estimate = new DemandEstimate(0.5).Record(Day(1), 0).Record(Day(2), 10).AsOf(Day(3));

        Assert.Equal(5, estimate.Rate, Tolerance);
        Assert.Equal(25, estimate.Variance, Tolerance);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.1)]
    [InlineData(1.0001)]
    [InlineData(double.NaN)]
    public void Smoothing_outside_zero_to_one_is_rejected(double alpha)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new DemandEstimate(alpha));
        Assert.Equal("smoothing", e.ParamName);
    }

    [Theory]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Negative_or_non_finite_quantities_are_rejected(double quantity)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => default(DemandEstimate).Record(Day(1), quantity));
        Assert.Equal("quantity", e.ParamName);
    }

    [Fact]
    public void Restore_rebuilds_an_equal_estimate_from_its_properties()
    {
        var original = new DemandEstimate(0.2).Record(Day(1), 4).Record(Day(2), 9).Record(Day(5), 1);

        var restored = DemandEstimate.Restore(
            original.Smoothing, original.Rate, original.Variance, original.DaysObserved, original.PendingDay, original.PendingQuantity);

        Assert.Equal(original, restored);
        Assert.Equal(original.Record(Day(7), 3), restored.Record(Day(7), 3));
        Assert.Equal(default, DemandEstimate.Restore(0.1, 0, 0, 0, null, 0));
    }

    [Fact]
    public void Restore_rejects_impossible_values()
    {
        Assert.Equal("variance", Assert.Throws<ArgumentOutOfRangeException>(
            () => DemandEstimate.Restore(0.1, 1, -1, 1, Day(2), 0)).ParamName);
        Assert.Equal("daysObserved", Assert.Throws<ArgumentOutOfRangeException>(
            () => DemandEstimate.Restore(0.1, 1, 0, -1, Day(2), 0)).ParamName);
        Assert.Equal("smoothing", Assert.Throws<ArgumentOutOfRangeException>(
            () => DemandEstimate.Restore(2, 1, 0, 1, Day(2), 0)).ParamName);
        Assert.Equal("pendingDay", Assert.Throws<ArgumentException>(
            () => DemandEstimate.Restore(0.1, 1, 0, 1, null, 0)).ParamName);
    }

    [Fact]
    public void An_estimate_is_small_holds_no_references_and_allocates_nothing()
    {
        Assert.False(RuntimeHelpers.IsReferenceOrContainsReferences<DemandEstimate>());
        Assert.True(Unsafe.SizeOf<DemandEstimate>() <= 48, $"{Unsafe.SizeOf<DemandEstimate>()} bytes");

        var estimate = default(DemandEstimate).Record(Day(1), 1).Record(Day(3), 2).AsOf(Day(400));
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var n = 1; n <= 1000; n++)
        {
            estimate = estimate.Record(Day(n * 3), n % 5).AsOf(Day((n * 3) + 2));
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
        Assert.True(estimate.Rate > 0);
    }
}
