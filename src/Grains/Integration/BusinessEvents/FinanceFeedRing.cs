using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace Distribution.Integration.BusinessEvents;

/// <summary>
/// The finance feed's entries: the newest <c>capacity</c> in sequence order, stored in chunks of
/// <c>chunkSize</c> consecutive sequences, each chunk in a slot (its index modulo the slot count).
/// A write of many appends stores the one or two chunks they went into, not a row per movement,
/// and a new chunk overwrites the one its slot held, which lies wholly before the kept entries.
/// Duplicates (by event id) among the kept entries are not appended again.
/// <para>
/// A full chunk is kept packed (<see cref="FinanceFeedChunk.Packed"/>), in memory as in storage,
/// and event ids are remembered as 128-bit hashes (checked against the entry on a match): at tens
/// of thousands of movements a second, 200,000 kept entries as objects were most of what the
/// collector copied, each living just long enough to be promoted twice.
/// </para>
/// </summary>
public sealed class FinanceFeedRing
{
    /// <summary>Entries per stored chunk.</summary>
    public const int DefaultChunkSize = 256;

    private readonly FinanceFeedState _state;
    private readonly Func<string, UInt128> _hash;
    private readonly int _capacity;
    private readonly int _chunkSize;
    private readonly int _slots;
    // The sequence of each kept event id, by the id's hash.
    private readonly Dictionary<UInt128, long> _ids = [];
    // Kept ids whose hash another kept id has (practically never), by id.
    private readonly Dictionary<string, long> _collided = new(StringComparer.Ordinal);
    // Each kept chunk's id hashes by position, to forget them as its entries are evicted.
    private readonly Dictionary<long, UInt128[]> _chunkHashes = [];
    // The newest chunk's entries while it is not full; stored unpacked, rewritten by each batch.
    private readonly List<FinanceFeedEntry> _open = [];
    private long _openIndex = -1;
    private long _firstKept;
    private long _firstUnstored;

    /// <summary>
    /// Takes the stored entries as loaded. Entries stored another way (one row per entry, as feeds
    /// were stored before, or chunks of another capacity) are stored again as this ring's chunks,
    /// those beyond the capacity dropped, as changes of the state.
    /// </summary>
    public FinanceFeedRing(FinanceFeedState state, int capacity, int chunkSize = DefaultChunkSize)
        : this(state, capacity, chunkSize, IdHash)
    {
    }

    /// <summary>With another id hash: tests make ids collide.</summary>
    internal FinanceFeedRing(FinanceFeedState state, int capacity, int chunkSize, Func<string, UInt128> hash)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkSize, 1);
        _state = state;
        _hash = hash;
        _capacity = capacity;
        _chunkSize = chunkSize;
        // The kept entries span at most this many chunk indices, so a chunk's slot is free again
        // only once every entry the chunk held was evicted.
        _slots = ((capacity + chunkSize - 1) / chunkSize) + 1;
        // A packed full chunk that stores its id hashes is not unpacked: its sequences follow from
        // its index. Other chunks are unpacked once: the kept entries and the check below need them.
        var chunks = state.Chunks.Pairs
            .Select(p => (p.Key, Chunk: p.Value, Entries: IsWhole(p.Value) ? null : p.Value.Unpack()))
            .ToList();
        // Every stored row a chunk of this ring's size in its slot, holding only its own sequences?
        var storedAsChunks = state.Entries.Count == 0
            && chunks.All(c => c.Key == SlotKey(c.Chunk.Index) && (c.Entries?.All(e => ChunkOf(e.Sequence) == c.Chunk.Index) ?? true));
        if (!storedAsChunks)
        {
            // Stored again below, from the entries themselves.
            chunks = [.. chunks.Select(c => (c.Key, c.Chunk, Entries: c.Entries ?? c.Chunk.Unpack()))];
        }

        ChunksUnpackedAtStart = chunks.Count(c => c.Entries is not null);

        var stored = state.Entries.Values
            .Concat(chunks.SelectMany(c => c.Entries ?? []))
            .Select(e => new KeptAtStart(e.Sequence, e, default))
            .Concat(chunks.Where(c => c.Entries is null).SelectMany(c => c.Chunk.StoredIdHashes.ToArray()
                .Select((hash, position) => new KeptAtStart((c.Chunk.Index * _chunkSize) + position + 1, null, hash))))
            .Where(e => e.Sequence >= state.FirstKept)
            .DistinctBy(e => e.Sequence)
            .OrderBy(e => e.Sequence)
            .ToList();
        var kept = stored.Count > capacity ? stored[^capacity..] : stored;
        _firstKept = kept.Count > 0 ? kept[0].Sequence : state.LastSequence + 1;
        _ids.EnsureCapacity(kept.Count);
        foreach (var k in kept)
        {
            if (k.Entry is { } entry)
            {
                Track(entry, _hash(entry.Event.EventId), storing: false);
            }
            else
            {
                TrackPacked(k.Sequence, k.Hash);
            }
        }

        _firstUnstored = state.LastSequence + 1;
        if (!storedAsChunks)
        {
            foreach (var key in state.Entries.Pairs.Select(p => p.Key).ToList())
            {
                state.Entries.Remove(key);
            }

            foreach (var key in state.Chunks.Pairs.Select(p => p.Key).ToList())
            {
                state.Chunks.Remove(key);
            }

            foreach (var chunk in kept.GroupBy(e => ChunkOf(e.Sequence)).Where(g => g.Key != _openIndex))
            {
                _state.Chunks[SlotKey(chunk.Key)] = FinanceFeedChunk.Pack(chunk.Key, [.. chunk.Select(k => k.Entry!)], _chunkHashes.GetValueOrDefault(chunk.Key));
            }

            _firstUnstored = _open.Count > 0 ? _open[0].Sequence : _firstUnstored;
            StoreChunks();
        }
    }

    /// <summary>How many entries are kept.</summary>
    public int Count => _ids.Count + _collided.Count;

    /// <summary>Stored chunks the constructor had to unpack (packed ones with their id hashes are not).</summary>
    public int ChunksUnpackedAtStart { get; }

    /// <summary>The kept entries, oldest first (unpacked: for tests and diagnostics).</summary>
    public IReadOnlyList<FinanceFeedEntry> Entries => Read(0, int.MaxValue).Items;

    /// <summary>Appends the event with the next sequence unless it is kept already (false: a duplicate); a full feed forgets its oldest.</summary>
    public bool Append(BusinessEvent e)
    {
        var hash = _hash(e.EventId);
        if (IsKept(e.EventId, hash))
        {
            return false;
        }

        var entry = new FinanceFeedEntry { Sequence = ++_state.LastSequence, Event = e };
        Track(entry, hash, storing: true);
        while (_state.LastSequence - _firstKept >= _capacity)
        {
            Forget(_firstKept++);
        }

        return true;
    }

    /// <summary>
    /// Ends a batch of appends: stores the chunks the appends went into (call once per batch, before
    /// writing the state). Entries beyond the capacity went as the newer ones came.
    /// </summary>
    public void EndBatch() => StoreChunks();

    /// <summary>
    /// Up to <paramref name="limit"/> entries after the cursor <paramref name="after"/>, none beyond
    /// <paramref name="through"/> (default: the newest).
    /// </summary>
    public FinanceFeedPage Read(long after, int limit, long? through = null)
    {
        var last = Math.Min(through ?? _state.LastSequence, _state.LastSequence);
        var items = new List<FinanceFeedEntry>();
        var from = Math.Max(after + 1, _firstKept);
        for (var index = ChunkOf(from); from <= last && index <= ChunkOf(last) && items.Count < limit; index++)
        {
            foreach (var entry in ChunkEntries(index))
            {
                if (entry.Sequence >= from && entry.Sequence <= last && items.Count < limit)
                {
                    items.Add(entry);
                }
            }
        }

        var next = items.Count > 0 ? items[^1].Sequence : after;
        return new FinanceFeedPage(items, next, Math.Max(next, _firstKept - 1) < last);
    }

    /// <summary>The stored key of the chunk with <paramref name="index"/>.</summary>
    public string SlotKey(long index) => $"chunk@{index % _slots:D10}";

    /// <summary>The index of the chunk that holds <paramref name="sequence"/>.</summary>
    public long ChunkOf(long sequence) => (sequence - 1) / _chunkSize;

    private bool IsKept(string eventId, UInt128 hash) =>
        (_collided.Count > 0 && _collided.ContainsKey(eventId))
        || (_ids.TryGetValue(hash, out var sequence) && EntryAt(sequence)?.Event.EventId == eventId);

    /// <summary>
    /// Remembers a kept entry's id and holds it in the open chunk. An entry of the next chunk
    /// closes the open one: appending, it is stored (packed, when full) before it is let go.
    /// </summary>
    private void Track(FinanceFeedEntry entry, UInt128 hash, bool storing)
    {
        var index = ChunkOf(entry.Sequence);
        Remember(index, entry.Sequence, hash, entry);
        if (index != _openIndex)
        {
            if (storing)
            {
                StoreOpenChunk();
            }

            _open.Clear();
            _openIndex = index;
        }

        _open.Add(entry);
    }

    /// <summary>Remembers the id of a kept entry that stays packed in its stored chunk (on activation).</summary>
    private void TrackPacked(long sequence, UInt128 hash)
    {
        var index = ChunkOf(sequence);
        if (index != _openIndex)
        {
            // A packed chunk is full: the next append opens the chunk after it.
            _open.Clear();
            _openIndex = -1;
        }

        Remember(index, sequence, hash, entry: null);
    }

    private void Remember(long index, long sequence, UInt128 hash, FinanceFeedEntry? entry)
    {
        if (!_chunkHashes.TryGetValue(index, out var hashes))
        {
            _chunkHashes[index] = hashes = new UInt128[_chunkSize];
        }

        hashes[Position(sequence)] = hash;
        if (!_ids.TryAdd(hash, sequence))
        {
            // Another kept id has this hash: this one is remembered by its id (its chunk unpacked if need be).
            _collided[(entry ?? EntryAt(sequence)!).Event.EventId] = sequence;
        }
    }

    /// <summary>Forgets the id of the entry evicted at <paramref name="sequence"/>.</summary>
    private void Forget(long sequence)
    {
        var index = ChunkOf(sequence);
        if (!_chunkHashes.TryGetValue(index, out var hashes))
        {
            return;
        }

        var hash = hashes[Position(sequence)];
        if (_ids.TryGetValue(hash, out var kept) && kept == sequence)
        {
            _ids.Remove(hash);
        }

        if (_collided.Count > 0)
        {
            foreach (var id in _collided.Where(c => c.Value == sequence).Select(c => c.Key).ToList())
            {
                _collided.Remove(id);
            }
        }

        if (Position(sequence) == _chunkSize - 1)
        {
            _chunkHashes.Remove(index);
        }
    }

    private FinanceFeedEntry? EntryAt(long sequence) =>
        sequence < _firstKept ? null : ChunkEntries(ChunkOf(sequence)).FirstOrDefault(e => e.Sequence == sequence);

    private IReadOnlyList<FinanceFeedEntry> ChunkEntries(long index) =>
        index == _openIndex ? _open
        : _state.Chunks.TryGetValue(SlotKey(index), out var chunk) && chunk.Index == index ? chunk.Unpack()
        : [];

    /// <summary>A packed chunk of this ring's size that stores its id hashes: known without unpacking.</summary>
    private bool IsWhole(FinanceFeedChunk chunk) => chunk.Packed is not null && chunk.StoredIdHashes.Length == _chunkSize;

    private int Position(long sequence) => (int)((sequence - 1) % _chunkSize);

    private static UInt128 IdHash(string eventId) => XxHash128.HashToUInt128(MemoryMarshal.AsBytes(eventId.AsSpan()));

    /// <summary>
    /// Stores again the chunks holding an entry appended since the last store: a full one packed
    /// (and no longer held open), the newest as it is so far.
    /// </summary>
    private void StoreChunks()
    {
        StoreOpenChunk();
        if (_open.Count > 0 && Position(_open[^1].Sequence) == _chunkSize - 1)
        {
            _open.Clear();
            _openIndex = -1;
        }

        _firstUnstored = _state.LastSequence + 1;
    }

    private void StoreOpenChunk()
    {
        if (_open.Count == 0 || _open[^1].Sequence < _firstUnstored)
        {
            return; // stored already
        }

        _state.FirstKept = _firstKept;
        _state.Chunks[SlotKey(_openIndex)] = Position(_open[^1].Sequence) == _chunkSize - 1
            ? FinanceFeedChunk.Pack(_openIndex, [.. _open], _chunkHashes.GetValueOrDefault(_openIndex))
            : new FinanceFeedChunk { Index = _openIndex, Entries = [.. _open] };
    }

    /// <summary>A kept entry found on activation: the entry, or (packed and not unpacked) its id's hash.</summary>
    private readonly record struct KeptAtStart(long Sequence, FinanceFeedEntry? Entry, UInt128 Hash);
}
