using System.Collections.Concurrent;

namespace Distribution.Events;

/// <summary>
/// The event journal of embedded mode: in process memory, gone when the process ends (like the
/// rest of embedded state). Silos of one service in one process (a test cluster) share it.
/// </summary>
public sealed class MemoryEventJournal : IEventJournal
{
    private static readonly ConcurrentDictionary<string, MemoryEventJournal> ByService = new(StringComparer.Ordinal);

    private readonly Lock _lock = new();
    private readonly Dictionary<string, StoredJournalEntry> _byKey = new(StringComparer.Ordinal);
    private readonly List<StoredJournalEntry> _entries = [];
    // The same entries by queue, so a queue's reader and backlog count skip the other queues.
    private readonly Dictionary<int, List<StoredJournalEntry>> _byQueue = [];
    private readonly Dictionary<int, long> _checkpoints = [];
    private long _sequence;

    /// <summary>The journal of <paramref name="serviceId"/> in this process.</summary>
    public static MemoryEventJournal For(string serviceId) => ByService.GetOrAdd(serviceId, _ => new MemoryEventJournal());

    public Task<IReadOnlyList<JournalAppendResult>> AppendAsync(IReadOnlyList<JournalEntry> entries, CancellationToken cancellationToken = default)
    {
        var results = new JournalAppendResult[entries.Count];
        lock (_lock)
        {
            for (var i = 0; i < entries.Count; i++)
            {
                var entry = entries[i];
                if (_byKey.TryGetValue(entry.Key, out var known))
                {
                    var same = string.Equals(known.Entry.Payload, entry.Payload, StringComparison.Ordinal);
                    results[i] = new(same ? JournalAppendStatus.Duplicate : JournalAppendStatus.Conflict, known.Sequence);
                    continue;
                }

                var stored = new StoredJournalEntry(++_sequence, entry);
                _byKey[entry.Key] = stored;
                _entries.Add(stored);
                if (!_byQueue.TryGetValue(entry.Queue, out var queue))
                {
                    _byQueue[entry.Queue] = queue = [];
                }

                queue.Add(stored);
                results[i] = new(JournalAppendStatus.Appended, stored.Sequence);
            }
        }

        return Task.FromResult<IReadOnlyList<JournalAppendResult>>(results);
    }

    public Task<IReadOnlyList<StoredJournalEntry>> ReadQueueAsync(int queue, long afterSequence, int limit, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Read(_byQueue.GetValueOrDefault(queue) ?? [], _ => true, afterSequence, limit);
        }
    }

    public Task<IReadOnlyList<StoredJournalEntry>> ReadRangeAsync(
        DateTimeOffset from, DateTimeOffset to, string? warehouseId, long afterSequence, int limit, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Read(_entries, e => e.Entry.AcceptedAt >= from && e.Entry.AcceptedAt < to && (warehouseId is null || e.Entry.WarehouseId == warehouseId), afterSequence, limit);
        }
    }

    public Task<long> ReadCheckpointAsync(int queue, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_checkpoints.GetValueOrDefault(queue));
        }
    }

    public Task WriteCheckpointAsync(int queue, long sequence, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            _checkpoints[queue] = Math.Max(sequence, _checkpoints.GetValueOrDefault(queue));
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<int>> CountPendingAsync(IReadOnlyList<int> queues, int cap, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            IReadOnlyList<int> counts = [.. queues.Select(q =>
                _byQueue.TryGetValue(q, out var entries)
                    ? Math.Min(cap, entries.Count - FirstAfter(entries, _checkpoints.GetValueOrDefault(q)))
                    : 0)];
            return Task.FromResult(counts);
        }
    }

    public Task<int> PurgeAsync(DateTimeOffset occurredBefore, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var old = _entries.Where(e => e.Entry.OccurredAt < occurredBefore).ToList();
            foreach (var e in old)
            {
                _byKey.Remove(e.Entry.Key);
            }

            _entries.RemoveAll(e => e.Entry.OccurredAt < occurredBefore);
            foreach (var queue in _byQueue.Values)
            {
                queue.RemoveAll(e => e.Entry.OccurredAt < occurredBefore);
            }
            return Task.FromResult(old.Count);
        }
    }

    /// <summary>Call holding the lock. <paramref name="entries"/> are in sequence order.</summary>
    private static Task<IReadOnlyList<StoredJournalEntry>> Read(
        List<StoredJournalEntry> entries, Func<StoredJournalEntry, bool> match, long afterSequence, int limit)
    {
        var page = new List<StoredJournalEntry>(Math.Min(limit, 256));
        for (var i = FirstAfter(entries, afterSequence); i < entries.Count && page.Count < limit; i++)
        {
            if (match(entries[i]))
            {
                page.Add(entries[i]);
            }
        }

        return Task.FromResult<IReadOnlyList<StoredJournalEntry>>(page);
    }

    /// <summary>Index of the first entry after <paramref name="sequence"/> (binary search; entries are in sequence order).</summary>
    private static int FirstAfter(List<StoredJournalEntry> entries, long sequence)
    {
        var start = entries.BinarySearch(new StoredJournalEntry(sequence + 1, null!), BySequence.Instance);
        return start < 0 ? ~start : start;
    }

    private sealed class BySequence : IComparer<StoredJournalEntry>
    {
        public static readonly BySequence Instance = new();

        public int Compare(StoredJournalEntry? x, StoredJournalEntry? y) => x!.Sequence.CompareTo(y!.Sequence);
    }
}
