namespace Distribution.Replenishment;

/// <summary>Tunables of replenishment (configuration section <c>Replenishment</c>).</summary>
public sealed class ReplenishmentOptions
{
    /// <summary>Business time between two periodic network passes.</summary>
    public TimeSpan ReviewInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>SKU planners a pass asks at once.</summary>
    public int PassConcurrency { get; set; } = 512;

    /// <summary>
    /// Whether a SKU whose stock fell at a location with a policy reviews itself soon after
    /// (<see cref="ChangeReviewDelay"/>), rather than waiting for the next periodic pass.
    /// </summary>
    public bool ReviewOnChange { get; set; } = true;

    /// <summary>How long a SKU gathers stock changes before it reviews them (real time: it debounces bursts).</summary>
    public TimeSpan ChangeReviewDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Business time a decided recommendation stays on its board after it was dismissed or received.</summary>
    public TimeSpan DecidedRetention { get; set; } = TimeSpan.FromDays(30);
}
