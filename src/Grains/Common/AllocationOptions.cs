namespace Distribution.Common;

/// <summary>Tunables of allocation (bound from configuration section <c>Allocation</c>).</summary>
public sealed class AllocationOptions
{
    /// <summary>How long an unconfirmed reservation stays before its SKU-location asks the order about it.</summary>
    public TimeSpan HoldDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How many times an order re-plans after losing a reservation race before it settles.</summary>
    public int MaxPlanAttempts { get; set; } = 4;

    /// <summary>How often an active SKU-location looks for expired holds (real time).</summary>
    public TimeSpan HoldSweepInterval { get; set; } = TimeSpan.FromSeconds(30);
}
