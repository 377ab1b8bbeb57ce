using Distribution.Common;

namespace Distribution.Integration.BusinessEvents;

/// <summary>
/// The finance feed's entries: the newest <c>capacity</c> in sequence order, stored in chunks of
/// <c>chunkSize</c> consecutive sequences, each chunk in a slot (its index modulo the slot count).
/// A write of many appends stores the one or two chunks they went into, not a row per movement,
/// and a new chunk overwrites the one its slot held, which lies wholly before the kept entries.
/// Duplicates (by event id) among the kept entries are not appended again.
/// </summary>
public sealed class FinanceFeedRing
{
    /// <summary>Entries per stored chunk.</summary>
    public const int DefaultChunkSize = 256;

    private readonly FinanceFeedState _state;
    private readonly int _capacity;
    private readonly int _chunkSize;
    private readonly int _slots;
    private readonly List<FinanceFeedEntry> _ordered;
    private readonly HashSet<string> _ids;
    private long _firstUnstored;

    /// <summary>
    /// Takes the stored entries as loaded. Entries stored another way (one row per entry, as feeds
    /// were stored before, or chunks of another capacity) are stored again as this ring's chunks,
    /// those beyond the capacity dropped, as changes of the state.
    /// </summary>
    public FinanceFeedRing(FinanceFeedState state, int capacity, int chunkSize = DefaultChunkSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkSize, 1);
        _state = state;
        _capacity = capacity;
        _chunkSize = chunkSize;
        // The kept entries span at most this many chunk indices, so a chunk's slot is free again
        // only once every entry the chunk held was evicted.
        _slots = ((capacity + chunkSize - 1) / chunkSize) + 1;
        var stored = state.Entries.Values
            .Concat(state.Chunks.Values.SelectMany(c => c.Entries))
            .Where(e => e.Sequence >= state.FirstKept)
            .DistinctBy(e => e.Sequence)
            .OrderBy(e => e.Sequence)
            .ToList();
        _ordered = stored.Count > capacity ? stored[^capacity..] : stored;
        _ids = new HashSet<string>(_ordered.Select(e => e.Event.EventId), StringComparer.Ordinal);
        _firstUnstored = state.LastSequence + 1;
        if (!IsStoredAsChunks())
        {
            foreach (var key in state.Entries.Pairs.Select(p => p.Key).ToList())
            {
                state.Entries.Remove(key);
            }

            foreach (var key in state.Chunks.Pairs.Select(p => p.Key).ToList())
            {
                state.Chunks.Remove(key);
            }

            _firstUnstored = _ordered.Count > 0 ? _ordered[0].Sequence : _firstUnstored;
            StoreChunks();
        }
    }

    /// <summary>The kept entries, oldest first.</summary>
    public IReadOnlyList<FinanceFeedEntry> Entries => _ordered;

    /// <summary>Appends the event with the next sequence unless it is kept already; false for a duplicate.</summary>
    public bool Append(BusinessEvent e)
    {
        if (!_ids.Add(e.EventId))
        {
            return false;
        }

        _ordered.Add(new FinanceFeedEntry { Sequence = ++_state.LastSequence, Event = e });
        return true;
    }

    /// <summary>
    /// Ends a batch of appends: forgets the entries beyond the capacity and stores the chunks the
    /// appends went into (call once per batch, before writing the state).
    /// </summary>
    public void EndBatch()
    {
        var excess = _ordered.Count - _capacity;
        if (excess > 0)
        {
            foreach (var old in _ordered.Take(excess))
            {
                _ids.Remove(old.Event.EventId);
            }

            _ordered.RemoveRange(0, excess);
        }

        StoreChunks();
    }

    /// <summary>Up to <paramref name="limit"/> entries after the cursor <paramref name="after"/>.</summary>
    public FinanceFeedPage Read(long after, int limit)
    {
        var start = FirstAfter(after);
        var items = _ordered.Skip(start).Take(limit).ToList();
        var next = items.Count > 0 ? items[^1].Sequence : after;
        return new FinanceFeedPage(items, next, start + items.Count < _ordered.Count);
    }

    /// <summary>The stored key of the chunk with <paramref name="index"/>.</summary>
    public string SlotKey(long index) => $"chunk@{index % _slots:D10}";

    /// <summary>The index of the chunk that holds <paramref name="sequence"/>.</summary>
    public long ChunkOf(long sequence) => (sequence - 1) / _chunkSize;

    /// <summary>Whether every stored row is a chunk of this ring's size in its slot, holding only its own sequences.</summary>
    private bool IsStoredAsChunks() =>
        _state.Entries.Count == 0
        && _state.Chunks.Pairs.All(p => p.Key == SlotKey(p.Value.Index) && p.Value.Entries.All(e => ChunkOf(e.Sequence) == p.Value.Index));

    /// <summary>Stores again every chunk holding an entry appended since the last store, with the kept entries it holds.</summary>
    private void StoreChunks()
    {
        if (_ordered.Count == 0 || _ordered[^1].Sequence < _firstUnstored)
        {
            return;
        }

        _state.FirstKept = _ordered[0].Sequence;

        var from = ChunkOf(Math.Max(_firstUnstored, _ordered[0].Sequence));
        for (var index = from; index <= ChunkOf(_ordered[^1].Sequence); index++)
        {
            var start = FirstAfter(index * _chunkSize);
            var end = FirstAfter((index + 1) * _chunkSize);
            if (end > start)
            {
                _state.Chunks[SlotKey(index)] = new FinanceFeedChunk { Index = index, Entries = [.. _ordered.GetRange(start, end - start)] };
            }
        }

        _firstUnstored = _ordered[^1].Sequence + 1;
    }

    /// <summary>Index of the first entry with a sequence above <paramref name="after"/> (entries are in sequence order).</summary>
    private int FirstAfter(long after)
    {
        int lo = 0, hi = _ordered.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (_ordered[mid].Sequence <= after)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}
