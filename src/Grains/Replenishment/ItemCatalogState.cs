using Distribution.Common;

namespace Distribution.Replenishment;

/// <summary>
/// Stored state of one item catalog shard. Its SKUs are stored entries (key and value the SKU), so
/// adding an item writes that item, not the whole shard: rewriting a growing shard per item made
/// seeding 50,000 items into PostgreSQL quadratic.
/// </summary>
[GenerateSerializer]
public sealed class ItemCatalogState : IHasStoredEntries
{
    /// <summary>The SKUs as states stored before they became entries; moved to entries when read.</summary>
    [Id(0)] public HashSet<string>? InlineSkus { get; set; }

    [field: NonSerialized]
    public StoredEntries<string> Skus { get; } = new();

    IEnumerable<KeyValuePair<string, object>> IHasStoredEntries.StoredEntries =>
        Skus.Pairs.Select(p => new KeyValuePair<string, object>(p.Key, p.Value));

    IReadOnlyList<KeyValuePair<string, object?>> IHasStoredEntries.TakeChangedEntries() => Skus.TakeChanges();

    void IHasStoredEntries.LoadEntries(IEnumerable<KeyValuePair<string, object>> entries)
    {
        Skus.Load(entries);
        if (InlineSkus is { } inline)
        {
            // Marked changed, so the next write stores them as entries.
            foreach (var sku in inline)
            {
                Skus[sku] = sku;
            }

            InlineSkus = null;
        }
    }
}
