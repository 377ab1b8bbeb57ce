namespace Distribution.Replenishment;

/// <summary>Tunables of replenishment (configuration section <c>Replenishment</c>).</summary>
public sealed class ReplenishmentOptions
{
    /// <summary>Business time between two periodic network passes.</summary>
    public TimeSpan ReviewInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>SKU planners a pass asks at once.</summary>
    public int PassConcurrency { get; set; } = 512;
}
