namespace Distribution.Events;

/// <summary>
/// The durable, ordered log of accepted warehouse events, and the queue their streams read. One
/// append of many entries is one write; an entry whose key is already there, or earlier in the
/// same append, is not appended again (duplicate if its payload is the same, conflict if not).
/// Per queue, sequences grow in the order entries became visible, so a reader that remembers the
/// last sequence it handed out never skips one.
/// </summary>
public interface IEventJournal
{
    /// <summary>Appends in one atomic write; one result per entry, in order.</summary>
    Task<IReadOnlyList<JournalAppendResult>> AppendAsync(IReadOnlyList<JournalEntry> entries, CancellationToken cancellationToken = default);

    /// <summary>Entries of <paramref name="queue"/> after <paramref name="afterSequence"/>, in sequence order.</summary>
    Task<IReadOnlyList<StoredJournalEntry>> ReadQueueAsync(int queue, long afterSequence, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// <see cref="ReadQueueAsync"/> as the events the entries hold: what the queue's stream delivers.
    /// A journal that keeps its entries encoded may decode them straight from there.
    /// </summary>
    async Task<IReadOnlyList<JournaledEvent>> ReadQueueEventsAsync(int queue, long afterSequence, int limit, CancellationToken cancellationToken = default) =>
        [.. (await ReadQueueAsync(queue, afterSequence, limit, cancellationToken)).Select(JournalCodec.ToJournaled)];

    /// <summary>Entries accepted in [<paramref name="from"/>, <paramref name="to"/>) after <paramref name="afterSequence"/>, in sequence order.</summary>
    Task<IReadOnlyList<StoredJournalEntry>> ReadRangeAsync(
        DateTimeOffset from, DateTimeOffset to, string? warehouseId, long afterSequence, int limit, CancellationToken cancellationToken = default);

    /// <summary>The last sequence of <paramref name="queue"/> whose events were all processed (0: none).</summary>
    Task<long> ReadCheckpointAsync(int queue, CancellationToken cancellationToken = default);

    Task WriteCheckpointAsync(int queue, long sequence, CancellationToken cancellationToken = default);

    /// <summary>
    /// For each of <paramref name="queues"/>, how many entries after its checkpoint (accepted, not
    /// yet processed), counted up to <paramref name="cap"/>: the backlog ingest pushes back on.
    /// </summary>
    Task<IReadOnlyList<int>> CountPendingAsync(IReadOnlyList<int> queues, int cap, CancellationToken cancellationToken = default);

    /// <summary>Drops entries that occurred before <paramref name="occurredBefore"/>; returns how many.</summary>
    Task<int> PurgeAsync(DateTimeOffset occurredBefore, CancellationToken cancellationToken = default);
}

/// <summary>
/// An event to journal. <see cref="Key"/> is unique: the event id, or the id of a re-drive.
/// <see cref="TraceParent"/> is the W3C trace context of the call that accepted it (null when
/// nothing was traced); it is not part of the payload, so a re-post under another trace is still
/// a duplicate.
/// </summary>
public sealed record JournalEntry(
    string Key,
    int Queue,
    string WarehouseId,
    string Payload,
    DateTimeOffset OccurredAt,
    DateTimeOffset AcceptedAt,
    string? CorrelationId,
    string? RedriveOf,
    string? TraceParent = null);

public sealed record StoredJournalEntry(long Sequence, JournalEntry Entry);

public enum JournalAppendStatus
{
    Appended = 0,
    /// <summary>The key is there with the same payload.</summary>
    Duplicate = 1,
    /// <summary>The key is there with another payload.</summary>
    Conflict = 2,
}

public readonly record struct JournalAppendResult(JournalAppendStatus Status, long Sequence);
