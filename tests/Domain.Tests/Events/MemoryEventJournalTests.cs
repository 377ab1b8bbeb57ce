namespace Distribution.Events.Tests;

public sealed class MemoryEventJournalTests
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 3, 9, 0, 0, TimeSpan.Zero);

    private static MemoryEventJournal NewJournal() => MemoryEventJournal.For(Guid.NewGuid().ToString());

    private static JournalEntry Entry(
        string key,
        int queue = 0,
        string warehouseId = "WH-1",
        string? payload = null,
        DateTimeOffset? occurredAt = null,
        DateTimeOffset? acceptedAt = null,
        string? correlationId = null,
        string? redriveOf = null) =>
        new(key, queue, warehouseId, payload ?? $"{{\"eventId\":\"{key}\"}}", occurredAt ?? T0, acceptedAt ?? T0, correlationId, redriveOf);

    private static async Task<long> AppendOne(IEventJournal journal, JournalEntry entry)
    {
        var result = Assert.Single(await journal.AppendAsync([entry]));
        Assert.Equal(JournalAppendStatus.Appended, result.Status);
        return result.Sequence;
    }

    [Fact]
    public async Task The_trace_parent_is_kept_and_a_repost_under_another_trace_is_still_a_duplicate()
    {
        var journal = NewJournal();
        const string first = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        const string second = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

        var sequence = await AppendOne(journal, Entry("a") with { TraceParent = first });
        var again = Assert.Single(await journal.AppendAsync([Entry("a") with { TraceParent = second }]));

        Assert.Equal(new JournalAppendResult(JournalAppendStatus.Duplicate, sequence), again);
        Assert.Equal(first, Assert.Single(await journal.ReadQueueAsync(0, 0, 10)).Entry.TraceParent);
        Assert.Equal(first, Assert.Single(await journal.ReadRangeAsync(T0, T0.AddSeconds(1), null, 0, 10)).Entry.TraceParent);
    }

    [Fact]
    public void Journal_is_one_per_service()
    {
        var id = Guid.NewGuid().ToString();

        Assert.Same(MemoryEventJournal.For(id), MemoryEventJournal.For(id));
        Assert.NotSame(MemoryEventJournal.For(id), MemoryEventJournal.For(Guid.NewGuid().ToString()));
    }

    [Fact]
    public async Task Append_returns_appended_with_increasing_sequences()
    {
        var journal = NewJournal();

        var results = await journal.AppendAsync([Entry("a"), Entry("b", queue: 1), Entry("c")]);
        var more = await journal.AppendAsync([Entry("d")]);

        Assert.Equal(3, results.Count);
        Assert.All(results.Concat(more), r => Assert.Equal(JournalAppendStatus.Appended, r.Status));
        var sequences = results.Concat(more).Select(r => r.Sequence).ToList();
        Assert.True(sequences[0] > 0);
        Assert.Equal(sequences.Order(), sequences);
        Assert.Equal(sequences.Count, sequences.Distinct().Count());
    }

    [Fact]
    public async Task Empty_append_returns_no_results()
    {
        var journal = NewJournal();

        Assert.Empty(await journal.AppendAsync([]));
        Assert.Empty(await journal.ReadQueueAsync(0, 0, 100));
    }

    [Fact]
    public async Task Same_key_and_payload_again_is_a_duplicate_with_the_original_sequence()
    {
        var journal = NewJournal();
        var first = await AppendOne(journal, Entry("ev-1"));
        await AppendOne(journal, Entry("ev-2"));

        var again = Assert.Single(await journal.AppendAsync([Entry("ev-1", acceptedAt: T0.AddMinutes(5), correlationId: "retry")]));

        Assert.Equal(JournalAppendStatus.Duplicate, again.Status);
        Assert.Equal(first, again.Sequence);
        Assert.Equal(["ev-1", "ev-2"], (await journal.ReadQueueAsync(0, 0, 100)).Select(e => e.Entry.Key));
    }

    [Fact]
    public async Task Same_key_with_another_payload_is_a_conflict_with_the_original_sequence()
    {
        var journal = NewJournal();
        var first = await AppendOne(journal, Entry("ev-1", payload: "{\"quantity\":1}"));

        var again = Assert.Single(await journal.AppendAsync([Entry("ev-1", payload: "{\"quantity\":2}")]));

        Assert.Equal(JournalAppendStatus.Conflict, again.Status);
        Assert.Equal(first, again.Sequence);
        var stored = Assert.Single(await journal.ReadQueueAsync(0, 0, 100));
        Assert.Equal("{\"quantity\":1}", stored.Entry.Payload);
    }

    [Fact]
    public async Task Duplicates_within_one_batch_are_recognised()
    {
        var journal = NewJournal();

        var results = await journal.AppendAsync([Entry("x", payload: "p"), Entry("x", payload: "p"), Entry("x", payload: "q"), Entry("y")]);

        Assert.Equal(
            [JournalAppendStatus.Appended, JournalAppendStatus.Duplicate, JournalAppendStatus.Conflict, JournalAppendStatus.Appended],
            results.Select(r => r.Status));
        Assert.Equal(results[0].Sequence, results[1].Sequence);
        Assert.Equal(results[0].Sequence, results[2].Sequence);
        Assert.True(results[3].Sequence > results[0].Sequence);
        Assert.Equal(2, (await journal.ReadQueueAsync(0, 0, 100)).Count);
    }

    [Fact]
    public async Task Keys_are_case_sensitive()
    {
        var journal = NewJournal();
        await AppendOne(journal, Entry("ev-1"));

        await AppendOne(journal, Entry("EV-1"));
    }

    [Fact]
    public async Task Stored_entry_keeps_what_was_appended()
    {
        var journal = NewJournal();
        var entry = Entry("ev-1", queue: 2, warehouseId: "WH-9", payload: "{}", occurredAt: T0.AddHours(-1), acceptedAt: T0, correlationId: "c", redriveOf: "r");
        var sequence = await AppendOne(journal, entry);

        var stored = Assert.Single(await journal.ReadQueueAsync(2, 0, 10));

        Assert.Equal(sequence, stored.Sequence);
        Assert.Equal(entry, stored.Entry);
    }

    [Fact]
    public async Task Read_queue_returns_only_that_queue_after_the_sequence_in_order()
    {
        var journal = NewJournal();
        var results = await journal.AppendAsync(
            [Entry("a", queue: 0), Entry("b", queue: 1), Entry("c", queue: 0), Entry("d", queue: 1), Entry("e", queue: 0)]);
        var seq = results.Select(r => r.Sequence).ToArray();

        Assert.Equal(["a", "c", "e"], (await journal.ReadQueueAsync(0, 0, 100)).Select(e => e.Entry.Key));
        Assert.Equal(["b", "d"], (await journal.ReadQueueAsync(1, 0, 100)).Select(e => e.Entry.Key));
        Assert.Empty(await journal.ReadQueueAsync(2, 0, 100));

        // After a's sequence: c and e; after c's: e; after the last: nothing.
        Assert.Equal(["c", "e"], (await journal.ReadQueueAsync(0, seq[0], 100)).Select(e => e.Entry.Key));
        Assert.Equal(["c", "e"], (await journal.ReadQueueAsync(0, seq[1], 100)).Select(e => e.Entry.Key));
        Assert.Equal(["e"], (await journal.ReadQueueAsync(0, seq[2], 100)).Select(e => e.Entry.Key));
        Assert.Empty(await journal.ReadQueueAsync(0, seq[4], 100));
        Assert.Empty(await journal.ReadQueueAsync(0, long.MaxValue - 1, 100));

        var page = await journal.ReadQueueAsync(0, 0, 100);
        Assert.Equal(page.Select(e => e.Sequence).Order(), page.Select(e => e.Sequence));
        Assert.Equal([seq[0], seq[2], seq[4]], page.Select(e => e.Sequence));
    }

    [Fact]
    public async Task Read_queue_honours_the_limit_and_pages_without_gaps()
    {
        var journal = NewJournal();
        for (var i = 0; i < 10; i++)
        {
            await journal.AppendAsync([Entry($"q0-{i}", queue: 0), Entry($"q1-{i}", queue: 1)]);
        }

        Assert.Equal(3, (await journal.ReadQueueAsync(0, 0, 3)).Count);
        Assert.Empty(await journal.ReadQueueAsync(0, 0, 0));

        var keys = new List<string>();
        var after = 0L;
        while (true)
        {
            var page = await journal.ReadQueueAsync(0, after, 3);
            Assert.InRange(page.Count, 0, 3);
            if (page.Count == 0)
            {
                break;
            }

            Assert.All(page, e => Assert.True(e.Sequence > after));
            keys.AddRange(page.Select(e => e.Entry.Key));
            after = page[^1].Sequence;
        }

        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"q0-{i}"), keys);
    }

    [Fact]
    public async Task Read_range_filters_by_accepted_at_half_open()
    {
        var journal = NewJournal();
        await journal.AppendAsync(
        [
            Entry("before", acceptedAt: T0.AddTicks(-1)),
            Entry("at-from", acceptedAt: T0),
            Entry("inside", acceptedAt: T0.AddMinutes(30)),
            Entry("at-to", acceptedAt: T0.AddHours(1)),
            Entry("after", acceptedAt: T0.AddHours(2)),
        ]);

        var range = await journal.ReadRangeAsync(T0, T0.AddHours(1), null, 0, 100);

        Assert.Equal(["at-from", "inside"], range.Select(e => e.Entry.Key));
    }

    [Fact]
    public async Task Read_range_filters_by_accepted_at_not_occurred_at()
    {
        var journal = NewJournal();
        await journal.AppendAsync([Entry("late", occurredAt: T0.AddDays(-2), acceptedAt: T0.AddMinutes(1))]);

        Assert.Single(await journal.ReadRangeAsync(T0, T0.AddHours(1), null, 0, 100));
        Assert.Empty(await journal.ReadRangeAsync(T0.AddDays(-3), T0.AddDays(-1), null, 0, 100));
    }

    [Fact]
    public async Task Read_range_filters_by_warehouse_across_queues()
    {
        var journal = NewJournal();
        await journal.AppendAsync(
        [
            Entry("a", queue: 0, warehouseId: "WH-1"),
            Entry("b", queue: 1, warehouseId: "WH-2"),
            Entry("c", queue: 2, warehouseId: "WH-1"),
        ]);

        Assert.Equal(["a", "c"], (await journal.ReadRangeAsync(T0, T0.AddHours(1), "WH-1", 0, 100)).Select(e => e.Entry.Key));
        Assert.Equal(["b"], (await journal.ReadRangeAsync(T0, T0.AddHours(1), "WH-2", 0, 100)).Select(e => e.Entry.Key));
        Assert.Equal(["a", "b", "c"], (await journal.ReadRangeAsync(T0, T0.AddHours(1), null, 0, 100)).Select(e => e.Entry.Key));
        Assert.Empty(await journal.ReadRangeAsync(T0, T0.AddHours(1), "wh-1", 0, 100));
    }

    [Fact]
    public async Task Read_range_honours_the_cursor_and_limit()
    {
        var journal = NewJournal();
        var results = await journal.AppendAsync([Entry("a"), Entry("b"), Entry("c"), Entry("d")]);

        var firstPage = await journal.ReadRangeAsync(T0, T0.AddHours(1), "WH-1", 0, 2);
        Assert.Equal(["a", "b"], firstPage.Select(e => e.Entry.Key));

        var secondPage = await journal.ReadRangeAsync(T0, T0.AddHours(1), "WH-1", firstPage[^1].Sequence, 2);
        Assert.Equal(["c", "d"], secondPage.Select(e => e.Entry.Key));

        Assert.Empty(await journal.ReadRangeAsync(T0, T0.AddHours(1), "WH-1", results[^1].Sequence, 2));
    }

    [Fact]
    public async Task Checkpoints_start_at_zero_and_never_go_backwards()
    {
        var journal = NewJournal();

        Assert.Equal(0, await journal.ReadCheckpointAsync(0));
        Assert.Equal(0, await journal.ReadCheckpointAsync(7));

        await journal.WriteCheckpointAsync(0, 10);
        Assert.Equal(10, await journal.ReadCheckpointAsync(0));

        await journal.WriteCheckpointAsync(0, 4);
        Assert.Equal(10, await journal.ReadCheckpointAsync(0));

        await journal.WriteCheckpointAsync(0, 10);
        Assert.Equal(10, await journal.ReadCheckpointAsync(0));

        await journal.WriteCheckpointAsync(0, 25);
        Assert.Equal(25, await journal.ReadCheckpointAsync(0));

        // Queues keep their own checkpoints.
        Assert.Equal(0, await journal.ReadCheckpointAsync(1));
        await journal.WriteCheckpointAsync(1, 3);
        Assert.Equal(3, await journal.ReadCheckpointAsync(1));
        Assert.Equal(25, await journal.ReadCheckpointAsync(0));
    }

    [Fact]
    public async Task Journals_of_different_services_are_independent()
    {
        var one = NewJournal();
        var two = NewJournal();

        await AppendOne(one, Entry("ev-1"));
        await one.WriteCheckpointAsync(0, 5);

        await AppendOne(two, Entry("ev-1"));
        Assert.Equal(0, await two.ReadCheckpointAsync(0));
        Assert.Single(await two.ReadQueueAsync(0, 0, 100));
    }

    [Fact]
    public async Task Purge_drops_entries_that_occurred_before_the_cutoff()
    {
        var journal = NewJournal();
        var cutoff = T0;
        await journal.AppendAsync(
        [
            Entry("old", occurredAt: cutoff.AddDays(-8), acceptedAt: cutoff),
            Entry("just-before", occurredAt: cutoff.AddTicks(-1), acceptedAt: cutoff),
            Entry("at-cutoff", occurredAt: cutoff, acceptedAt: cutoff),
            Entry("new", occurredAt: cutoff.AddDays(1), acceptedAt: cutoff),
        ]);

        Assert.Equal(2, await journal.PurgeAsync(cutoff));

        Assert.Equal(["at-cutoff", "new"], (await journal.ReadQueueAsync(0, 0, 100)).Select(e => e.Entry.Key));
        Assert.Equal(["at-cutoff", "new"], (await journal.ReadRangeAsync(cutoff.AddDays(-30), cutoff.AddDays(30), null, 0, 100)).Select(e => e.Entry.Key));
        Assert.Equal(0, await journal.PurgeAsync(cutoff));
    }

    [Fact]
    public async Task Purged_keys_can_be_appended_again_and_kept_keys_cannot()
    {
        var journal = NewJournal();
        var oldSequence = await AppendOne(journal, Entry("old", occurredAt: T0.AddDays(-10)));
        var keptSequence = await AppendOne(journal, Entry("kept", occurredAt: T0));

        await journal.PurgeAsync(T0.AddDays(-1));

        var results = await journal.AppendAsync([Entry("old", payload: "something else", occurredAt: T0.AddDays(-10)), Entry("kept")]);

        Assert.Equal(JournalAppendStatus.Appended, results[0].Status);
        Assert.True(results[0].Sequence > keptSequence, "sequences keep increasing after a purge");
        Assert.NotEqual(oldSequence, results[0].Sequence);
        Assert.Equal(new JournalAppendResult(JournalAppendStatus.Duplicate, keptSequence), results[1]);

        Assert.Equal(["kept", "old"], (await journal.ReadQueueAsync(0, 0, 100)).Select(e => e.Entry.Key));
    }

    [Fact]
    public async Task Keys_whose_hashes_collide_are_still_told_apart_before_and_after_a_purge()
    {
        // Every key hashes alike: only the stored key can tell them apart.
        var journal = new MemoryEventJournal(static _ => UInt128.One);
        var a = await AppendOne(journal, Entry("a", payload: "pa"));
        var b = await AppendOne(journal, Entry("b", payload: "pb"));
        var c = await AppendOne(journal, Entry("c", payload: "pc", occurredAt: T0.AddDays(-10)));

        Assert.Equal(
            [new(JournalAppendStatus.Duplicate, a), new(JournalAppendStatus.Conflict, b), new(JournalAppendStatus.Duplicate, c)],
            await journal.AppendAsync([Entry("a", payload: "pa"), Entry("b", payload: "other"), Entry("c", payload: "pc", occurredAt: T0.AddDays(-10))]));

        Assert.Equal(1, await journal.PurgeAsync(T0.AddDays(-1)));

        var afterPurge = await journal.AppendAsync([Entry("b", payload: "pb"), Entry("a", payload: "pa"), Entry("c", payload: "pc")]);
        Assert.Equal(new JournalAppendResult(JournalAppendStatus.Duplicate, b), afterPurge[0]);
        Assert.Equal(new JournalAppendResult(JournalAppendStatus.Duplicate, a), afterPurge[1]);
        Assert.Equal(JournalAppendStatus.Appended, afterPurge[2].Status);
        Assert.Equal(["a", "b", "c"], (await journal.ReadQueueAsync(0, 0, 100)).Select(e => e.Entry.Key));
    }

    [Fact]
    public async Task Text_of_any_size_and_script_comes_back_as_it_was_appended()
    {
        var journal = NewJournal();
        // Bigger than one of the journal's chunks, and text that is not ASCII.
        var large = Entry("große-ßendung-€", payload: "{\"note\":\"" + new string('é', 700_000) + "\"}", correlationId: "корреляция", redriveOf: "", warehouseId: "WH-Ω");
        large = large with { TraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" };
        var small = Entry("after-the-large-one", payload: "{}");

        await journal.AppendAsync([small with { Key = "before" }, large, small]);

        var read = await journal.ReadQueueAsync(0, 0, 10);
        Assert.Equal(3, read.Count);
        Assert.Equal(large, read[1].Entry);
        Assert.Equal(small, read[2].Entry);
        Assert.Equal(JournalAppendStatus.Duplicate, Assert.Single(await journal.AppendAsync([large])).Status);
    }

    [Fact]
    public async Task Concurrent_appends_get_distinct_sequences_and_each_key_once()
    {
        var journal = NewJournal();

        var tasks = Enumerable.Range(0, 8).Select(t => Task.Run(async () =>
        {
            var all = new List<JournalAppendResult>();
            for (var i = 0; i < 200; i++)
            {
                // Every task posts the same 200 keys: each key must be appended exactly once.
                all.AddRange(await journal.AppendAsync([Entry($"k{i}", queue: i % 4)]));
            }

            return all;
        })).ToList();
        var results = (await Task.WhenAll(tasks)).SelectMany(r => r).ToList();

        var appended = results.Where(r => r.Status == JournalAppendStatus.Appended).ToList();
        Assert.Equal(200, appended.Count);
        Assert.Equal(1400, results.Count(r => r.Status == JournalAppendStatus.Duplicate));
        Assert.Equal(200, appended.Select(r => r.Sequence).Distinct().Count());

        var read = new List<StoredJournalEntry>();
        for (var q = 0; q < 4; q++)
        {
            var page = await journal.ReadQueueAsync(q, 0, 1000);
            Assert.Equal(page.Select(e => e.Sequence).Order(), page.Select(e => e.Sequence));
            read.AddRange(page);
        }

        Assert.Equal(200, read.Count);
        Assert.Equal(200, read.Select(e => e.Entry.Key).Distinct().Count());
    }

    [Fact]
    public async Task Pending_counts_what_each_queue_holds_after_its_checkpoint_up_to_the_cap()
    {
        var journal = NewJournal();
        var appended = await journal.AppendAsync([.. Enumerable.Range(0, 5).Select(i => Entry($"a{i}", queue: 0)), Entry("b0", queue: 1)]);
        await journal.WriteCheckpointAsync(0, appended[1].Sequence);

        Assert.Equal([3, 1, 0], await journal.CountPendingAsync([0, 1, 2], cap: 100));
        Assert.Equal([2, 1, 0], await journal.CountPendingAsync([0, 1, 2], cap: 2));
        await journal.PurgeAsync(T0.AddSeconds(1));
        Assert.Equal([0, 0], await journal.CountPendingAsync([0, 1], cap: 100));
    }

    [Fact]
    public async Task Events_read_straight_from_the_arena_equal_the_entries_decoded()
    {
        var journal = NewJournal();
        WarehouseEvent Event(string id, string sku, string? reason = null) => new()
        {
            EventId = id,
            WarehouseId = "WH-Ø",
            Type = reason is null ? WarehouseEventType.Received : WarehouseEventType.Adjusted,
            Sku = sku,
            Quantity = reason is null ? 3 : -1,
            ReasonCode = reason,
            OccurredAt = T0.AddMinutes(1),
        };
        JournalEntry Of(WarehouseEvent e, string? correlationId, string? redriveOf = null, string? traceParent = null) =>
            new(e.EventId, 0, e.WarehouseId, JournalCodec.Encode(e), e.OccurredAt, T0.AddSeconds(5), correlationId, redriveOf, traceParent);

        // Correlation ids shared by neighbours, changing, missing and coming back: each entry keeps its own.
        await journal.AppendAsync([
            Of(Event("e1", "SKU-1"), "post-1"),
            Of(Event("e2", "SKU-2", "DAMAGE"), "post-1"),
            Of(Event("e3", "SKU-1"), null),
            Of(Event("e4", "SKU-3"), "post-2", redriveOf: "EXC-1", traceParent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"),
            Of(Event("e5", "SKU-é"), "post-1"),
        ]);
        await journal.AppendAsync([Of(Event("x1", "SKU-9"), "other-queue") with { Queue = 1 }]);

        var expected = (await journal.ReadQueueAsync(0, 1, 10)).Select(JournalCodec.ToJournaled).ToList();
        var read = await journal.ReadQueueEventsAsync(0, 1, 10);

        Assert.Equal(["e2", "e3", "e4", "e5"], read.Select(e => e.Event.EventId));
        Assert.Equal(expected, read);
        Assert.Equal(["post-1", null, "post-2", "post-1"], read.Select(e => e.CorrelationId));
        Assert.Equal(2, (await journal.ReadQueueEventsAsync(0, 0, 2)).Count);
    }
}
