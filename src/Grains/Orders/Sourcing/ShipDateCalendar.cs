using Distribution.Network;

namespace Distribution.Orders.Sourcing;

/// <summary>Works out the date a warehouse promises to ship an order allocated at a given moment.</summary>
public static class ShipDateCalendar
{
    /// <summary>
    /// The ship date <paramref name="w"/> promises for an order allocated at <paramref name="now"/>.
    /// <para>
    /// <paramref name="now"/> is converted to the warehouse's IANA <see cref="WarehouseInfo.TimeZone"/> (an unknown
    /// or empty zone falls back to UTC). Working days are Monday to Friday. If the local date is a working day and the
    /// local time of day is before <see cref="WarehouseInfo.CutoffLocalTime"/>, the first candidate is that date,
    /// otherwise the next working day. Dates in <paramref name="fullShipDates"/> (already at daily order capacity)
    /// and non-working days are then skipped.
    /// </para>
    /// </summary>
    /// <returns>The promised date, or null if none falls within <paramref name="lookAheadDays"/> days of the local date.</returns>
    public static DateOnly? PromisedShipDate(
        WarehouseInfo w,
        DateTimeOffset now,
        IReadOnlySet<DateOnly> fullShipDates,
        int lookAheadDays = 14)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(fullShipDates);
        ArgumentOutOfRangeException.ThrowIfNegative(lookAheadDays);

        var local = TimeZoneInfo.ConvertTime(now, ResolveZone(w.TimeZone)).DateTime;
        var today = DateOnly.FromDateTime(local);
        var timeOfDay = TimeOnly.FromDateTime(local);
        var last = today.AddDays(lookAheadDays);

        var date = IsWorkingDay(today) && timeOfDay < w.CutoffLocalTime ? today : NextWorkingDay(today);
        while (date <= last)
        {
            if (IsWorkingDay(date) && !fullShipDates.Contains(date))
            {
                return date;
            }

            date = date.AddDays(1);
        }

        return null;
    }

    /// <summary>The warehouse's local date at <paramref name="at"/>.</summary>
    public static DateOnly LocalDate(WarehouseInfo w, DateTimeOffset at) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, ResolveZone(w.TimeZone)).DateTime);

    /// <summary>Whether a shipment at <paramref name="shippedAt"/> breaks a promise to ship on <paramref name="promised"/> (a later local date).</summary>
    public static bool BreaksPromise(WarehouseInfo w, DateOnly promised, DateTimeOffset shippedAt) =>
        LocalDate(w, shippedAt) > promised;

    /// <summary>Monday to Friday.</summary>
    public static bool IsWorkingDay(DateOnly date) =>
        date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);

    private static DateOnly NextWorkingDay(DateOnly date)
    {
        do
        {
            date = date.AddDays(1);
        }
        while (!IsWorkingDay(date));

        return date;
    }

    private static TimeZoneInfo ResolveZone(string? id) =>
        !string.IsNullOrWhiteSpace(id) && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone)
            ? zone
            : TimeZoneInfo.Utc;
}
