using Distribution.Persistence;
using Orleans;
using Orleans.Runtime;
using Orleans.Storage;
using Xunit.Abstractions;

namespace Distribution.Tests;

public sealed class BatchedGrainStorageTests(PostgresDatabase database, ITestOutputHelper output)
    : IClassFixture<PostgresDatabase>, IAsyncLifetime
{
    private const string StateName = "counter";

    public async Task InitializeAsync() => await PostgresSchema.ApplyAsync(database.ConnectionString);

    public Task DisposeAsync() => Task.CompletedTask;

    private BatchedGrainStorage NewStorage(int maxBatchSize = 512, string? serviceId = null) => new(
        "test",
        new BatchedGrainStorageOptions
        {
            ServiceId = serviceId,
            ConnectionString = database.ConnectionString,
            MaxBatchSize = maxBatchSize,
            WakeAtSelector = state => (state as CounterState)?.WakeAt,
        },
        TestSerialization.Serializer,
        TestSerialization.Activators);

    private static GrainId NewGrain(string prefix = "g") => GrainId.Create("counter", $"{prefix}-{Guid.NewGuid():N}");

    [Fact]
    public async Task Services_sharing_a_database_never_see_each_others_state_or_wake_ups()
    {
        await using var blue = NewStorage(serviceId: "blue");
        await using var green = NewStorage(serviceId: "green");
        var grain = NewGrain();

        await blue.WriteStateAsync(StateName, grain, new GrainState<CounterState>(new CounterState { Count = 1, WakeAt = DateTimeOffset.UnixEpoch }));
        var fromGreen = new GrainState<CounterState>(new CounterState());
        await green.ReadStateAsync(StateName, grain, fromGreen);
        await green.WriteStateAsync(StateName, grain, new GrainState<CounterState>(new CounterState { Count = 7 }));
        var fromBlue = new GrainState<CounterState>(new CounterState());
        await blue.ReadStateAsync(StateName, grain, fromBlue);

        Assert.False(fromGreen.RecordExists);
        Assert.Equal(1, fromBlue.State!.Count);
        Assert.Contains(grain, await blue.GetDueAsync(DateTimeOffset.UtcNow, 100));
        Assert.DoesNotContain(grain, await green.GetDueAsync(DateTimeOffset.UtcNow, 100));
    }

    [Fact]
    public async Task Write_then_read_round_trips_state_and_etag()
    {
        await using var storage = NewStorage();
        var grain = NewGrain();

        var missing = new GrainState<CounterState>(new CounterState { Count = 99 });
        await storage.ReadStateAsync(StateName, grain, missing);
        Assert.False(missing.RecordExists);
        Assert.Null(missing.ETag);
        Assert.Equal(0, missing.State!.Count);

        var state = new GrainState<CounterState>(new CounterState { Count = 1, Note = "first" });
        await storage.WriteStateAsync(StateName, grain, state);
        Assert.Equal("1", state.ETag);
        Assert.True(state.RecordExists);

        state.State = state.State! with { Count = 2, Note = "second" };
        await storage.WriteStateAsync(StateName, grain, state);
        Assert.Equal("2", state.ETag);

        var read = new GrainState<CounterState>(new CounterState());
        await storage.ReadStateAsync(StateName, grain, read);
        Assert.True(read.RecordExists);
        Assert.Equal("2", read.ETag);
        Assert.Equal(new CounterState { Count = 2, Note = "second" }, read.State);
        Assert.NotSame(state.State, read.State);

        var row = await database.ScalarAsync<string>(
            "SELECT grain_type FROM grain_state WHERE grain_id = @id", ("id", grain.ToString()));
        Assert.Equal("counter/counter", row);
    }

    [Fact]
    public async Task Stale_etag_fails_only_the_stale_writer()
    {
        await using var storage = NewStorage();
        var grain = NewGrain();
        var initial = new GrainState<CounterState>(new CounterState { Count = 1 });
        await storage.WriteStateAsync(StateName, grain, initial);

        var winner = new GrainState<CounterState>(new CounterState { Count = 10 }, "1");
        var loser = new GrainState<CounterState>(new CounterState { Count = 20 }, "1");
        await storage.WriteStateAsync(StateName, grain, winner);
        var conflict = await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(StateName, grain, loser));
        Assert.Equal("1", conflict.CurrentEtag);
        Assert.Equal("1", loser.ETag);

        // The winner goes on; other grains in the same batch as a conflicting write are unaffected.
        var others = Enumerable.Range(0, 20).Select(_ => NewGrain("other")).ToArray();
        var stale = new GrainState<CounterState>(new CounterState { Count = 30 }, "1");
        var otherWrites = others.Select(g => storage.WriteStateAsync(StateName, g, new GrainState<CounterState>(new CounterState { Count = 5 }))).ToList();
        var staleWrite = storage.WriteStateAsync(StateName, grain, stale);
        winner.State = winner.State! with { Count = 11 };
        await Assert.ThrowsAsync<InconsistentStateException>(() => staleWrite);
        await Task.WhenAll(otherWrites);
        await storage.WriteStateAsync(StateName, grain, winner);
        Assert.Equal("3", winner.ETag);

        var read = new GrainState<CounterState>(new CounterState());
        await storage.ReadStateAsync(StateName, grain, read);
        Assert.Equal(11, read.State!.Count);

        // A second "first write" of an existing grain conflicts too.
        var fresh = new GrainState<CounterState>(new CounterState { Count = 1 });
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(StateName, grain, fresh));
    }

    [Fact]
    public async Task Two_concurrent_first_writes_of_one_grain_one_wins()
    {
        await using var storage = NewStorage();
        var grain = NewGrain();
        var a = storage.WriteStateAsync(StateName, grain, new GrainState<CounterState>(new CounterState { Count = 1 }));
        var b = storage.WriteStateAsync(StateName, grain, new GrainState<CounterState>(new CounterState { Count = 2 }));
        var results = await Task.WhenAll(Outcome(a), Outcome(b));
        Assert.Single(results, r => r is null);
        Assert.Single(results, r => r is InconsistentStateException);

        static async Task<Exception?> Outcome(Task task)
        {
            try
            {
                await task;
                return null;
            }
            catch (Exception ex)
            {
                return ex;
            }
        }
    }

    [Fact]
    public async Task Two_thousand_concurrent_writes_group_commit_in_few_round_trips()
    {
        const int grains = 2_000;
        await using var storage = NewStorage();
        var ids = Enumerable.Range(0, grains).Select(i => NewGrain($"bulk{i}")).ToArray();
        var states = ids.Select((_, i) => new GrainState<CounterState>(new CounterState { Count = i, Note = $"n{i}" })).ToArray();

        var clock = System.Diagnostics.Stopwatch.StartNew();
        await Task.WhenAll(ids.Select((id, i) => Task.Run(() => storage.WriteStateAsync(StateName, id, states[i]))));
        output.WriteLine($"{grains} writes in {storage.FlushedBatches} statements, {clock.ElapsedMilliseconds} ms");

        Assert.All(states, s => Assert.Equal("1", s.ETag));
        Assert.Equal(grains, storage.FlushedWrites);
        Assert.InRange(storage.FlushedBatches, (grains + 511) / 512, grains / 10);
        Assert.Equal(0, storage.FailedBatches);

        await using var reader = NewStorage();
        var reads = ids.Select(_ => new GrainState<CounterState>(new CounterState())).ToArray();
        clock.Restart();
        await Task.WhenAll(ids.Select((id, i) => Task.Run(() => reader.ReadStateAsync(StateName, id, reads[i]))));
        output.WriteLine($"{grains} reads in {reader.ReadBatches} statements, {clock.ElapsedMilliseconds} ms");
        for (var i = 0; i < grains; i++)
        {
            Assert.True(reads[i].RecordExists);
            Assert.Equal(i, reads[i].State!.Count);
            Assert.Equal($"n{i}", reads[i].State!.Note);
        }

        Assert.True(reader.ReadBatches < grains / 10, $"{reader.ReadBatches} read batches for {grains} reads");
    }

    [Fact]
    public async Task Acknowledged_write_is_readable_from_a_new_storage_instance()
    {
        var grain = NewGrain();
        var state = new GrainState<CounterState>(new CounterState { Count = 7, Note = "durable" });
        await using (var writer = NewStorage())
        {
            await writer.WriteStateAsync(StateName, grain, state);
        }

        await using var reader = NewStorage();
        var read = new GrainState<CounterState>(new CounterState());
        await reader.ReadStateAsync(StateName, grain, read);
        Assert.Equal(state.State, read.State);
        Assert.Equal(state.ETag, read.ETag);
    }

    [Fact]
    public async Task Clear_deletes_with_version_check()
    {
        await using var storage = NewStorage();
        var grain = NewGrain();
        var state = new GrainState<CounterState>(new CounterState { Count = 3 });
        await storage.WriteStateAsync(StateName, grain, state);

        var stale = new GrainState<CounterState>(new CounterState(), "7");
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync(StateName, grain, stale));

        await storage.ClearStateAsync(StateName, grain, state);
        Assert.Null(state.ETag);
        Assert.False(state.RecordExists);

        var read = new GrainState<CounterState>(new CounterState { Count = 42 });
        await storage.ReadStateAsync(StateName, grain, read);
        Assert.False(read.RecordExists);
        Assert.Equal(0, read.State!.Count);

        await storage.WriteStateAsync(StateName, grain, state);
        Assert.Equal("1", state.ETag);
    }

    [Fact]
    public async Task Stored_entries_round_trip_and_a_write_rewrites_only_the_entries_that_changed()
    {
        await using var storage = NewStorage();
        var grain = NewGrain("ledger");
        var state = new GrainState<LedgerState>(new LedgerState { Total = 6 });
        state.State!.Lines["a"] = new LedgerLine(1);
        state.State!.Lines["b"] = new LedgerLine(2);
        state.State!.Lines["c"] = new LedgerLine(3);
        await storage.WriteStateAsync("ledger", grain, state);
        var untouchedBefore = await EntryRowVersionAsync(grain, "a");

        state.State!.Lines["b"] = new LedgerLine(20);
        state.State!.Lines.Remove("c");
        state.State!.Lines["d"] = new LedgerLine(4);
        state.State!.Total = 25;
        await storage.WriteStateAsync("ledger", grain, state);

        await using var reader = NewStorage();
        var read = new GrainState<LedgerState>(new LedgerState());
        await reader.ReadStateAsync("ledger", grain, read);
        Assert.Equal(25, read.State!.Total);
        Assert.Equal(new Dictionary<string, int> { ["a"] = 1, ["b"] = 20, ["d"] = 4 }, read.State.Snapshot());
        Assert.Equal(untouchedBefore, await EntryRowVersionAsync(grain, "a"));
    }

    [Fact]
    public async Task A_write_that_fails_its_version_check_changes_no_entry_and_clear_removes_them()
    {
        await using var storage = NewStorage();
        var grain = NewGrain("ledger");
        var first = new GrainState<LedgerState>(new LedgerState());
        first.State!.Lines["kept"] = new LedgerLine(1);
        await storage.WriteStateAsync("ledger", grain, first);
        var stale = new GrainState<LedgerState>(new LedgerState()) { ETag = first.ETag };
        first.State!.Lines["kept"] = new LedgerLine(2);
        await storage.WriteStateAsync("ledger", grain, first);

        stale.State!.Lines["kept"] = new LedgerLine(99);
        stale.State!.Lines["stale"] = new LedgerLine(99);
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("ledger", grain, stale));
        var read = new GrainState<LedgerState>(new LedgerState());
        await storage.ReadStateAsync("ledger", grain, read);
        Assert.Equal(new Dictionary<string, int> { ["kept"] = 2 }, read.State!.Snapshot());

        await storage.ClearStateAsync("ledger", grain, read);
        var recreated = new GrainState<LedgerState>(new LedgerState());
        await storage.WriteStateAsync("ledger", grain, recreated);
        var afterClear = new GrainState<LedgerState>(new LedgerState());
        await storage.ReadStateAsync("ledger", grain, afterClear);
        Assert.Empty(afterClear.State!.Snapshot());
    }

    [Fact]
    public async Task A_grain_s_entries_are_looked_up_by_key_even_when_one_grain_holds_most_of_the_table()
    {
        // The item catalog's shape: one grain with thousands of entries, next to grains with a few.
        await using var storage = NewStorage();
        var catalog = new GrainState<LedgerState>(new LedgerState());
        for (var i = 0; i < 20_000; i++)
        {
            catalog.State!.Lines[$"sku-{i}"] = new LedgerLine(i);
        }

        await storage.WriteStateAsync("ledger", NewGrain("catalog"), catalog);
        var grain = NewGrain("ledger");
        var small = new GrainState<LedgerState>(new LedgerState());
        small.State!.Lines["a"] = new LedgerLine(1);
        await storage.WriteStateAsync("ledger", grain, small);
        await database.ExecuteAsync("ANALYZE grain_state_entry");

        var plan = await database.ScalarAsync<string>(
            "EXPLAIN (FORMAT JSON) " + BatchedGrainStorage.ReadEntriesSql,
            ("service", "default"),
            ("types", new[] { GrainStateKeys.GrainType("ledger", grain) }),
            ("ids", new[] { GrainStateKeys.GrainIdText(grain) }));
        var read = new GrainState<LedgerState>(new LedgerState());
        await storage.ReadStateAsync("ledger", grain, read);

        output.WriteLine(plan);
        Assert.Contains("grain_state_entry_pkey", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("Seq Scan", plan, StringComparison.Ordinal);
        Assert.Equal(new Dictionary<string, int> { ["a"] = 1 }, read.State!.Snapshot());
    }

    /// <summary>The row's transaction id: it changes whenever the row is rewritten.</summary>
    private async Task<string?> EntryRowVersionAsync(GrainId grain, string key)
    {
        await using var connection = new Npgsql.NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            "SELECT xmin::text FROM grain_state_entry WHERE grain_id = @id AND entry_key = @key", connection);
        command.Parameters.AddWithValue("id", grain.ToString());
        command.Parameters.AddWithValue("key", key);
        return (string?)await command.ExecuteScalarAsync();
    }

    [Fact]
    public async Task Wake_queue_returns_due_grains_earliest_first()
    {
        await using var storage = NewStorage();
        var now = DateTimeOffset.UtcNow;
        // Far in the past so grains written by other tests of this class (no wake time) never interfere.
        var baseTime = now.AddYears(-10);
        var early = NewGrain("wake");
        var late = NewGrain("wake");
        var future = NewGrain("wake");
        var never = NewGrain("wake");
        await storage.WriteStateAsync(StateName, late, new GrainState<CounterState>(new CounterState { WakeAt = baseTime.AddMinutes(2) }));
        await storage.WriteStateAsync(StateName, early, new GrainState<CounterState>(new CounterState { WakeAt = baseTime.AddMinutes(1) }));
        await storage.WriteStateAsync(StateName, future, new GrainState<CounterState>(new CounterState { WakeAt = now.AddHours(1) }));
        await storage.WriteStateAsync(StateName, never, new GrainState<CounterState>(new CounterState()));

        var due = await storage.GetDueAsync(baseTime.AddMinutes(5), 100);
        Assert.Equal(new[] { early, late }, due);

        var limited = await storage.GetDueAsync(baseTime.AddMinutes(5), 1);
        Assert.Equal(new[] { early }, limited);

        // Writing the state without a wake time takes the grain off the queue.
        var cleared = new GrainState<CounterState>(new CounterState(), "1");
        await storage.WriteStateAsync(StateName, early, cleared);
        Assert.Equal(new[] { late }, await storage.GetDueAsync(baseTime.AddMinutes(5), 100));

        Assert.Contains(future, await storage.GetDueAsync(now.AddHours(2), 10_000));
    }

    [Fact]
    public async Task A_hold_serves_activations_from_bulk_reads_and_never_a_row_older_than_a_write()
    {
        // A service of its own: the hold takes every "ledger" state of the service.
        var service = $"hold-{Guid.NewGuid():N}";
        await using var writer = NewStorage(serviceId: service);
        var grains = Enumerable.Range(0, 5).Select(i => NewGrain($"ledger{i}")).ToList();
        foreach (var (grain, i) in grains.Select((g, i) => (g, i)))
        {
            var state = new GrainState<LedgerState>(new LedgerState { Total = i });
            state.State!.Lines["a"] = new LedgerLine(i);
            state.State!.Lines["b"] = new LedgerLine(10 * i);
            await writer.WriteStateAsync("ledger", grain, state);
        }

        await writer.WriteStateAsync(StateName, NewGrain(), new GrainState<CounterState>(new CounterState { Count = 1 }));

        await using var silo = NewStorage(serviceId: service);
        var reported = new List<int>();
        // Two rows per query: three queries for five grains.
        using var hold = await silo.HoldAsync(GrainType.Create("counter"), "ledger", chunkSize: 2, new SynchronousProgress(reported.Add));
        Assert.Equal(grains.ToHashSet(), hold.Grains.ToHashSet());
        Assert.Equal([2, 4, 5], reported);

        // Written after the hold read it: the held row is dropped, the write's version is read.
        await silo.WriteStateAsync("ledger", grains[4], new GrainState<LedgerState>(new LedgerState { Total = 44 }) { ETag = "1" });

        foreach (var (grain, i) in grains.Take(3).Select((g, i) => (g, i)))
        {
            var read = new GrainState<LedgerState>(new LedgerState());
            await silo.ReadStateAsync("ledger", grain, read);
            Assert.Equal(i, read.State!.Total);
            Assert.Equal(new Dictionary<string, int> { ["a"] = i, ["b"] = 10 * i }, read.State.Snapshot());
            Assert.Equal("1", read.ETag);
        }

        Assert.Equal(0, silo.ReadBatches);
        // Taken by a read or replaced by a write: no longer held; the grain nobody touched still is.
        Assert.Equal([false, false, false, true, false], grains.Select(hold.IsHeld));
        var afterWrite = new GrainState<LedgerState>(new LedgerState());
        await silo.ReadStateAsync("ledger", grains[4], afterWrite);
        Assert.Equal(44, afterWrite.State!.Total);
        Assert.Equal(new Dictionary<string, int> { ["a"] = 4, ["b"] = 40 }, afterWrite.State.Snapshot());
        Assert.Equal("2", afterWrite.ETag);
        Assert.Equal(1, silo.ReadBatches);

        // Once released, a grain the hold had and nobody took is read from the database.
        hold.Dispose();
        Assert.False(hold.IsHeld(grains[3]));
        var released = new GrainState<LedgerState>(new LedgerState());
        await silo.ReadStateAsync("ledger", grains[3], released);
        Assert.Equal(3, released.State!.Total);
        Assert.Equal(2, silo.ReadBatches);
    }

    /// <summary>Reports on the caller's thread (<see cref="Progress{T}"/> would post them to the pool).</summary>
    private sealed class SynchronousProgress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }

    [Fact]
    public async Task Database_error_fails_the_batch_and_the_loop_continues()
    {
        var (name, connectionString) = await TestPostgres.CreateDatabaseAsync("dist_test_noschema");
        try
        {
            await using var storage = new BatchedGrainStorage(
                "noschema",
                new BatchedGrainStorageOptions { ConnectionString = connectionString },
                TestSerialization.Serializer,
                TestSerialization.Activators);
            var grain = NewGrain();
            var state = new GrainState<CounterState>(new CounterState { Count = 1 });

            var error = await Assert.ThrowsAsync<OrleansException>(() => storage.WriteStateAsync(StateName, grain, state));
            Assert.Contains("grain_state", error.Message, StringComparison.Ordinal);
            Assert.Null(state.ETag);
            Assert.Equal(1, storage.FailedBatches);

            await PostgresSchema.ApplyAsync(connectionString);
            await storage.WriteStateAsync(StateName, grain, state);
            Assert.Equal("1", state.ETag);
        }
        finally
        {
            await TestPostgres.DropDatabaseAsync(name);
        }
    }
}
