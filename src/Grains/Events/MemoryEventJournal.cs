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
                results[i] = new(JournalAppendStatus.Appended, stored.Sequence);
            }
        }

        return Task.FromResult<IReadOnlyList<JournalAppendResult>>(results);
    }

    public Task<IReadOnlyList<StoredJournalEntry>> ReadQueueAsync(int queue, long afterSequence, int limit, CancellationToken cancellationToken = default) =>
        Read(e => e.Entry.Queue == queue, afterSequence, limit);

    public Task<IReadOnlyList<StoredJournalEntry>> ReadRangeAsync(
        DateTimeOffset from, DateTimeOffset to, string? warehouseId, long afterSequence, int limit, CancellationToken cancellationToken = default) =>
        Read(e => e.Entry.AcceptedAt >= from && e.Entry.AcceptedAt < to && (warehouseId is null || e.Entry.WarehouseId == warehouseId), afterSequence, limit);

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
            return Task.FromResult(old.Count);
        }
    }

    private Task<IReadOnlyList<StoredJournalEntry>> Read(Func<StoredJournalEntry, bool> match, long afterSequence, int limit)
    {
        lock (_lock)
        {
            // Entries are in sequence order: find the first after the cursor by binary search.
            var start = _entries.BinarySearch(new StoredJournalEntry(afterSequence + 1, null!), BySequence.Instance);
            if (start < 0)
            {
                start = ~start;
            }

            var page = new List<StoredJournalEntry>(Math.Min(limit, 256));
            for (var i = start; i < _entries.Count && page.Count < limit; i++)
            {
                if (match(_entries[i]))
                {
                    page.Add(_entries[i]);
                }
            }

            return Task.FromResult<IReadOnlyList<StoredJournalEntry>>(page);
        }
    }

    private sealed class BySequence : IComparer<StoredJournalEntry>
    {
        public static readonly BySequence Instance = new();

        public int Compare(StoredJournalEntry? x, StoredJournalEntry? y) => x!.Sequence.CompareTo(y!.Sequence);
    }
}
