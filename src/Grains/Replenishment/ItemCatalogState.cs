namespace Distribution.Replenishment;

/// <summary>Stored state of one item catalog shard.</summary>
[GenerateSerializer]
public sealed class ItemCatalogState
{
    [Id(0)] public HashSet<string> Skus { get; set; } = new(StringComparer.Ordinal);
}
