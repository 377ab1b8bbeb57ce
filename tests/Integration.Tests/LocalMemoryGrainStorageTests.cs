using Distribution.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Runtime;
using Orleans.Storage;
using Orleans.TestingHost;

namespace Distribution.Tests;

/// <summary>The in-process storage (no PostgreSQL needed).</summary>
public sealed class LocalMemoryGrainStorageTests
{
    private static LocalMemoryGrainStorage NewStorage(string serviceId, string name = "store") =>
        new(name, serviceId, new LocalMemoryGrainStorageOptions { WakeAtSelector = s => (s as CounterState)?.WakeAt },
            TestSerialization.Serializer, TestSerialization.Activators);

    [Fact]
    public async Task A_read_copies_the_body_and_carries_the_stored_entries()
    {
        var storage = NewStorage($"svc-{Guid.NewGuid():N}");
        var grain = GrainId.Create("ledger", "one");
        var written = new GrainState<LedgerState>(new LedgerState { Total = 3 });
        written.State!.Lines["a"] = new LedgerLine(1);
        written.State!.Lines["b"] = new LedgerLine(2);
        await storage.WriteStateAsync("s", grain, written);

        var read = new GrainState<LedgerState>(new LedgerState());
        await storage.ReadStateAsync("s", grain, read);

        Assert.NotSame(written.State, read.State);
        Assert.Equal(3, read.State!.Total);
        Assert.Equal(new Dictionary<string, int> { ["a"] = 1, ["b"] = 2 }, read.State.Snapshot());
        read.State.Lines.Remove("a");
        Assert.Equal(2, written.State!.Lines.Count);
    }

    [Fact]
    public async Task A_state_kept_as_bytes_reads_back_as_written_whatever_its_object_does_afterwards()
    {
        var storage = NewStorage($"svc-{Guid.NewGuid():N}");
        var grain = GrainId.Create("order", "one");
        var written = new GrainState<PlacedState>(new PlacedState { Lines = ["1: W1 4"] });
        await storage.WriteStateAsync("s", grain, written);

        // Kept serialized: what the object does after the write is stored only by the next write.
        written.State!.Lines.Add("2: W2 3");
        var read = new GrainState<PlacedState>(new PlacedState());
        await storage.ReadStateAsync("s", grain, read);
        Assert.Equal(["1: W1 4"], read.State!.Lines);
        Assert.Equal("1", read.ETag);

        await storage.WriteStateAsync("s", grain, written);
        await storage.ReadStateAsync("s", grain, read);
        Assert.Equal(["1: W1 4", "2: W2 3"], read.State!.Lines);
        Assert.NotSame(written.State, read.State);
        await Assert.ThrowsAsync<InconsistentStateException>(
            () => storage.WriteStateAsync("s", grain, new GrainState<PlacedState>(new PlacedState(), "1")));
    }

    [Fact]
    public async Task Silos_of_one_service_share_the_store_and_others_do_not()
    {
        var service = $"svc-{Guid.NewGuid():N}";
        var siloA = NewStorage(service);
        var siloB = NewStorage(service);
        var otherService = NewStorage($"svc-{Guid.NewGuid():N}");
        var otherName = NewStorage(service, "other");
        var grain = GrainId.Create("counter", "shared");

        var written = new GrainState<CounterState>(new CounterState { Count = 5 });
        await siloA.WriteStateAsync("s", grain, written);

        var read = new GrainState<CounterState>(new CounterState());
        await siloB.ReadStateAsync("s", grain, read);
        Assert.Equal(5, read.State!.Count);
        Assert.Equal("1", read.ETag);
        Assert.NotSame(written.State, read.State);

        var elsewhere = new GrainState<CounterState>(new CounterState());
        await otherService.ReadStateAsync("s", grain, elsewhere);
        Assert.False(elsewhere.RecordExists);
        await otherName.ReadStateAsync("s", grain, elsewhere);
        Assert.False(elsewhere.RecordExists);
        LocalMemoryGrainStorage.Reset(service);
    }

    [Fact]
    public async Task Versions_conflicts_clear_and_wake_queue()
    {
        var storage = NewStorage($"svc-{Guid.NewGuid():N}");
        var grain = GrainId.Create("counter", "one");
        var first = new GrainState<CounterState>(new CounterState { Count = 1, WakeAt = DateTimeOffset.UnixEpoch });
        await storage.WriteStateAsync("s", grain, first);
        var stale = new GrainState<CounterState>(new CounterState { Count = 2 });
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("s", grain, stale));
        Assert.Equal(new[] { grain }, await storage.GetDueAsync(DateTimeOffset.UtcNow, 10));

        first.State = first.State! with { Count = 3, WakeAt = null };
        await storage.WriteStateAsync("s", grain, first);
        Assert.Equal("2", first.ETag);
        Assert.Empty(await storage.GetDueAsync(DateTimeOffset.UtcNow, 10));

        await Assert.ThrowsAsync<InconsistentStateException>(
            () => storage.ClearStateAsync("s", grain, new GrainState<CounterState>(new CounterState(), "1")));
        await storage.ClearStateAsync("s", grain, first);
        Assert.Null(first.ETag);
        Assert.Equal(0, storage.Count);
    }

    [Fact]
    public async Task Due_grains_are_those_whose_last_write_wakes_them_by_now_earliest_first()
    {
        var storage = NewStorage($"svc-{Guid.NewGuid():N}");
        var now = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        async Task<GrainState<CounterState>> Write(string id, DateTimeOffset? wakeAt, GrainState<CounterState>? previous = null)
        {
            var state = previous ?? new GrainState<CounterState>(new CounterState());
            state.State = state.State! with { WakeAt = wakeAt };
            await storage.WriteStateAsync("s", GrainId.Create("counter", id), state);
            return state;
        }

        for (var i = 0; i < 1_000; i++)
        {
            await Write($"idle-{i}", null);
        }

        await Write("late", now.AddMinutes(-1));
        await Write("early", now.AddMinutes(-30));
        await Write("future", now.AddMinutes(5));
        var settled = await Write("settled", now.AddMinutes(-10));
        await Write("settled", null, settled);
        var woken = await Write("woken-later", null);
        await Write("woken-later", now.AddMinutes(-20), woken);
        var cleared = await Write("cleared", now.AddMinutes(-5));
        await storage.ClearStateAsync("s", GrainId.Create("counter", "cleared"), cleared);

        Assert.Equal(
            ["early", "woken-later", "late"],
            (await storage.GetDueAsync(now, 10)).Select(g => g.Key.ToString()));
        Assert.Equal(["early"], (await storage.GetDueAsync(now, 1)).Select(g => g.Key.ToString()));
    }

    [Fact]
    public async Task Two_silo_test_cluster_shares_one_store()
    {
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((_, silo) => silo.AddLocalMemoryGrainStorage("store"));
        await using var cluster = builder.Build();
        await cluster.DeployAsync();

        var probe = cluster.Client.GetGrain<IProbeGrain>("memory-1");
        Assert.Equal(1, await probe.IncrementAsync());
        Assert.Equal(2, await probe.IncrementAsync());

        var storages = cluster.Silos
            .Select(s => s.ServiceProvider.GetRequiredKeyedService<IGrainStorage>("store"))
            .ToArray();
        Assert.Equal(2, storages.Length);
        Assert.NotSame(storages[0], storages[1]);
        foreach (var storage in storages)
        {
            var read = new GrainState<CounterState>(new CounterState());
            await storage.ReadStateAsync("probe", probe.GetGrainId(), read);
            Assert.Equal(2, read.State!.Count);
        }

        // A new activation (on either silo) reads the shared store.
        await cluster.DeactivateAsync(probe);
        Assert.Equal(3, await probe.IncrementAsync());
        LocalMemoryGrainStorage.Reset(cluster.Options.ServiceId);
    }
}
