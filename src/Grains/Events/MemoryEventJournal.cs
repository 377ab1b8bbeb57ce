using System.Collections.Concurrent;
using System.IO.Hashing;
using System.Text;

namespace Distribution.Events;

/// <summary>
/// The event journal of embedded mode: in process memory, gone when the process ends (like the
/// rest of embedded state). Silos of one service in one process (a test cluster) share it.
/// It holds every accepted event for the dedupe window without a managed object per event: the
/// strings live in a <see cref="JournalArena"/>, the index in lists of structs, the keys as
/// 128-bit hashes (checked against the stored key, so a hash collision is still told apart). At
/// 30,000 events a second, objects per event were what the collector spent its pauses copying.
/// </summary>
public sealed class MemoryEventJournal : IEventJournal
{
    private static readonly ConcurrentDictionary<string, MemoryEventJournal> ByService = new(StringComparer.Ordinal);

    private readonly KeyHash _hash;
    private readonly Lock _lock = new();
    private JournalArena _arena = new();
    private Dictionary<UInt128, Located> _byKeyHash = [];
    // Keys whose hash another key already has: practically never, but never a wrong duplicate.
    private Dictionary<string, Located> _collidedKeys = new(StringComparer.Ordinal);
    // Each queue's entries in sequence order; a range read merges the queues.
    private readonly Dictionary<int, List<Slot>> _byQueue = [];
    private readonly Dictionary<int, long> _checkpoints = [];
    // A handful of warehouse ids, shared by all their entries.
    private readonly Dictionary<string, string> _warehouseIds = new(StringComparer.Ordinal);
    private long _sequence;
    // Where an entry is encoded before it is compared and copied into the arena (under the lock).
    private byte[] _scratch = new byte[1024];

    private MemoryEventJournal()
        : this(static key => XxHash128.HashToUInt128(key))
    {
    }

    /// <summary>With another key hash: tests make keys collide.</summary>
    internal MemoryEventJournal(KeyHash hash) => _hash = hash;

    internal delegate UInt128 KeyHash(ReadOnlySpan<byte> key);

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
                var record = JournalArena.Encode(ref _scratch, entry.Key, entry.Payload, entry.CorrelationId, entry.RedriveOf, entry.TraceParent);
                var key = JournalArena.Field(record, JournalArena.KeyField, out _);
                var hash = _hash(key);
                if (Find(hash, key, entry.Key) is { } known)
                {
                    var stored = _arena.Record(known.At);
                    var same = JournalArena.Field(stored, JournalArena.PayloadField, out _)
                        .SequenceEqual(JournalArena.Field(record, JournalArena.PayloadField, out _));
                    results[i] = new(same ? JournalAppendStatus.Duplicate : JournalAppendStatus.Conflict, known.Sequence);
                    continue;
                }

                if (!_warehouseIds.TryGetValue(entry.WarehouseId, out var warehouseId))
                {
                    _warehouseIds[entry.WarehouseId] = warehouseId = entry.WarehouseId;
                }

                var slot = new Slot(++_sequence, entry.OccurredAt.UtcTicks, entry.AcceptedAt.UtcTicks, warehouseId, _arena.Append(record));
                Add(entry.Queue, slot, hash, key);
                results[i] = new(JournalAppendStatus.Appended, slot.Sequence);
            }
        }

        return Task.FromResult<IReadOnlyList<JournalAppendResult>>(results);
    }

    public Task<IReadOnlyList<StoredJournalEntry>> ReadQueueAsync(int queue, long afterSequence, int limit, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var page = new List<StoredJournalEntry>(Math.Min(limit, 256));
            if (_byQueue.TryGetValue(queue, out var slots))
            {
                for (var i = FirstAfter(slots, afterSequence); i < slots.Count && page.Count < limit; i++)
                {
                    page.Add(Read(queue, slots[i]));
                }
            }

            return Task.FromResult<IReadOnlyList<StoredJournalEntry>>(page);
        }
    }

    /// <summary>
    /// Decodes each event from its UTF-8 bytes in the arena: no payload or key string is made on
    /// the way, and entries posted together share their correlation id string.
    /// </summary>
    public Task<IReadOnlyList<JournaledEvent>> ReadQueueEventsAsync(int queue, long afterSequence, int limit, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var page = new List<JournaledEvent>(Math.Min(limit, 256));
            if (_byQueue.TryGetValue(queue, out var slots))
            {
                string? correlationId = null;
                ReadOnlySpan<byte> previous = [];
                for (var i = FirstAfter(slots, afterSequence); i < slots.Count && page.Count < limit; i++)
                {
                    var slot = slots[i];
                    var record = _arena.Record(slot.At);
                    var correlation = JournalArena.Field(record, JournalArena.CorrelationField, out var noCorrelation);
                    if (noCorrelation)
                    {
                        correlationId = null;
                    }
                    else if (correlationId is null || !correlation.SequenceEqual(previous))
                    {
                        correlationId = Encoding.UTF8.GetString(correlation);
                        previous = correlation;
                    }

                    page.Add(new JournaledEvent
                    {
                        Sequence = slot.Sequence,
                        Event = JournalCodec.Decode(JournalArena.Field(record, JournalArena.PayloadField, out _)),
                        AcceptedAt = new DateTimeOffset(slot.AcceptedAtTicks, TimeSpan.Zero),
                        CorrelationId = correlationId,
                        RedriveOf = JournalArena.Text(record, JournalArena.RedriveField),
                        TraceParent = JournalArena.Text(record, JournalArena.TraceField),
                    });
                }
            }

            return Task.FromResult<IReadOnlyList<JournaledEvent>>(page);
        }
    }

    public Task<IReadOnlyList<StoredJournalEntry>> ReadRangeAsync(
        DateTimeOffset from, DateTimeOffset to, string? warehouseId, long afterSequence, int limit, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            // Each queue is in sequence order, so its first `limit` matches are all it can add to the page.
            var matches = new List<StoredJournalEntry>();
            foreach (var (queue, slots) in _byQueue)
            {
                var found = 0;
                for (var i = FirstAfter(slots, afterSequence); i < slots.Count && found < limit; i++)
                {
                    var slot = slots[i];
                    if (slot.AcceptedAtTicks >= from.UtcTicks && slot.AcceptedAtTicks < to.UtcTicks
                        && (warehouseId is null || slot.WarehouseId == warehouseId))
                    {
                        matches.Add(Read(queue, slot));
                        found++;
                    }
                }
            }

            IReadOnlyList<StoredJournalEntry> page = [.. matches.OrderBy(e => e.Sequence).Take(limit)];
            return Task.FromResult(page);
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
                _byQueue.TryGetValue(q, out var slots)
                    ? Math.Min(cap, slots.Count - FirstAfter(slots, _checkpoints.GetValueOrDefault(q)))
                    : 0)];
            return Task.FromResult(counts);
        }
    }

    /// <summary>Keeps what occurred from the cutoff on, copied into a new arena (the old one's chunks go at once).</summary>
    public Task<int> PurgeAsync(DateTimeOffset occurredBefore, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var old = _arena;
            _arena = new JournalArena();
            _byKeyHash = [];
            _collidedKeys = new(StringComparer.Ordinal);
            var purged = 0;
            var queues = _byQueue.ToList();
            _byQueue.Clear();
            foreach (var (queue, slots) in queues)
            {
                _byQueue[queue] = new List<Slot>(slots.Count);
                foreach (var slot in slots)
                {
                    if (slot.OccurredAtTicks < occurredBefore.UtcTicks)
                    {
                        purged++;
                        continue;
                    }

                    var record = old.Record(slot.At);
                    var key = JournalArena.Field(record, JournalArena.KeyField, out _);
                    Add(queue, slot with { At = _arena.Append(record) }, _hash(key), key);
                }
            }

            return Task.FromResult(purged);
        }
    }

    /// <summary>Call holding the lock.</summary>
    private void Add(int queue, Slot slot, UInt128 hash, ReadOnlySpan<byte> key)
    {
        if (!_byQueue.TryGetValue(queue, out var slots))
        {
            _byQueue[queue] = slots = [];
        }

        slots.Add(slot);
        var located = new Located(queue, slots.Count - 1);
        if (!_byKeyHash.TryAdd(hash, located))
        {
            _collidedKeys[System.Text.Encoding.UTF8.GetString(key)] = located;
        }
    }

    /// <summary>Call holding the lock.</summary>
    private Slot? Find(UInt128 hash, ReadOnlySpan<byte> key, string keyText)
    {
        if (!_byKeyHash.TryGetValue(hash, out var located))
        {
            return null;
        }

        var slot = _byQueue[located.Queue][located.Index];
        if (JournalArena.Field(_arena.Record(slot.At), JournalArena.KeyField, out _).SequenceEqual(key))
        {
            return slot;
        }

        return _collidedKeys.TryGetValue(keyText, out var collided) ? _byQueue[collided.Queue][collided.Index] : null;
    }

    /// <summary>Call holding the lock.</summary>
    private StoredJournalEntry Read(int queue, Slot slot)
    {
        var record = _arena.Record(slot.At);
        return new StoredJournalEntry(slot.Sequence, new JournalEntry(
            JournalArena.Text(record, JournalArena.KeyField)!,
            queue,
            slot.WarehouseId,
            JournalArena.Text(record, JournalArena.PayloadField)!,
            new DateTimeOffset(slot.OccurredAtTicks, TimeSpan.Zero),
            new DateTimeOffset(slot.AcceptedAtTicks, TimeSpan.Zero),
            JournalArena.Text(record, JournalArena.CorrelationField),
            JournalArena.Text(record, JournalArena.RedriveField),
            JournalArena.Text(record, JournalArena.TraceField)));
    }

    /// <summary>Index of the first slot after <paramref name="sequence"/> (binary search; slots are in sequence order).</summary>
    private static int FirstAfter(List<Slot> slots, long sequence)
    {
        int low = 0, high = slots.Count;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (slots[middle].Sequence <= sequence)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    /// <summary>One entry: what reads filter on, and where its strings are.</summary>
    private readonly record struct Slot(long Sequence, long OccurredAtTicks, long AcceptedAtTicks, string WarehouseId, ArenaSpan At);

    /// <summary>A slot's place: its queue and index there (indexes change only when a purge rebuilds the lists).</summary>
    private readonly record struct Located(int Queue, int Index);
}
