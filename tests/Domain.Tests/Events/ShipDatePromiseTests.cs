using Distribution.Network;

namespace Distribution.Orders.Sourcing.Tests;

public sealed class ShipDatePromiseTests
{
    // 2025-03-04 (winter: Amsterdam UTC+1, New York UTC-5) and 2025-07-15 (summer: UTC+2, UTC-4).
    private static readonly DateOnly WinterDay = new(2025, 3, 4);
    private static readonly DateOnly SummerDay = new(2025, 7, 15);

    private static WarehouseInfo Wh(string timeZone = "UTC") => new()
    {
        WarehouseId = "W",
        Name = "W",
        Location = SourcingTestData.ShipTo,
        TimeZone = timeZone,
        CutoffLocalTime = new TimeOnly(16, 0),
    };

    private static DateTimeOffset Utc(DateOnly date, int hour, int minute = 0) =>
        new(date.ToDateTime(new TimeOnly(hour, minute)), TimeSpan.Zero);

    // ---- LocalDate ----

    [Fact]
    public void Local_date_in_utc_is_the_utc_date()
    {
        Assert.Equal(WinterDay, ShipDateCalendar.LocalDate(Wh(), Utc(WinterDay, 0, 0)));
        Assert.Equal(WinterDay, ShipDateCalendar.LocalDate(Wh(), Utc(WinterDay, 23, 59)));
    }

    [Theory]
    [InlineData("Europe/Amsterdam", 22, 59, 0)]
    [InlineData("Europe/Amsterdam", 23, 0, 1)]
    [InlineData("Europe/Amsterdam", 23, 30, 1)]
    [InlineData("America/New_York", 4, 59, -1)]
    [InlineData("America/New_York", 5, 0, 0)]
    [InlineData("Asia/Tokyo", 14, 59, 0)]
    [InlineData("Asia/Tokyo", 15, 0, 1)]
    public void Local_date_follows_the_warehouse_time_zone_in_winter(string zone, int hour, int minute, int dayOffset) =>
        Assert.Equal(WinterDay.AddDays(dayOffset), ShipDateCalendar.LocalDate(Wh(zone), Utc(WinterDay, hour, minute)));

    [Theory]
    [InlineData("Europe/Amsterdam", 21, 59, 0)]
    [InlineData("Europe/Amsterdam", 22, 0, 1)]
    [InlineData("America/New_York", 3, 59, -1)]
    [InlineData("America/New_York", 4, 0, 0)]
    public void Local_date_follows_daylight_saving_time(string zone, int hour, int minute, int dayOffset) =>
        Assert.Equal(SummerDay.AddDays(dayOffset), ShipDateCalendar.LocalDate(Wh(zone), Utc(SummerDay, hour, minute)));

    [Fact]
    public void Local_date_does_not_depend_on_the_offset_the_instant_is_written_in()
    {
        // 2025-03-04 23:30 UTC written as 2025-03-05 08:30 +09:00: still the 4th in New York, the 5th in Amsterdam.
        var at = new DateTimeOffset(2025, 3, 5, 8, 30, 0, TimeSpan.FromHours(9));

        Assert.Equal(WinterDay, ShipDateCalendar.LocalDate(Wh("America/New_York"), at));
        Assert.Equal(WinterDay.AddDays(1), ShipDateCalendar.LocalDate(Wh("Europe/Amsterdam"), at));
        Assert.Equal(WinterDay, ShipDateCalendar.LocalDate(Wh("UTC"), at));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Not/AZone")]
    public void Unknown_time_zone_falls_back_to_utc(string zone) =>
        Assert.Equal(WinterDay, ShipDateCalendar.LocalDate(Wh(zone), Utc(WinterDay, 23, 30)));

    // ---- BreaksPromise ----

    [Fact]
    public void Shipping_on_the_promised_local_date_is_not_a_breach()
    {
        Assert.False(ShipDateCalendar.BreaksPromise(Wh(), WinterDay, Utc(WinterDay, 0, 0)));
        Assert.False(ShipDateCalendar.BreaksPromise(Wh(), WinterDay, Utc(WinterDay, 23, 59)));
    }

    [Fact]
    public void Shipping_before_the_promised_date_is_not_a_breach() =>
        Assert.False(ShipDateCalendar.BreaksPromise(Wh(), WinterDay, Utc(WinterDay.AddDays(-2), 12)));

    [Fact]
    public void Shipping_on_a_later_local_date_is_a_breach()
    {
        Assert.True(ShipDateCalendar.BreaksPromise(Wh(), WinterDay, Utc(WinterDay.AddDays(1), 0, 0)));
        Assert.True(ShipDateCalendar.BreaksPromise(Wh(), WinterDay, Utc(WinterDay.AddDays(5), 12)));
    }

    [Fact]
    public void Amsterdam_late_evening_utc_is_already_the_next_local_day()
    {
        var amsterdam = Wh("Europe/Amsterdam");

        // 23:30 UTC = 00:30 the next day in Amsterdam: late.
        Assert.True(ShipDateCalendar.BreaksPromise(amsterdam, WinterDay, Utc(WinterDay, 23, 30)));
        Assert.True(ShipDateCalendar.BreaksPromise(amsterdam, SummerDay, Utc(SummerDay, 23, 30)));

        // The same instant is in time for a UTC warehouse.
        Assert.False(ShipDateCalendar.BreaksPromise(Wh(), WinterDay, Utc(WinterDay, 23, 30)));

        // 22:30 UTC in winter = 23:30 in Amsterdam: still on time.
        Assert.False(ShipDateCalendar.BreaksPromise(amsterdam, WinterDay, Utc(WinterDay, 22, 30)));
    }

    [Fact]
    public void New_york_early_morning_utc_is_still_the_promised_local_day()
    {
        var newYork = Wh("America/New_York");

        // 02:00 UTC the day after = 21:00 (winter) or 22:00 (summer) on the promised day in New York: on time.
        Assert.False(ShipDateCalendar.BreaksPromise(newYork, WinterDay, Utc(WinterDay.AddDays(1), 2, 0)));
        Assert.False(ShipDateCalendar.BreaksPromise(newYork, SummerDay, Utc(SummerDay.AddDays(1), 2, 0)));

        // The same instant is late for a UTC warehouse.
        Assert.True(ShipDateCalendar.BreaksPromise(Wh(), WinterDay, Utc(WinterDay.AddDays(1), 2, 0)));

        // 05:00 UTC the day after (winter) = 00:00 the next day in New York: late.
        Assert.True(ShipDateCalendar.BreaksPromise(newYork, WinterDay, Utc(WinterDay.AddDays(1), 5, 0)));
    }

    [Fact]
    public void Promise_made_by_the_calendar_is_kept_until_local_midnight()
    {
        // A Berlin warehouse promises Monday for an order allocated Monday morning; shipping at 23:59 Berlin
        // time keeps the promise, shipping at 00:00 Berlin time on Tuesday breaks it.
        var berlin = Wh("Europe/Berlin");
        var promised = Assert.NotNull(ShipDateCalendar.PromisedShipDate(berlin, SourcingTestData.MondayMorning, new HashSet<DateOnly>()));
        Assert.Equal(SourcingTestData.Monday, promised);

        Assert.False(ShipDateCalendar.BreaksPromise(berlin, promised, Utc(SourcingTestData.Monday, 22, 59)));
        Assert.True(ShipDateCalendar.BreaksPromise(berlin, promised, Utc(SourcingTestData.Monday, 23, 0)));
    }
}
