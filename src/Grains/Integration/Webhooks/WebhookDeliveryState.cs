using Distribution.Common;
using Distribution.Integration.BusinessEvents;

namespace Distribution.Integration.Webhooks;

/// <summary>Stored state of one subscription's delivery queue.</summary>
[GenerateSerializer]
public sealed class WebhookDeliveryState : IHasWakeTime, IHasStoredEntries
{
    /// <summary>Null before the subscription is configured and after it was deleted.</summary>
    [Id(0)] public SubscriptionTarget? Target { get; set; }
    [Id(1)] public long NextSequence { get; set; } = 1;
    [Id(2)] public long Delivered { get; set; }
    /// <summary>Ids delivered lately (at most <see cref="MaxRecent"/>), so a republished event is not sent twice.</summary>
    [Id(3)] public List<string> RecentlyDelivered { get; set; } = [];
    /// <summary>The next attempt that is due, so the recovery sweep wakes the queue after a restart.</summary>
    [Id(4)] public DateTimeOffset? WakeAt { get; set; }

    public const int MaxRecent = 500;

    [field: NonSerialized]
    public StoredEntries<QueuedDelivery> Queue { get; } = new();

    public static string KeyOf(long sequence) => $"delivery#{sequence:D19}";

    IEnumerable<KeyValuePair<string, object>> IHasStoredEntries.StoredEntries =>
        Queue.Pairs.Select(p => new KeyValuePair<string, object>(p.Key, p.Value));

    IReadOnlyList<KeyValuePair<string, object?>> IHasStoredEntries.TakeChangedEntries() => Queue.TakeChanges();

    void IHasStoredEntries.LoadEntries(IEnumerable<KeyValuePair<string, object>> entries) => Queue.Load(entries);
}

/// <summary>An event waiting to be delivered to one subscription.</summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed record QueuedDelivery
{
    [Id(0)] public long Sequence { get; init; }
    [Id(1)] public required BusinessEvent Event { get; init; }
    /// <summary>Attempts made so far (since the last re-drive).</summary>
    [Id(2)] public int Attempts { get; init; }
    [Id(3)] public DateTimeOffset NextAttemptAt { get; init; }
    [Id(4)] public string? LastError { get; init; }
    /// <summary>Every attempt failed: waits for an operator (retry or resolve), holding back its entity's later events.</summary>
    [Id(5)] public bool DeadLettered { get; init; }
    /// <summary>Re-driven from the exception queue: its success resolves the exception.</summary>
    [Id(6)] public bool Redriven { get; init; }
}
