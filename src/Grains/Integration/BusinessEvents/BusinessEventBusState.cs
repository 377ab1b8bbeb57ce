using Distribution.Common;

namespace Distribution.Integration.BusinessEvents;

/// <summary>Stored state of one bus shard: the events not yet handed to every target.</summary>
[GenerateSerializer]
public sealed class BusinessEventBusState : IHasWakeTime, IHasStoredEntries
{
    [Id(0)] public long NextSequence { get; set; } = 1;

    /// <summary>Set while events wait, so the recovery sweep wakes the shard after a crash.</summary>
    [Id(1)] public DateTimeOffset? WakeAt { get; set; }

    /// <summary>Keyed by <see cref="KeyOf"/>; stored as entries, so a write costs only what changed.</summary>
    [field: NonSerialized]
    public StoredEntries<PendingBusinessEvent> Pending { get; } = new();

    public static string KeyOf(long sequence) => $"pending#{sequence:D19}";

    IEnumerable<KeyValuePair<string, object>> IHasStoredEntries.StoredEntries =>
        Pending.Pairs.Select(p => new KeyValuePair<string, object>(p.Key, p.Value));

    IReadOnlyList<KeyValuePair<string, object?>> IHasStoredEntries.TakeChangedEntries() => Pending.TakeChanges();

    void IHasStoredEntries.LoadEntries(IEnumerable<KeyValuePair<string, object>> entries) => Pending.Load(entries);
}

[GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed record PendingBusinessEvent(
    [property: Id(0)] long Sequence,
    [property: Id(1)] BusinessEvent Event);
