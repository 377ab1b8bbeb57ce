namespace Distribution.Replenishment;

/// <summary>Stored state of one destination warehouse's replenishment board.</summary>
[GenerateSerializer]
public sealed class ReplenishmentBoardState
{
    [Id(0)] public Dictionary<string, Recommendation> Recommendations { get; set; } = new(StringComparer.Ordinal);
    /// <summary>Numbers recommendation ids at this board.</summary>
    [Id(1)] public long Sequence { get; set; }
}
