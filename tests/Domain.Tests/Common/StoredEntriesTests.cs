using Distribution.Common;
using Distribution.Inventory;

namespace Distribution.Tests.Common;

public sealed class StoredEntriesTests
{
    private static Reservation Held(string orderId, int quantity) =>
        new() { OrderId = orderId, LineId = "1", Quantity = quantity, ExpiresAt = DateTimeOffset.UnixEpoch };

    [Fact]
    public void Changes_are_taken_once_each_with_removals_as_null()
    {
        var entries = new StoredEntries<Reservation>();
        entries["a"] = Held("a", 1);
        entries["b"] = Held("b", 2);
        entries["a"] = Held("a", 3);
        entries.Remove("b");

        var changes = entries.TakeChanges().ToDictionary(c => c.Key, c => (c.Value as Reservation)?.Quantity);

        Assert.Equal(new Dictionary<string, int?> { ["a"] = 3, ["b"] = null }, changes);
        Assert.Empty(entries.TakeChanges());
        Assert.False(entries.Remove("missing"));
        Assert.Empty(entries.TakeChanges());
    }

    [Fact]
    public void Loading_replaces_the_entries_and_marks_nothing_changed()
    {
        var entries = new StoredEntries<Reservation>();
        entries["old"] = Held("old", 1);

        entries.Load([new("x", Held("x", 5))]);

        Assert.Equal(["x"], entries.Pairs.Select(p => p.Key));
        Assert.Empty(entries.TakeChanges());
    }

    [Fact]
    public void A_state_stored_with_inline_reservations_moves_them_to_entries_to_be_written()
    {
        var state = new SkuLocationState { InlineReservations = new() { ["o|1"] = Held("o", 4) } };
        IHasStoredEntries stored = state;

        stored.LoadEntries([]);

        Assert.Null(state.InlineReservations);
        Assert.Equal(4, state.Reserved);
        Assert.Equal(["o|1"], stored.TakeChangedEntries().Select(c => c.Key));
    }
}
