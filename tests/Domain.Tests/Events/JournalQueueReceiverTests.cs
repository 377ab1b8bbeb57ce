using Distribution.Events.Streaming;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Providers.Streams.Common;

namespace Distribution.Events.Tests;

public sealed class JournalQueueReceiverTests
{
    private const int Queue = 0;
    private const int Unlimited = -1;

    private static MemoryEventJournal NewJournal() => MemoryEventJournal.For(Guid.NewGuid().ToString());

    private static async Task<JournalQueueReceiver> StartReceiver(IEventJournal journal)
    {
        var receiver = new JournalQueueReceiver(Queue, journal, new EventStreamOptions(), NullLogger<JournalQueueReceiver>.Instance);
        await receiver.Initialize(TimeSpan.FromSeconds(10));
        return receiver;
    }

    private static Task<long[]> Append(IEventJournal journal, params string[] warehouses) =>
        JournalTestEntries.Append(journal, Queue, warehouses);

    private static async Task<List<JournalBatchContainer>> Read(JournalQueueReceiver receiver, int maxCount = Unlimited) =>
        [.. (await receiver.GetQueueMessagesAsync(maxCount, CancellationToken.None)).Cast<JournalBatchContainer>()];

    private static Task Deliver(JournalQueueReceiver receiver, params JournalBatchContainer[] containers) =>
        receiver.MessagesDeliveredAsync(containers, CancellationToken.None);

    private static long[] Sequences(JournalBatchContainer container) => [.. container.Batch.Events.Select(e => e.Sequence)];

    private static JournalBatchContainer Of(IEnumerable<JournalBatchContainer> containers, string warehouse) =>
        Assert.Single(containers, c => c.StreamId == EventStreams.StreamOf(warehouse));

    [Fact]
    public async Task A_read_hands_out_one_container_per_warehouse_in_journal_order_ordered_by_last_sequence()
    {
        var journal = NewJournal();
        // Three clients posting interleaved batches for their warehouses on one queue.
        string[] posted = ["A", "A", "B", "C", "A", "B", "B", "C", "A", "C", "B", "A"];
        var sequences = await Append(journal, posted);
        var receiver = await StartReceiver(journal);

        var containers = await Read(receiver);

        Assert.Equal(3, containers.Count);
        foreach (var warehouse in new[] { "A", "B", "C" })
        {
            var container = Of(containers, warehouse);
            var expected = sequences.Where((_, i) => posted[i] == warehouse).ToArray();
            Assert.Equal(expected, Sequences(container));
            Assert.All(container.Batch.Events, e => Assert.Equal(warehouse, e.Event.WarehouseId));
            Assert.Equal(expected[^1], ((EventSequenceTokenV2)container.SequenceToken).SequenceNumber);
        }

        // Token order is the order the queue cache keeps: C ends first, then B, then A.
        Assert.Equal(
            [EventStreams.StreamOf("C"), EventStreams.StreamOf("B"), EventStreams.StreamOf("A")],
            containers.Select(c => c.StreamId));
        Assert.Equal(sequences, containers.SelectMany(Sequences).Order());
        Assert.Empty(await Read(receiver));
    }

    [Fact]
    public async Task With_room_for_fewer_containers_than_warehouses_a_prefix_is_handed_out_and_the_next_read_goes_on_from_it()
    {
        var journal = NewJournal();
        string[] posted = ["A", "B", "A", "C", "B", "A", "C", "C", "B"];
        var sequences = await Append(journal, posted);
        var receiver = await StartReceiver(journal);

        Assert.Empty(await Read(receiver, maxCount: 0));
        var first = await Read(receiver, maxCount: 2);

        // A, B, A fit; C would be a third container, so the read stops before it.
        Assert.Equal([EventStreams.StreamOf("B"), EventStreams.StreamOf("A")], first.Select(c => c.StreamId));
        Assert.Equal([sequences[1]], Sequences(Of(first, "B")));
        Assert.Equal([sequences[0], sequences[2]], Sequences(Of(first, "A")));

        var handedOut = first.SelectMany(Sequences).ToList();
        while (await Read(receiver, maxCount: 2) is { Count: > 0 } next)
        {
            Assert.InRange(next.Count, 1, 2);
            Assert.Equal(next.Select(c => c.StreamId).Distinct().Count(), next.Count);
            // Each read continues exactly where the last one stopped, without a gap.
            var read = next.SelectMany(Sequences).Order().ToList();
            Assert.Equal(sequences.Where(s => s > handedOut.Max()).Take(read.Count), read);
            handedOut.AddRange(read);
        }

        Assert.Equal(sequences, handedOut.Order());
    }

    [Fact]
    public async Task A_delivered_container_does_not_move_the_checkpoint_past_an_undelivered_one_it_interleaves()
    {
        var journal = NewJournal();
        var s = await Append(journal, "C", "A", "B", "A", "B", "B");
        var receiver = await StartReceiver(journal);
        var containers = await Read(receiver);
        var (c, a, b) = (Of(containers, "C"), Of(containers, "A"), Of(containers, "B"));
        Assert.Equal([c, a, b], containers);

        await Deliver(receiver, c);
        Assert.Equal(s[0], await journal.ReadCheckpointAsync(Queue));

        // B ends last but began before A's second entry: A's entries are still to be processed.
        await Deliver(receiver, b);
        Assert.Equal(s[0], await journal.ReadCheckpointAsync(Queue));
        Assert.True(await journal.ReadCheckpointAsync(Queue) < a.FirstSequence);

        // A restart now hands A's entries out again (B's between them are recognised by sequence).
        var restarted = await Read(await StartReceiver(journal));
        Assert.Equal(Sequences(a), Sequences(Of(restarted, "A")));
        Assert.Equal(s.Skip(1), restarted.SelectMany(Sequences).Order());

        await Deliver(receiver, a);
        Assert.Equal(s[^1], await journal.ReadCheckpointAsync(Queue));
    }

    [Fact]
    public async Task Once_every_container_is_delivered_the_checkpoint_is_the_read_through_and_a_restart_reads_only_the_rest()
    {
        var journal = NewJournal();
        var s = await Append(journal, "A", "B", "A", "B", "B");
        var receiver = await StartReceiver(journal);
        var containers = await Read(receiver);
        var (a, b) = (Of(containers, "A"), Of(containers, "B"));

        await Deliver(receiver, b);
        Assert.True(await journal.ReadCheckpointAsync(Queue) < a.FirstSequence);

        await Deliver(receiver, a);
        Assert.Equal(s[^1], await journal.ReadCheckpointAsync(Queue));

        // Entries accepted after the read were never handed out: a restart reads exactly those.
        var later = await Append(journal, "B", "A");
        var restarted = await Read(await StartReceiver(journal));
        Assert.Equal(later, restarted.SelectMany(Sequences).Order());
    }

    [Fact]
    public async Task A_container_of_an_earlier_read_still_outstanding_holds_the_checkpoint_while_later_reads_are_delivered()
    {
        var journal = NewJournal();
        var s = await Append(journal, "A", "B");
        var receiver = await StartReceiver(journal);
        var firstRead = await Read(receiver);
        await Append(journal, "B", "C");
        var secondRead = await Read(receiver);

        await Deliver(receiver, Of(firstRead, "B"));
        await Deliver(receiver, [.. secondRead]);
        Assert.Equal(0, await journal.ReadCheckpointAsync(Queue));

        await Deliver(receiver, Of(firstRead, "A"));
        Assert.Equal(secondRead[^1].LastSequence, await journal.ReadCheckpointAsync(Queue));
        Assert.True(secondRead[^1].LastSequence > s[^1]);
    }
}
