namespace Distribution.Replenishment.Tests;

public sealed class ReceivingScheduleTests
{
    private static readonly DateOnly Day0 = new(2025, 3, 3);
    private static readonly Dictionary<DateOnly, int> NothingDue = [];

    [Fact]
    public void Unlimited_capacity_receives_everything_on_the_earliest_day()
    {
        var parts = ReceivingSchedule.Split(5000, Day0, capacityPerDay: null, new Dictionary<DateOnly, int> { [Day0] = 9999 });

        Assert.Equal([new ReceiptPart(Day0, 5000)], parts);
    }

    [Fact]
    public void A_delivery_that_fits_arrives_in_one_part()
    {
        // 100 per day, 60 already due: 40 fit.
        var parts = ReceivingSchedule.Split(40, Day0, 100, new Dictionary<DateOnly, int> { [Day0] = 60 });

        Assert.Equal([new ReceiptPart(Day0, 40)], parts);
    }

    [Fact]
    public void What_a_day_cannot_take_moves_to_the_next_days_with_room()
    {
        // Capacity 100. Day 0: 60 due → 40 fit. Day 1: full. Day 2: 30 due → 70 fit. 150 − 40 − 70 = 40 on day 3.
        var due = new Dictionary<DateOnly, int> { [Day0] = 60, [Day0.AddDays(1)] = 100, [Day0.AddDays(2)] = 30 };

        var parts = ReceivingSchedule.Split(150, Day0, 100, due);

        Assert.Equal(
            [new ReceiptPart(Day0, 40), new ReceiptPart(Day0.AddDays(2), 70), new ReceiptPart(Day0.AddDays(3), 40)],
            parts);
    }

    [Fact]
    public void Days_already_over_capacity_and_days_before_the_arrival_are_skipped()
    {
        // Day 0 is before the arrival (its free room is irrelevant); day 1 is overbooked (120 > 100).
        var due = new Dictionary<DateOnly, int> { [Day0.AddDays(1)] = 120 };

        var parts = ReceivingSchedule.Split(250, Day0.AddDays(1), 100, due);

        Assert.Equal(
            [new ReceiptPart(Day0.AddDays(2), 100), new ReceiptPart(Day0.AddDays(3), 100), new ReceiptPart(Day0.AddDays(4), 50)],
            parts);
    }

    [Fact]
    public void Nothing_to_receive_gives_no_parts()
    {
        Assert.Empty(ReceivingSchedule.Split(0, Day0, 10, NothingDue));
        Assert.Empty(ReceivingSchedule.Split(0, Day0, null, NothingDue));
    }

    [Fact]
    public void Parts_add_up_and_never_overfill_a_day()
    {
        var random = new Random(42);
        for (var run = 0; run < 200; run++)
        {
            var capacity = random.Next(1, 50);
            var due = new Dictionary<DateOnly, int>();
            for (var d = 0; d < 10; d++)
            {
                due[Day0.AddDays(d)] = random.Next(0, capacity + 10);
            }

            var quantity = random.Next(0, 300);
            var parts = ReceivingSchedule.Split(quantity, Day0, capacity, due);

            Assert.Equal(quantity, parts.Sum(p => p.Quantity));
            Assert.All(parts, p => Assert.True(p.Quantity > 0 && p.Quantity + due.GetValueOrDefault(p.Day) <= capacity));
            Assert.Equal(parts.OrderBy(p => p.Day).Select(p => p.Day).Distinct(), parts.Select(p => p.Day));
        }
    }

    [Fact]
    public void Bad_inputs_name_their_parameter()
    {
        Assert.Equal("capacityPerDay", Assert.Throws<ArgumentOutOfRangeException>(
            () => ReceivingSchedule.Split(1, Day0, 0, NothingDue)).ParamName);
        Assert.Equal("capacityPerDay", Assert.Throws<ArgumentOutOfRangeException>(
            () => ReceivingSchedule.Split(1, Day0, -5, NothingDue)).ParamName);
        Assert.Equal("quantity", Assert.Throws<ArgumentOutOfRangeException>(
            () => ReceivingSchedule.Split(-1, Day0, 10, NothingDue)).ParamName);
        Assert.Equal("alreadyDue", Assert.Throws<ArgumentOutOfRangeException>(
            () => ReceivingSchedule.Split(1, Day0, 10, new Dictionary<DateOnly, int> { [Day0] = -1 })).ParamName);
        Assert.Equal("alreadyDue", Assert.Throws<ArgumentNullException>(
            () => ReceivingSchedule.Split(1, Day0, 10, null!)).ParamName);
    }
}
