using Distribution.Events.Streaming;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Providers.Streams.Common;
using Orleans.Streams;

namespace Distribution.Events.Tests;

/// <summary>
/// The journal queue's cache as its pulling agent drives it: read into the cache, one cursor per
/// warehouse, <c>MoveNext</c> to take the next delivery (which confirms the previous one), purge
/// before each read and report what was purged to the receiver, which moves the checkpoint.
/// </summary>
public sealed class JournalQueueCacheTests
{
    private const int Queue = 0;

    private readonly MemoryEventJournal _journal = MemoryEventJournal.For(Guid.NewGuid().ToString());
    private JournalQueueReceiver _receiver = null!;

    private async Task<JournalQueueCache> Start(int capacity = 4096, int mergeLimit = 16)
    {
        _receiver = await NewReceiver();
        return new JournalQueueCache(capacity, mergeLimit);
    }

    /// <summary>A reader of the queue starting from its stored checkpoint, as after a restart.</summary>
    private async Task<JournalQueueReceiver> NewReceiver()
    {
        var receiver = new JournalQueueReceiver(Queue, _journal, new EventStreamOptions(), NullLogger<JournalQueueReceiver>.Instance);
        await receiver.Initialize(TimeSpan.FromSeconds(10));
        return receiver;
    }

    private Task<long[]> Append(params string[] warehouses) => JournalTestEntries.Append(_journal, Queue, warehouses);

    /// <summary>One agent read: into the cache, unless it is under pressure.</summary>
    private async Task<int> Read(JournalQueueCache cache)
    {
        if (cache.IsUnderPressure())
        {
            return 0;
        }

        var containers = await _receiver.GetQueueMessagesAsync(cache.GetMaxAddCount(), CancellationToken.None);
        cache.AddToCache(containers);
        return containers.Count;
    }

    /// <summary>What the agent does before each read: purge, and report what was purged.</summary>
    private async Task<long[]> Purge(JournalQueueCache cache)
    {
        if (!cache.TryPurgeFromCache(out var purged))
        {
            return [];
        }

        await _receiver.MessagesDeliveredAsync(purged, CancellationToken.None);
        return [.. purged.Cast<JournalBatchContainer>().SelectMany(Sequences)];
    }

    private Task<long> Checkpoint() => _journal.ReadCheckpointAsync(Queue);

    private static IQueueCacheCursor CursorOf(JournalQueueCache cache, string warehouse, long? fromSequence)
    {
        var opened = cache.TryGetCacheCursor(
            EventStreams.StreamOf(warehouse), fromSequence is { } s ? new EventSequenceTokenV2(s) : null);
        Assert.Equal(QueueCacheCursorResultKind.Success, opened.Kind);
        return opened.Cursor!;
    }

    /// <summary>The sequences of the next delivery the cursor hands out (confirming the previous one); empty when none.</summary>
    private static long[] Next(IQueueCacheCursor cursor) =>
        cursor.MoveNextWithResult().Kind == QueueCacheCursorMoveResultKind.Success
            ? Sequences((JournalBatchContainer)cursor.GetCurrent(out _)!)
            : [];

    private static long[] Sequences(JournalBatchContainer container) => [.. container.Batch.Events.Select(e => e.Sequence)];

    [Fact]
    public async Task A_warehouse_delivered_while_another_is_still_applying_moves_the_checkpoint_at_the_next_purge()
    {
        var cache = await Start();
        var s = await Append("A", "A", "B", "B");
        await Read(cache);
        var a = CursorOf(cache, "A", s[0]);
        var b = CursorOf(cache, "B", s[2]);

        Assert.Equal([s[0], s[1]], Next(a));
        Assert.Equal([s[2], s[3]], Next(b));
        Assert.Empty(await Purge(cache));

        // A's delivery is done (its consumer asks for more); B's is still being applied.
        Assert.Empty(Next(a));
        Assert.Equal([s[0], s[1]], await Purge(cache));
        Assert.Equal(s[1], await Checkpoint());
        Assert.Equal(2, (await _journal.CountPendingAsync([Queue], 100))[0]);

        Assert.Empty(Next(b));
        Assert.Equal([s[2], s[3]], await Purge(cache));
        Assert.Equal(s[3], await Checkpoint());
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public async Task Items_waiting_for_a_warehouse_are_handed_out_together_up_to_the_merge_limit_in_journal_order()
    {
        var cache = await Start(mergeLimit: 2);
        var s = new List<long>();
        foreach (var posted in new[] { new[] { "A", "B" }, ["A"], ["B", "A"] })
        {
            s.AddRange(await Append(posted));
            await Read(cache);
        }

        Assert.Equal(5, cache.Count);
        var a = CursorOf(cache, "A", s[0]);
        Assert.Equal([s[0], s[2]], Next(a));
        Assert.Equal([s[4]], Next(a));
        Assert.Empty(Next(a));

        // B's items are still held (its consumer has not taken them): the checkpoint stays before them.
        Assert.Equal([s[0], s[2], s[4]], await Purge(cache));
        Assert.Equal(s[0], await Checkpoint());
        var b = CursorOf(cache, "B", s[1]);
        Assert.Equal([s[1], s[3]], Next(b));
        Assert.Empty(Next(b));
        Assert.Equal([s[1], s[3]], await Purge(cache));
        Assert.Equal(s[^1], await Checkpoint());
    }

    [Fact]
    public async Task A_cursor_that_has_not_reached_an_item_keeps_it_until_it_passes_it()
    {
        var cache = await Start();
        var s = await Append("A", "A");
        await Read(cache);
        // The agent pins a stream's first item with a cursor of its own while it registers the stream.
        var pin = CursorOf(cache, "A", s[0]);
        var consumer = CursorOf(cache, "A", s[0]);

        Assert.Equal(s, Next(consumer));
        Assert.Empty(Next(consumer));
        Assert.Empty(await Purge(cache));

        pin.Dispose();
        Assert.Equal(s, await Purge(cache));
        Assert.Equal(s[^1], await Checkpoint());
    }

    [Fact]
    public async Task A_failed_delivery_leaves_the_cache_unreported_so_a_restarted_reader_reads_it_again()
    {
        var cache = await Start();
        var s = await Append("A");
        await Read(cache);
        var a = CursorOf(cache, "A", s[0]);
        Assert.Equal(s, Next(a));

        a.RecordDeliveryFailure();
        Assert.Empty(Next(a));
        Assert.Empty(await Purge(cache));
        Assert.Equal(0, cache.Count);
        Assert.Equal(0, await Checkpoint());

        var again = await (await NewReceiver()).GetQueueMessagesAsync(10, CancellationToken.None);
        Assert.Equal(s, again.Cast<JournalBatchContainer>().SelectMany(Sequences));
    }

    [Fact]
    public async Task Items_a_dropped_cursor_handed_out_are_handed_out_again_by_a_cursor_opened_without_a_token()
    {
        var cache = await Start();
        var s = await Append("A", "A");
        await Read(cache);
        var first = CursorOf(cache, "A", s[0]);
        Assert.Equal(s, Next(first));

        // The agent drops a cursor that threw and opens a new one without a token.
        first.Dispose();
        Assert.Empty(await Purge(cache));
        var second = CursorOf(cache, "A", fromSequence: null);
        Assert.Equal(s, Next(second));
        Assert.Empty(Next(second));
        Assert.Equal(s, await Purge(cache));
    }

    [Fact]
    public async Task A_full_cache_stops_the_reads_until_deliveries_make_room_and_nothing_is_skipped()
    {
        var cache = await Start(capacity: 2);
        var s = new List<long>();
        foreach (var warehouse in new[] { "A", "A", "A" })
        {
            s.AddRange(await Append(warehouse));
            await Read(cache);
        }

        Assert.True(cache.IsUnderPressure());
        Assert.Equal(2, cache.Count);
        Assert.True(cache.GetMaxAddCount() > 0);

        var a = CursorOf(cache, "A", s[0]);
        Assert.Equal([s[0], s[1]], Next(a));
        Assert.Empty(Next(a));
        Assert.Equal([s[0], s[1]], await Purge(cache));
        Assert.False(cache.IsUnderPressure());

        Assert.Equal(1, await Read(cache));
        Assert.Equal([s[2]], Next(a));
        Assert.Empty(Next(a));
        Assert.Equal([s[2]], await Purge(cache));
        Assert.Equal(s[^1], await Checkpoint());
    }
}
