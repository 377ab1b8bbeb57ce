using Distribution.Network;

namespace Distribution.Orders.Sourcing.Tests;

public sealed class ShipDateCalendarTests
{
    private static readonly IReadOnlySet<DateOnly> NoneFull = new HashSet<DateOnly>();

    // 2025-03-03 is a Monday; Berlin is UTC+1 in March before the DST switch (2025-03-30).
    private static readonly DateOnly Monday = new(2025, 3, 3);
    private static readonly DateOnly Tuesday = new(2025, 3, 4);
    private static readonly DateOnly Friday = new(2025, 3, 7);
    private static readonly DateOnly NextMonday = new(2025, 3, 10);

    private static WarehouseInfo Wh(string timeZone = "UTC", TimeOnly? cutoff = null) => new()
    {
        WarehouseId = "W",
        Name = "W",
        Location = SourcingTestData.ShipTo,
        TimeZone = timeZone,
        CutoffLocalTime = cutoff ?? new TimeOnly(16, 0),
    };

    private static DateTimeOffset Utc(DateOnly date, int hour, int minute = 0) =>
        new(date.ToDateTime(new TimeOnly(hour, minute)), TimeSpan.Zero);

    [Fact]
    public void Calendar_fixture_dates_are_the_expected_weekdays()
    {
        Assert.Equal(DayOfWeek.Monday, Monday.DayOfWeek);
        Assert.Equal(DayOfWeek.Friday, Friday.DayOfWeek);
    }

    [Fact]
    public void Before_cutoff_on_a_working_day_ships_today() =>
        Assert.Equal(Monday, ShipDateCalendar.PromisedShipDate(Wh(), Utc(Monday, 15, 59), NoneFull));

    [Fact]
    public void At_or_after_cutoff_ships_next_working_day()
    {
        Assert.Equal(Tuesday, ShipDateCalendar.PromisedShipDate(Wh(), Utc(Monday, 16, 0), NoneFull));
        Assert.Equal(Tuesday, ShipDateCalendar.PromisedShipDate(Wh(), Utc(Monday, 22, 0), NoneFull));
    }

    [Fact]
    public void Cutoff_is_evaluated_in_the_warehouse_time_zone()
    {
        // 14:30 UTC = 15:30 Berlin: before the 16:00 cutoff in both zones.
        Assert.Equal(Monday, ShipDateCalendar.PromisedShipDate(Wh("Europe/Berlin"), Utc(Monday, 14, 30), NoneFull));

        // 15:30 UTC = 16:30 Berlin: past cutoff in Berlin, still before it in UTC.
        var now = Utc(Monday, 15, 30);
        Assert.Equal(Tuesday, ShipDateCalendar.PromisedShipDate(Wh("Europe/Berlin"), now, NoneFull));
        Assert.Equal(Monday, ShipDateCalendar.PromisedShipDate(Wh("UTC"), now, NoneFull));
    }

    [Fact]
    public void Local_date_comes_from_the_warehouse_time_zone()
    {
        // Sunday 23:30 UTC is already Monday 00:30 in Berlin (before cutoff) and still Sunday in New York.
        var now = Utc(Monday.AddDays(-1), 23, 30);
        Assert.Equal(Monday, ShipDateCalendar.PromisedShipDate(Wh("Europe/Berlin"), now, NoneFull));
        Assert.Equal(Monday, ShipDateCalendar.PromisedShipDate(Wh("America/New_York"), now, NoneFull));

        // Monday 23:30 UTC: Tuesday 00:30 in Berlin ships Tuesday; Monday 18:30 in New York (after cutoff) too.
        var late = Utc(Monday, 23, 30);
        Assert.Equal(Tuesday, ShipDateCalendar.PromisedShipDate(Wh("Europe/Berlin"), late, NoneFull));
        Assert.Equal(Tuesday, ShipDateCalendar.PromisedShipDate(Wh("America/New_York"), late, NoneFull));

        // Monday 02:00 UTC is still Sunday evening in New York: next working day is Monday.
        Assert.Equal(Monday, ShipDateCalendar.PromisedShipDate(Wh("America/New_York"), Utc(Monday, 2), NoneFull));
    }

    [Fact]
    public void Friday_after_cutoff_ships_Monday() =>
        Assert.Equal(NextMonday, ShipDateCalendar.PromisedShipDate(Wh(), Utc(Friday, 17), NoneFull));

    [Fact]
    public void Weekend_ships_Monday()
    {
        Assert.Equal(NextMonday, ShipDateCalendar.PromisedShipDate(Wh(), Utc(Friday.AddDays(1), 9), NoneFull));
        Assert.Equal(NextMonday, ShipDateCalendar.PromisedShipDate(Wh(), Utc(Friday.AddDays(2), 9), NoneFull));
    }

    [Fact]
    public void Custom_cutoff_is_honoured()
    {
        var wh = Wh(cutoff: new TimeOnly(11, 30));
        Assert.Equal(Monday, ShipDateCalendar.PromisedShipDate(wh, Utc(Monday, 11, 29), NoneFull));
        Assert.Equal(Tuesday, ShipDateCalendar.PromisedShipDate(wh, Utc(Monday, 11, 30), NoneFull));
    }

    [Fact]
    public void Full_ship_date_moves_promise_to_next_working_day()
    {
        Assert.Equal(Tuesday, ShipDateCalendar.PromisedShipDate(Wh(), Utc(Monday, 9), new HashSet<DateOnly> { Monday }));
        Assert.Equal(NextMonday, ShipDateCalendar.PromisedShipDate(Wh(), Utc(Friday, 9), new HashSet<DateOnly> { Friday }));
    }

    [Fact]
    public void All_dates_full_within_look_ahead_gives_null()
    {
        var full = Enumerable.Range(0, 15).Select(Monday.AddDays).ToHashSet();

        Assert.Null(ShipDateCalendar.PromisedShipDate(Wh(), Utc(Monday, 9), full));
        Assert.Equal(Monday.AddDays(15), ShipDateCalendar.PromisedShipDate(Wh(), Utc(Monday, 9), full, lookAheadDays: 15));
    }

    [Fact]
    public void Look_ahead_zero_only_allows_today()
    {
        Assert.Equal(Monday, ShipDateCalendar.PromisedShipDate(Wh(), Utc(Monday, 9), NoneFull, lookAheadDays: 0));
        Assert.Null(ShipDateCalendar.PromisedShipDate(Wh(), Utc(Monday, 17), NoneFull, lookAheadDays: 0));
    }

    [Fact]
    public void Unknown_time_zone_falls_back_to_utc()
    {
        Assert.Equal(Monday, ShipDateCalendar.PromisedShipDate(Wh("Mars/Olympus_Mons"), Utc(Monday, 15, 30), NoneFull));
        Assert.Equal(Tuesday, ShipDateCalendar.PromisedShipDate(Wh(""), Utc(Monday, 16, 30), NoneFull));
    }

    [Fact]
    public void Now_with_an_offset_is_converted_not_read_as_local()
    {
        // 17:30 at UTC+2 is 15:30 UTC: before cutoff for a UTC warehouse.
        var now = new DateTimeOffset(2025, 3, 3, 17, 30, 0, TimeSpan.FromHours(2));
        Assert.Equal(Monday, ShipDateCalendar.PromisedShipDate(Wh(), now, NoneFull));
    }
}
