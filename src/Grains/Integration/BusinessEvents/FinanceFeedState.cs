using Distribution.Common;

namespace Distribution.Integration.BusinessEvents;

/// <summary>Stored state of the finance feed: its entries (as stored entries, so an append writes only itself).</summary>
[GenerateSerializer]
public sealed class FinanceFeedState : IHasStoredEntries
{
    [Id(0)] public long LastSequence { get; set; }

    [field: NonSerialized]
    public StoredEntries<FinanceFeedEntry> Entries { get; } = new();

    public static string KeyOf(long sequence) => $"feed#{sequence:D19}";

    IEnumerable<KeyValuePair<string, object>> IHasStoredEntries.StoredEntries =>
        Entries.Pairs.Select(p => new KeyValuePair<string, object>(p.Key, p.Value));

    IReadOnlyList<KeyValuePair<string, object?>> IHasStoredEntries.TakeChangedEntries() => Entries.TakeChanges();

    void IHasStoredEntries.LoadEntries(IEnumerable<KeyValuePair<string, object>> entries) => Entries.Load(entries);
}
