using Distribution.Common;

namespace Distribution.Replenishment;

/// <summary>Stored state of the network replenishment pass.</summary>
[GenerateSerializer]
public sealed class ReplenishmentReviewState : IHasWakeTime
{
    [Id(0)] public ReviewSummary? LastPass { get; set; }
    /// <summary>When the next periodic pass is due (business time); the recovery sweep wakes the grain then.</summary>
    [Id(1)] public DateTimeOffset? WakeAt { get; set; }
}
