using Distribution.Events.Streaming;
using Microsoft.Extensions.Options;

namespace Distribution.Events.Tests;

/// <summary>
/// Ingest's admission against a real (in-memory) journal: pending events are journal entries after
/// the queue's checkpoint, drained by moving the checkpoint as the pulling agent does.
/// </summary>
public sealed class EventBacklogTests
{
    private const int Limit = 10;

    private readonly MemoryEventJournal _journal = MemoryEventJournal.For(Guid.NewGuid().ToString());
    private readonly EventStreams _streams = new(2);

    private EventBacklog Backlog(TimeSpan admissionWait, TimeSpan? refresh = null) => new(_journal, _streams, Options.Create(new EventStreamOptions
    {
        QueueCount = 2,
        MaxPendingPerQueue = Limit,
        BacklogRefreshInterval = refresh ?? TimeSpan.FromMilliseconds(10),
        AdmissionWait = admissionWait,
    }));

    /// <summary>Journals <paramref name="count"/> events on <paramref name="queue"/>; returns the last sequence.</summary>
    private async Task<long> Pending(int queue, int count) =>
        (await JournalTestEntries.Append(_journal, queue, [.. Enumerable.Repeat("W", count)]))[^1];

    private static int[] Batch(int queue, int events) => [.. Enumerable.Repeat(queue, events)];

    [Fact]
    public async Task A_batch_for_a_queue_under_its_limit_is_admitted_at_once()
    {
        await Pending(0, Limit - 1);
        Assert.True(await Backlog(TimeSpan.Zero).TryAdmitAsync(Batch(0, 5)));
    }

    [Fact]
    public async Task A_batch_for_a_full_queue_is_refused_when_no_room_comes_in_time_and_other_queues_go_on()
    {
        await Pending(0, Limit);
        var backlog = Backlog(TimeSpan.FromMilliseconds(100));

        Assert.False(await backlog.TryAdmitAsync(Batch(0, 1)));
        Assert.False(await backlog.TryAdmitAsync([1, 0]));
        Assert.True(await backlog.TryAdmitAsync(Batch(1, 1)));
    }

    [Fact]
    public async Task A_batch_waiting_for_a_full_queue_is_admitted_once_the_consumers_catch_up()
    {
        var through = await Pending(0, Limit);
        var backlog = Backlog(TimeSpan.FromSeconds(30));

        var waiting = backlog.TryAdmitAsync(Batch(0, 3)).AsTask();
        await Task.Delay(50);
        Assert.False(waiting.IsCompleted);

        // The pulling agent reports the backlog processed.
        await _journal.WriteCheckpointAsync(0, through);
        Assert.True(await waiting);
    }

    [Fact]
    public async Task Batches_admitted_since_the_last_count_use_up_the_room_so_a_burst_does_not_overshoot()
    {
        await Pending(0, 4);
        // One count for the whole test: the admitted batches are never journaled here.
        var backlog = Backlog(TimeSpan.Zero, refresh: TimeSpan.FromHours(1));

        // 4 pending and 5 admitted is 9, under the limit: one more batch gets in...
        Assert.True(await backlog.TryAdmitAsync(Batch(0, 5)));
        Assert.True(await backlog.TryAdmitAsync(Batch(0, 1)));
        // ...then 4 + 6 reach it, though the journal has not seen the admitted ones yet.
        Assert.False(await backlog.TryAdmitAsync(Batch(0, 1)));
    }

    [Fact]
    public async Task Without_a_limit_everything_is_admitted()
    {
        await Pending(0, 100);
        var backlog = new EventBacklog(_journal, _streams, Options.Create(new EventStreamOptions { QueueCount = 2, MaxPendingPerQueue = 0 }));
        Assert.True(await backlog.TryAdmitAsync(Batch(0, 1000)));
    }
}
