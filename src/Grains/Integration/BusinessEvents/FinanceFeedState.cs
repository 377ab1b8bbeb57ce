using Distribution.Common;

namespace Distribution.Integration.BusinessEvents;

/// <summary>
/// Stored state of the finance feed: the last sequence given out and the kept entries, stored in
/// chunks (see <see cref="FinanceFeedRing"/>), so a write of many appends stores a few rows.
/// <see cref="Entries"/> holds entries stored one per row by earlier versions (loaded, then
/// moved into chunks).
/// </summary>
[GenerateSerializer]
public sealed class FinanceFeedState : IHasStoredEntries
{
    [Id(0)] public long LastSequence { get; set; }

    /// <summary>
    /// The oldest kept sequence (0: not recorded, as in earlier versions). A chunk keeps evicted
    /// entries until its slot is reused; they are not read back.
    /// </summary>
    [Id(1)] public long FirstKept { get; set; }

    /// <summary>Entries stored one per row (keys <c>feed#…</c> or <c>feed@…</c>) by earlier versions.</summary>
    [field: NonSerialized]
    public StoredEntries<FinanceFeedEntry> Entries { get; } = new();

    [field: NonSerialized]
    public StoredEntries<FinanceFeedChunk> Chunks { get; } = new();

    IEnumerable<KeyValuePair<string, object>> IHasStoredEntries.StoredEntries =>
        Entries.Pairs.Select(p => new KeyValuePair<string, object>(p.Key, p.Value))
            .Concat(Chunks.Pairs.Select(p => new KeyValuePair<string, object>(p.Key, p.Value)));

    IReadOnlyList<KeyValuePair<string, object?>> IHasStoredEntries.TakeChangedEntries() => [.. Entries.TakeChanges(), .. Chunks.TakeChanges()];

    void IHasStoredEntries.LoadEntries(IEnumerable<KeyValuePair<string, object>> entries)
    {
        var all = entries.ToList();
        Entries.Load(all.Where(e => e.Value is FinanceFeedEntry));
        Chunks.Load(all.Where(e => e.Value is FinanceFeedChunk));
    }
}
