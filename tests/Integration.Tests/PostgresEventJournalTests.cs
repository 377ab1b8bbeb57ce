using Distribution.Events;
using Distribution.Persistence;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Distribution.Tests;

public sealed class PostgresEventJournalTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>, IAsyncLifetime
{
    private static readonly DateTimeOffset At = new(2026, 11, 24, 8, 0, 0, TimeSpan.Zero);

    public async Task InitializeAsync() => await PostgresSchema.ApplyAsync(database.ConnectionString);

    public Task DisposeAsync() => Task.CompletedTask;

    private PostgresEventJournal NewJournal(string serviceId) =>
        new(PostgresDataSource.Create(database.ConnectionString), serviceId, NullLogger<PostgresEventJournal>.Instance, ownsDataSource: true);

    private static JournalEntry Entry(string key, int queue = 0, string warehouse = "AMS", string payload = "{}", DateTimeOffset? accepted = null) =>
        new(key, queue, warehouse, payload, At, accepted ?? At, "corr-1", null);

    [Fact]
    public async Task An_appended_key_is_recognised_as_duplicate_or_conflict_by_every_journal_of_the_service()
    {
        var service = Guid.NewGuid().ToString("N");
        await using var first = NewJournal(service);
        await using var second = NewJournal(service);

        var appended = await first.AppendAsync([Entry("e1", payload: "{\"q\":1}"), Entry("e2")]);
        var again = await second.AppendAsync([Entry("e1", payload: "{\"q\":1}"), Entry("e2", payload: "{\"other\":true}"), Entry("e3")]);

        Assert.All(appended, r => Assert.Equal(JournalAppendStatus.Appended, r.Status));
        Assert.Equal(new JournalAppendResult(JournalAppendStatus.Duplicate, appended[0].Sequence), again[0]);
        Assert.Equal(new JournalAppendResult(JournalAppendStatus.Conflict, appended[1].Sequence), again[1]);
        Assert.Equal(JournalAppendStatus.Appended, again[2].Status);
        Assert.True(again[2].Sequence > appended[1].Sequence);
    }

    [Fact]
    public async Task A_key_twice_in_one_group_commit_is_appended_once()
    {
        await using var journal = NewJournal(Guid.NewGuid().ToString("N"));

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => journal.AppendAsync([Entry("same", payload: "{\"q\":1}")])));

        var all = results.Select(r => r[0]).ToList();
        Assert.Single(all, r => r.Status == JournalAppendStatus.Appended);
        Assert.All(all, r => Assert.Equal(all[0].Sequence, r.Sequence));
        Assert.Single(await journal.ReadQueueAsync(0, 0, 100));
    }

    [Fact]
    public async Task One_key_appended_to_two_queues_at_once_is_stored_once()
    {
        // Queues commit in parallel; the unique key still decides between them.
        await using var journal = NewJournal(Guid.NewGuid().ToString("N"));

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(q => journal.AppendAsync([Entry("shared", queue: q % 4, payload: "{\"q\":1}")])));

        Assert.Single(results, r => r[0].Status == JournalAppendStatus.Appended);
        Assert.All(results, r => Assert.NotEqual(JournalAppendStatus.Conflict, r[0].Status));
        Assert.Single(results.Select(r => r[0].Sequence).Distinct());
        var stored = (await Task.WhenAll(Enumerable.Range(0, 4).Select(q => journal.ReadQueueAsync(q, 0, 10)))).SelectMany(x => x).ToList();
        Assert.Single(stored);
    }

    [Fact]
    public async Task Services_sharing_a_database_have_separate_journals()
    {
        await using var blue = NewJournal("blue-" + Guid.NewGuid().ToString("N"));
        await using var green = NewJournal("green-" + Guid.NewGuid().ToString("N"));

        await blue.AppendAsync([Entry("e1")]);
        var green1 = await green.AppendAsync([Entry("e1")]);

        Assert.Equal(JournalAppendStatus.Appended, green1[0].Status);
        Assert.Single(await green.ReadQueueAsync(0, 0, 10));
    }

    [Fact]
    public async Task Concurrent_writers_never_make_a_reader_skip_an_entry()
    {
        // Two journals (two processes' worth of connections) append concurrently while a reader
        // polls "after the last sequence I saw": it must end up with every entry exactly once.
        var service = Guid.NewGuid().ToString("N");
        await using var a = NewJournal(service);
        await using var b = NewJournal(service);
        await using var reader = NewJournal(service);
        var writers = Enumerable.Range(0, 40).Select(i => (i % 2 == 0 ? a : b).AppendAsync(
            [.. Enumerable.Range(0, 25).Select(j => Entry($"w{i}-{j}", queue: j % 2))])).ToList();
        var seen = new List<long>();
        long last = 0;
        var done = Task.WhenAll(writers);
        while (true)
        {
            var finished = done.IsCompleted;
            var page = await reader.ReadQueueAsync(1, last, 100);
            seen.AddRange(page.Select(p => p.Sequence));
            if (page.Count > 0)
            {
                last = page[^1].Sequence;
            }
            else if (finished)
            {
                break;
            }
        }

        await done;
        Assert.Equal(40 * 12, seen.Count); // j odd: 12 of every 25
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal(seen.Order(), seen);
    }

    [Fact]
    public async Task Reads_by_queue_and_by_acceptance_range_return_entries_in_order()
    {
        await using var journal = NewJournal(Guid.NewGuid().ToString("N"));
        await journal.AppendAsync([Entry("a", 0, "AMS", accepted: At), Entry("b", 1, "BER", accepted: At.AddMinutes(1))]);
        await journal.AppendAsync([Entry("c", 0, "AMS", accepted: At.AddMinutes(2)), Entry("d", 0, "AMS", accepted: At.AddMinutes(3))]);

        var queue0 = await journal.ReadQueueAsync(0, 0, 10);
        var afterFirst = await journal.ReadQueueAsync(0, queue0[0].Sequence, 1);
        var range = await journal.ReadRangeAsync(At.AddMinutes(1), At.AddMinutes(3), null, 0, 10);
        var rangeAms = await journal.ReadRangeAsync(At, At.AddHours(1), "AMS", 0, 10);

        Assert.Equal(["a", "c", "d"], queue0.Select(e => e.Entry.Key));
        Assert.Equal(["c"], afterFirst.Select(e => e.Entry.Key));
        Assert.Equal(["b", "c"], range.Select(e => e.Entry.Key));
        Assert.Equal(["a", "c", "d"], rangeAms.Select(e => e.Entry.Key));
        Assert.Equal("corr-1", queue0[0].Entry.CorrelationId);
        Assert.Equal(At, queue0[0].Entry.AcceptedAt);
    }

    [Fact]
    public async Task Checkpoints_survive_a_new_journal_and_never_go_backwards()
    {
        var service = Guid.NewGuid().ToString("N");
        await using (var journal = NewJournal(service))
        {
            Assert.Equal(0, await journal.ReadCheckpointAsync(2));
            await journal.WriteCheckpointAsync(2, 40);
            await journal.WriteCheckpointAsync(2, 30);
        }

        await using var restarted = NewJournal(service);
        Assert.Equal(40, await restarted.ReadCheckpointAsync(2));
        Assert.Equal(0, await restarted.ReadCheckpointAsync(3));
    }

    [Fact]
    public async Task Pending_counts_what_each_queue_holds_after_its_checkpoint_up_to_the_cap()
    {
        await using var journal = NewJournal(Guid.NewGuid().ToString("N"));
        var appended = await journal.AppendAsync([.. Enumerable.Range(0, 5).Select(i => Entry($"a{i}", queue: 0)), Entry("b0", queue: 1)]);
        await journal.WriteCheckpointAsync(0, appended[1].Sequence);

        Assert.Equal([3, 1, 0], await journal.CountPendingAsync([0, 1, 2], cap: 100));
        Assert.Equal([2, 1, 0], await journal.CountPendingAsync([0, 1, 2], cap: 2));
        await journal.WriteCheckpointAsync(1, appended[5].Sequence);
        Assert.Equal([3, 0], await journal.CountPendingAsync([0, 1], cap: 100));
    }

    [Fact]
    public async Task Purge_drops_entries_older_than_the_window_and_frees_their_keys()
    {
        await using var journal = NewJournal(Guid.NewGuid().ToString("N"));
        await journal.AppendAsync([Entry("old") with { OccurredAt = At.AddDays(-9) }, Entry("new")]);

        var purged = await journal.PurgeAsync(At.AddDays(-8));
        var again = await journal.AppendAsync([Entry("old"), Entry("new")]);

        Assert.Equal(1, purged);
        Assert.Equal(JournalAppendStatus.Appended, again[0].Status);
        Assert.Equal(JournalAppendStatus.Duplicate, again[1].Status);
    }

    [Fact]
    public async Task The_trace_parent_round_trips_and_a_repost_under_another_trace_is_still_a_duplicate()
    {
        const string posted = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        const string reposted = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        await using var journal = NewJournal(Guid.NewGuid().ToString("N"));

        var appended = await journal.AppendAsync([Entry("traced", payload: "{\"q\":1}") with { TraceParent = posted }, Entry("untraced")]);
        var again = await journal.AppendAsync([Entry("traced", payload: "{\"q\":1}") with { TraceParent = reposted }]);

        Assert.Equal(new JournalAppendResult(JournalAppendStatus.Duplicate, appended[0].Sequence), again[0]);
        var byQueue = await journal.ReadQueueAsync(0, 0, 10);
        Assert.Equal([("traced", posted), ("untraced", null)], byQueue.Select(e => (e.Entry.Key, e.Entry.TraceParent)));
        var byRange = await journal.ReadRangeAsync(At, At.AddMinutes(1), "AMS", 0, 10);
        Assert.Equal([("traced", posted), ("untraced", null)], byRange.Select(e => (e.Entry.Key, e.Entry.TraceParent)));
    }

    [Fact]
    public async Task An_unreachable_database_fails_each_append_without_stalling_the_journal()
    {
        var builder = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Port = 1, Timeout = 2 };
        await using var broken = new PostgresEventJournal(NpgsqlDataSource.Create(builder.ConnectionString), "x", NullLogger<PostgresEventJournal>.Instance, ownsDataSource: true);
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => broken.AppendAsync([Entry("e1")]));
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => broken.AppendAsync([Entry("e2")]));
    }

    [Fact]
    public async Task A_journal_closes_the_connections_of_a_data_source_it_owns_when_disposed_and_leaves_a_borrowed_one_open()
    {
        var owned = PostgresDataSource.Create(database.ConnectionString);
        await using var borrowed = PostgresDataSource.Create(database.ConnectionString);
        await using (var journal = new PostgresEventJournal(owned, Guid.NewGuid().ToString("N"), NullLogger<PostgresEventJournal>.Instance, ownsDataSource: true))
        {
            await journal.AppendAsync([Entry("owned")]);
        }

        await using (var journal = new PostgresEventJournal(borrowed, Guid.NewGuid().ToString("N"), NullLogger<PostgresEventJournal>.Instance))
        {
            await journal.AppendAsync([Entry("borrowed")]);
        }

        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await owned.OpenConnectionAsync());
        await using var stillOpen = await borrowed.OpenConnectionAsync();
        Assert.Equal(System.Data.ConnectionState.Open, stillOpen.State);
    }
}
