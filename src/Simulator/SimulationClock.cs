namespace Distribution.Simulator;

/// <summary>
/// Business time of a simulation: it stands still until the simulator moves it, and only forwards,
/// so days of network activity pass in seconds. Timers created from it run on real time (the base
/// implementation), which is what the hub's sweeps expect: they poll, then compare with this clock.
/// </summary>
internal sealed class SimulationClock(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    /// <summary>Moves the clock to <paramref name="at"/>; never backwards.</summary>
    public void AdvanceTo(DateTimeOffset at)
    {
        long current;
        do
        {
            current = Interlocked.Read(ref _ticks);
            if (at.UtcTicks <= current)
            {
                return;
            }
        }
        while (Interlocked.CompareExchange(ref _ticks, at.UtcTicks, current) != current);
    }
}
