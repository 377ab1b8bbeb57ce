namespace Distribution.Common;

/// <summary>Tunables of allocation (bound from configuration section <c>Allocation</c>).</summary>
public sealed class AllocationOptions
{
    /// <summary>
    /// How long an allocating order may stay unfinished before the recovery sweep wakes it to roll
    /// back or resume (covers a crash between reserving and recording).
    /// </summary>
    public TimeSpan IntentTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// A reservation's expiry: after it, the SKU-location asks the order whether it still owns the
    /// reservation and releases it if not (covers a reservation that reached a SKU-location after
    /// its order gave up on it). Owned reservations are kept for another period.
    /// </summary>
    public TimeSpan ReservationExpiry { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How many times an order re-plans after losing a reservation race before it settles.</summary>
    public int MaxPlanAttempts { get; set; } = 4;

    /// <summary>
    /// How long (in event time) an event id is recognised as a duplicate by the journal, and how long
    /// a SKU-location keeps the pick and ship totals of a finished order line.
    /// </summary>
    public TimeSpan EventDedupeWindow { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// How long a SKU-location waits before sending again a report the network view did not
    /// receive (its silo failed). Wall-clock time, not business time.
    /// </summary>
    public TimeSpan ReportRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

}
