using Distribution.Common;

namespace Distribution.Integration.BusinessEvents;

/// <summary>
/// Stored state of the finance feed: the last sequence given out and the kept entries (as stored
/// entries in slots, see <see cref="FinanceFeedRing"/>, so an append writes only itself).
/// </summary>
[GenerateSerializer]
public sealed class FinanceFeedState : IHasStoredEntries
{
    [Id(0)] public long LastSequence { get; set; }

    [field: NonSerialized]
    public StoredEntries<FinanceFeedEntry> Entries { get; } = new();

    IEnumerable<KeyValuePair<string, object>> IHasStoredEntries.StoredEntries =>
        Entries.Pairs.Select(p => new KeyValuePair<string, object>(p.Key, p.Value));

    IReadOnlyList<KeyValuePair<string, object?>> IHasStoredEntries.TakeChangedEntries() => Entries.TakeChanges();

    void IHasStoredEntries.LoadEntries(IEnumerable<KeyValuePair<string, object>> entries) => Entries.Load(entries);
}
