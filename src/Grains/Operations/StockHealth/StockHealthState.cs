namespace Distribution.Operations;

/// <summary>Stored state of one warehouse's live stock health: SKU → what its location contributes.</summary>
[GenerateSerializer]
public sealed class StockHealthState
{
    [Id(0)] public Dictionary<string, StockHealthFlags> Skus { get; set; } = new(StringComparer.Ordinal);
    /// <summary>Business time of the last change.</summary>
    [Id(1)] public DateTimeOffset? ChangedAt { get; set; }
}
