using Distribution.Common;
using Distribution.Integration.BusinessEvents;

namespace Distribution.Tests.Integration;

public sealed class FinanceFeedRingTests
{
    private static BusinessEvent Movement(int n) => new()
    {
        EventId = $"finance.receipt:W1:e{n}",
        Type = BusinessEventTypes.FinanceReceipt,
        EntityKind = "warehouse",
        EntityId = "W1",
        Payload = $"{{\"n\":{n}}}",
    };

    /// <summary>A feed of <paramref name="count"/> movements appended one batch each, as stored (nothing pending).</summary>
    private static FinanceFeedState Appended(int capacity, int count, int chunkSize)
    {
        var state = new FinanceFeedState();
        var ring = new FinanceFeedRing(state, capacity, chunkSize);
        for (var n = 1; n <= count; n++)
        {
            ring.Append(Movement(n));
            ring.EndBatch();
        }

        ((IHasStoredEntries)state).TakeChangedEntries();
        return Reloaded(state);
    }

    /// <summary>What a new activation reads back: the body and every stored row.</summary>
    private static FinanceFeedState Reloaded(FinanceFeedState state)
    {
        var copy = new FinanceFeedState { LastSequence = state.LastSequence, FirstKept = state.FirstKept };
        ((IHasStoredEntries)copy).LoadEntries(((IHasStoredEntries)state).StoredEntries.ToList());
        return copy;
    }

    private static IEnumerable<long> Sequences(FinanceFeedRing ring) => ring.Entries.Select(e => e.Sequence);

    private static IEnumerable<long> Range(long first, long last) => Enumerable.Range((int)first, (int)(last - first + 1)).Select(n => (long)n);

    [Fact]
    public void A_batch_of_appends_stores_the_chunks_it_went_into_not_a_row_per_movement()
    {
        var state = new FinanceFeedState();
        var ring = new FinanceFeedRing(state, capacity: 1000, chunkSize: 256);
        for (var n = 1; n <= 600; n++)
        {
            ring.Append(Movement(n));
        }

        ring.EndBatch();
        var first = state.Chunks.TakeChanges();
        Assert.Equal(3, first.Count);
        Assert.Equal(Range(1, 600), first.SelectMany(c => ((FinanceFeedChunk)c.Value!).Unpack()).Select(e => e.Sequence).Order());

        ring.Append(Movement(601));
        ring.EndBatch();
        var second = Assert.Single(state.Chunks.TakeChanges());
        Assert.Equal(Range(513, 601), ((FinanceFeedChunk)second.Value!).Unpack().Select(e => e.Sequence));
        Assert.Equal(Range(1, 601), Sequences(new FinanceFeedRing(Reloaded(state), 1000, 256)));
    }

    [Fact]
    public void A_full_feed_keeps_the_newest_entries_and_a_new_chunk_reuses_the_slot_of_one_wholly_evicted()
    {
        var state = Appended(capacity: 5, count: 12, chunkSize: 2);
        var ring = new FinanceFeedRing(state, 5, 2);

        Assert.Equal(Range(8, 12), Sequences(ring));
        // Five entries span at most four chunks of two: four slots, never more rows.
        Assert.Equal(4, state.Chunks.Count);
        Assert.Empty(((IHasStoredEntries)state).TakeChangedEntries());

        ring.Append(Movement(13));
        ring.EndBatch();
        var written = Assert.Single(state.Chunks.TakeChanges());
        Assert.Equal(ring.SlotKey(6), written.Key);
        Assert.Equal(4, state.Chunks.Count);
        Assert.Equal(Range(9, 13), Sequences(new FinanceFeedRing(Reloaded(state), 5, 2)));
    }

    [Fact]
    public void An_event_kept_already_is_not_appended_again_but_one_evicted_is()
    {
        var ring = new FinanceFeedRing(new FinanceFeedState(), 3);
        Assert.True(ring.Append(Movement(1)));
        Assert.False(ring.Append(Movement(1)));
        ring.Append(Movement(2));
        ring.Append(Movement(3));
        ring.Append(Movement(4));
        ring.EndBatch();

        Assert.Equal([2L, 3, 4], Sequences(ring));
        Assert.True(ring.Append(Movement(1)));
    }

    [Fact]
    public void A_full_chunk_is_stored_packed_and_reads_back_every_field()
    {
        var state = new FinanceFeedState();
        var ring = new FinanceFeedRing(state, capacity: 100, chunkSize: 4);
        var at = new DateTimeOffset(2026, 5, 4, 10, 30, 15, TimeSpan.FromHours(2));
        for (var n = 1; n <= 6; n++)
        {
            ring.Append(Movement(n) with { CorrelationId = $"c-{n}", OccurredAt = at.AddMinutes(n), TraceParent = n == 2 ? "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" : null });
        }

        ring.EndBatch();

        var chunks = state.Chunks.TakeChanges().Select(c => (FinanceFeedChunk)c.Value!).OrderBy(c => c.Index).ToList();
        Assert.NotNull(chunks[0].Packed);
        Assert.Empty(chunks[0].Entries);
        Assert.Null(chunks[1].Packed); // the newest chunk is not full yet
        var expected = Enumerable.Range(1, 6).Select(n => Movement(n) with
        {
            CorrelationId = $"c-{n}",
            OccurredAt = at.AddMinutes(n),
            TraceParent = n == 2 ? "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" : null,
        }).ToList();
        Assert.Equal(expected, ring.Entries.Select(e => e.Event));
        Assert.Equal(expected, new FinanceFeedRing(Reloaded(state), 100, 4).Entries.Select(e => e.Event));
        Assert.Equal(at.AddMinutes(2).Offset, chunks[0].Unpack()[1].Event.OccurredAt.Offset);
    }

    [Fact]
    public void A_packed_chunk_is_the_json_earlier_versions_wrote_and_reads_what_they_packed()
    {
        // Earlier versions packed with the reflection-based serializer and web defaults.
        var reflection = new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web);
        var entries = Enumerable.Range(1, 3).Select(n => new FinanceFeedEntry
        {
            Sequence = n,
            Event = Movement(n) with
            {
                CorrelationId = n == 1 ? null : $"c-<{n}>\"é",
                OccurredAt = new DateTimeOffset(2026, 5, 4, 10, 30, n, TimeSpan.FromHours(-5)),
                Payload = $"{{\"sku\":\"SKU-{n}\",\"note\":\"ü & <b>\"}}",
                TraceParent = n == 2 ? "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" : null,
            },
        }).ToArray();

        var packed = FinanceFeedChunk.Pack(0, entries);
        var earlier = new FinanceFeedChunk { Index = 0, Packed = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(entries, reflection) };

        Assert.Equal(System.Text.Encoding.UTF8.GetString(earlier.Packed!), System.Text.Encoding.UTF8.GetString(packed.Packed!));
        Assert.Equal(entries, earlier.Unpack());
        Assert.Equal(entries, System.Text.Json.JsonSerializer.Deserialize<FinanceFeedEntry[]>(packed.Packed!, reflection));
    }

    [Fact]
    public void An_event_in_a_packed_chunk_is_a_duplicate_also_after_a_reload()
    {
        var state = Appended(capacity: 10, count: 9, chunkSize: 3);
        var ring = new FinanceFeedRing(state, 10, 3);

        Assert.False(ring.Append(Movement(2)));
        Assert.False(ring.Append(Movement(9)));
        Assert.True(ring.Append(Movement(10)));
        Assert.Equal(Range(1, 10), Sequences(ring));
    }

    [Fact]
    public void A_reload_reads_the_id_hashes_of_packed_chunks_instead_of_unpacking_them()
    {
        // 1,000 kept: three full chunks of 256 packed with their id hashes, 232 in the open chunk.
        var state = Appended(capacity: 1000, count: 1100, chunkSize: 256);
        var hashed = 0;
        var ring = new FinanceFeedRing(state, 1000, 256, id => { hashed++; return XxHashOf(id); });

        Assert.Equal(1100 - 1024, hashed); // the open chunk's entries only
        Assert.Equal((1000, 1), (ring.Count, ring.ChunksUnpackedAtStart));
        Assert.Equal(Range(101, 1100), Sequences(ring));
        Assert.False(ring.Append(Movement(101)));
        Assert.False(ring.Append(Movement(600)));
        Assert.True(ring.Append(Movement(100))); // evicted before: appended again, evicting 101
        ring.EndBatch();
        Assert.True(ring.Append(Movement(101)));
        Assert.Equal(Range(103, 1102), Sequences(ring));
    }

    [Fact]
    public void Packed_chunks_stored_without_id_hashes_by_earlier_versions_reload_the_same()
    {
        var withHashes = Appended(capacity: 1000, count: 1100, chunkSize: 256);
        var without = new FinanceFeedState { LastSequence = withHashes.LastSequence, FirstKept = withHashes.FirstKept };
        ((IHasStoredEntries)without).LoadEntries([.. ((IHasStoredEntries)withHashes).StoredEntries
            .Select(e => e.Value is FinanceFeedChunk { IdHashes: not null } chunk ? KeyValuePair.Create(e.Key, (object)(chunk with { IdHashes = null })) : e)]);
        Assert.Contains(((IHasStoredEntries)withHashes).StoredEntries, e => e.Value is FinanceFeedChunk { IdHashes: not null });

        var a = new FinanceFeedRing(withHashes, 1000, 256);
        var b = new FinanceFeedRing(without, 1000, 256);

        Assert.Equal(a.Entries, b.Entries);
        foreach (var n in new[] { 100, 101, 356, 1100, 1101 })
        {
            Assert.Equal(a.Append(Movement(n)), b.Append(Movement(n)));
        }

        Assert.Equal(Sequences(a), Sequences(b));
    }

    [Fact]
    public void Ids_whose_hashes_collide_in_packed_chunks_are_still_told_apart_after_a_reload()
    {
        static UInt128 Collide(string _) => UInt128.One;
        var state = new FinanceFeedState();
        var ring = new FinanceFeedRing(state, capacity: 5, chunkSize: 2, hash: Collide);
        for (var n = 1; n <= 5; n++)
        {
            ring.Append(Movement(n));
            ring.EndBatch();
        }

        ((IHasStoredEntries)state).TakeChangedEntries();
        var reloaded = new FinanceFeedRing(Reloaded(state), capacity: 5, chunkSize: 2, hash: Collide);

        Assert.All(Enumerable.Range(1, 5), n => Assert.False(reloaded.Append(Movement(n))));
        Assert.True(reloaded.Append(Movement(6)));
        Assert.Equal(Range(2, 6), Sequences(reloaded));
    }

    private static UInt128 XxHashOf(string id) =>
        System.IO.Hashing.XxHash128.HashToUInt128(System.Runtime.InteropServices.MemoryMarshal.AsBytes(id.AsSpan()));

    [Fact]
    public void Ids_whose_hashes_collide_are_still_told_apart_while_kept_and_after_eviction()
    {
        // Every id hashes alike: only the kept entries can tell them apart.
        var ring = new FinanceFeedRing(new FinanceFeedState(), capacity: 3, chunkSize: 2, hash: static _ => UInt128.One);

        Assert.True(ring.Append(Movement(1)));
        Assert.True(ring.Append(Movement(2)));
        Assert.False(ring.Append(Movement(1)));
        Assert.False(ring.Append(Movement(2)));
        Assert.True(ring.Append(Movement(3)));
        Assert.True(ring.Append(Movement(4))); // evicts 1
        Assert.False(ring.Append(Movement(2)));
        Assert.False(ring.Append(Movement(4)));
        Assert.True(ring.Append(Movement(1)));
        ring.EndBatch();

        Assert.Equal(["e3", "e4", "e1"], ring.Entries.Select(e => e.Event.EventId.Split(':')[^1]));
    }

    [Fact]
    public void A_read_bounded_to_the_stored_entries_shows_none_beyond_them()
    {
        var ring = new FinanceFeedRing(new FinanceFeedState(), capacity: 10, chunkSize: 3);
        for (var n = 1; n <= 5; n++)
        {
            ring.Append(Movement(n));
        }

        var page = ring.Read(0, 10, through: 3);
        Assert.Equal(Range(1, 3), page.Items.Select(e => e.Sequence));
        Assert.Equal((3L, false), (page.Next, page.HasMore));
        Assert.Empty(ring.Read(3, 10, through: 3).Items);
        Assert.Equal(Range(4, 5), ring.Read(3, 10, through: 5).Items.Select(e => e.Sequence));
    }

    [Fact]
    public void Pages_follow_the_cursor()
    {
        var ring = new FinanceFeedRing(Appended(capacity: 4, count: 6, chunkSize: 3), 4, 3);

        var first = ring.Read(after: 0, limit: 3);
        Assert.Equal([3L, 4, 5], first.Items.Select(i => i.Sequence));
        Assert.Equal(5, first.Next);
        Assert.True(first.HasMore);

        var last = ring.Read(first.Next, 3);
        Assert.Equal([6L], last.Items.Select(i => i.Sequence));
        Assert.False(last.HasMore);
        Assert.Equal(6, ring.Read(6, 3).Next);
    }

    [Theory]
    [InlineData("feed#{0:D19}")] // one row per sequence
    [InlineData("feed@{1:D10}")] // one row per slot of a capacity of 6
    public void A_feed_stored_one_row_per_entry_is_stored_again_in_chunks_cut_to_the_capacity(string keyFormat)
    {
        var state = new FinanceFeedState { LastSequence = 6 };
        for (var n = 1; n <= 6; n++)
        {
            state.Entries[string.Format(System.Globalization.CultureInfo.InvariantCulture, keyFormat, n, n % 6)] = new FinanceFeedEntry { Sequence = n, Event = Movement(n) };
        }

        state.Entries.TakeChanges();
        var ring = new FinanceFeedRing(state, 4, chunkSize: 2);

        Assert.Equal(Range(3, 6), Sequences(ring));
        Assert.Equal(0, state.Entries.Count);
        // Every old row removed, the kept entries written as two chunks.
        var changes = ((IHasStoredEntries)state).TakeChangedEntries();
        Assert.Equal(6, changes.Count(c => c.Value is null));
        Assert.Equal([ring.SlotKey(1), ring.SlotKey(2)], changes.Where(c => c.Value is not null).Select(c => c.Key).Order());

        ring.Append(Movement(7));
        ring.EndBatch();
        Assert.Equal(Range(4, 7), Sequences(ring));
        Assert.Equal(Range(4, 7), Sequences(new FinanceFeedRing(Reloaded(state), 4, 2)));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(8)]
    public void Another_capacity_stores_what_is_kept_again_without_losing_a_newer_entry(int capacity)
    {
        var state = Appended(capacity: 5, count: 7, chunkSize: 2);
        var ring = new FinanceFeedRing(state, capacity, 2);
        var kept = Math.Min(capacity, 5);

        Assert.Equal(Range(8 - kept, 7), Sequences(ring));
        Assert.All(state.Chunks.Pairs, p => Assert.Equal(ring.SlotKey(p.Value.Index), p.Key));
        for (var n = 8; n <= 12; n++)
        {
            ring.Append(Movement(n));
            ring.EndBatch();
        }

        Assert.Equal(Range(13 - capacity, 12), Sequences(ring));
        Assert.Equal(Sequences(ring), Sequences(new FinanceFeedRing(Reloaded(state), capacity, 2)));
    }
}
