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

    private static FinanceFeedState Appended(int capacity, int count)
    {
        var state = new FinanceFeedState();
        var ring = new FinanceFeedRing(state, capacity);
        for (var n = 1; n <= count; n++)
        {
            ring.Append(Movement(n));
            ring.Evict();
        }

        state.Entries.TakeChanges();
        return state;
    }

    private static IEnumerable<long> Sequences(FinanceFeedRing ring) => ring.Entries.Select(e => e.Sequence);

    [Fact]
    public void A_full_feed_keeps_the_newest_entries_in_order_and_an_append_overwrites_the_evicted_one()
    {
        var state = Appended(capacity: 5, count: 5);
        var ring = new FinanceFeedRing(state, 5);

        ring.Append(Movement(6));
        ring.Append(Movement(7));
        ring.Evict();

        Assert.Equal([3L, 4, 5, 6, 7], Sequences(ring));
        Assert.Equal(5, state.Entries.Count);
        // Two appends, two stored entries written, none deleted.
        var changes = state.Entries.TakeChanges();
        Assert.Equal(2, changes.Count);
        Assert.All(changes, c => Assert.NotNull(c.Value));
        Assert.Equal([3L, 4, 5, 6, 7], state.Entries.Values.Select(e => e.Sequence).Order());
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
        ring.Evict();

        Assert.Equal([2L, 3, 4], Sequences(ring));
        Assert.True(ring.Append(Movement(1)));
    }

    [Fact]
    public void Pages_follow_the_cursor()
    {
        var ring = new FinanceFeedRing(Appended(capacity: 4, count: 6), 4);

        var first = ring.Read(after: 0, limit: 3);
        Assert.Equal([3L, 4, 5], first.Items.Select(i => i.Sequence));
        Assert.Equal(5, first.Next);
        Assert.True(first.HasMore);

        var last = ring.Read(first.Next, 3);
        Assert.Equal([6L], last.Items.Select(i => i.Sequence));
        Assert.False(last.HasMore);
        Assert.Equal(6, ring.Read(6, 3).Next);
    }

    [Fact]
    public void A_feed_stored_one_key_per_sequence_is_moved_to_slots_and_cut_to_the_capacity()
    {
        var state = new FinanceFeedState { LastSequence = 6 };
        for (var n = 1; n <= 6; n++)
        {
            state.Entries[$"feed#{n:D19}"] = new FinanceFeedEntry { Sequence = n, Event = Movement(n) };
        }

        state.Entries.TakeChanges();
        var ring = new FinanceFeedRing(state, 4);

        Assert.Equal([3L, 4, 5, 6], Sequences(ring));
        Assert.Equal(4, state.Entries.Count);
        Assert.All(state.Entries.Pairs, p => Assert.Equal(ring.SlotKey(p.Value.Sequence), p.Key));
        // Every old key removed, every slot written.
        var changes = state.Entries.TakeChanges();
        Assert.Equal(6, changes.Count(c => c.Value is null));
        Assert.Equal(4, changes.Count(c => c.Value is not null));

        ring.Append(Movement(7));
        ring.Evict();
        Assert.Equal([4L, 5, 6, 7], Sequences(ring));
        Assert.Equal(4, state.Entries.Count);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(8)]
    public void Another_capacity_re_slots_what_is_kept_without_losing_a_newer_entry(int capacity)
    {
        var state = Appended(capacity: 5, count: 7);
        var ring = new FinanceFeedRing(state, capacity);
        var kept = Math.Min(capacity, 5);

        Assert.Equal(Enumerable.Range(8 - kept, kept).Select(n => (long)n), Sequences(ring));
        Assert.All(state.Entries.Pairs, p => Assert.Equal(ring.SlotKey(p.Value.Sequence), p.Key));
        for (var n = 8; n <= 12; n++)
        {
            ring.Append(Movement(n));
            ring.Evict();
        }

        Assert.Equal(Enumerable.Range(13 - capacity, capacity).Select(n => (long)n), Sequences(ring));
        Assert.Equal(capacity, state.Entries.Count);
        Assert.Equal(Sequences(ring), state.Entries.Values.Select(e => e.Sequence).Order());
    }
}
