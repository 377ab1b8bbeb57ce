using Distribution.Common;

namespace Distribution.Inventory.Tests;

/// <summary>
/// A SKU-location stores its reservations and its inbound as entries of one keyed collection; the
/// storage hands them back mixed, and each must land where it came from.
/// </summary>
public sealed class SkuLocationEntriesTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 24, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Reservations_and_inbound_are_stored_as_entries_and_loaded_back_each_into_its_own_collection()
    {
        var state = new SkuLocationState();
        state.Reservations["o-1|1"] = new Reservation { OrderId = "o-1", LineId = "1", Quantity = 2, ExpiresAt = At };
        state.Reservations["transfer#t-1"] = new Reservation { OrderId = "t-1", LineId = "A", Quantity = 3, ExpiresAt = At, Owner = ReservationOwner.Transfer };
        state.Inbound["inbound#transfer#t-2"] = new InboundEntry { SourceKind = InboundSourceKind.Transfer, SourceId = "t-2", Quantity = 5, Eta = At.AddDays(2) };
        var stored = (IHasStoredEntries)state;

        var changes = stored.TakeChangedEntries();
        var loaded = new SkuLocationState();
        ((IHasStoredEntries)loaded).LoadEntries(stored.StoredEntries.ToList());

        Assert.Equal(["inbound#transfer#t-2", "o-1|1", "transfer#t-1"], changes.Select(c => c.Key).Order(StringComparer.Ordinal));
        Assert.Empty(stored.TakeChangedEntries());
        Assert.Equal(5, loaded.Reserved);
        Assert.Equal(ReservationOwner.Transfer, loaded.Reservations["transfer#t-1"].Owner);
        Assert.Equal(5, Assert.Single(loaded.Inbound.Values).Quantity);
        Assert.Empty(((IHasStoredEntries)loaded).TakeChangedEntries());
    }

    [Fact]
    public void Order_is_the_default_owner_so_reservations_stored_before_owners_read_as_orders() =>
        Assert.Equal(ReservationOwner.Order, new Reservation { OrderId = "o-1", LineId = "1", Quantity = 1 }.Owner);

    [Fact]
    public void Removing_an_inbound_entry_is_a_change_with_no_value()
    {
        var state = new SkuLocationState();
        state.Inbound["inbound#transfer#t-1"] = new InboundEntry { SourceId = "t-1", Quantity = 1, Eta = At };
        ((IHasStoredEntries)state).TakeChangedEntries();

        state.Inbound.Remove("inbound#transfer#t-1");

        var change = Assert.Single(((IHasStoredEntries)state).TakeChangedEntries());
        Assert.Equal(("inbound#transfer#t-1", null), (change.Key, change.Value));
    }
}
