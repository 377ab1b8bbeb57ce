using Distribution.Events;

namespace Distribution.Inventory.Tests;

public sealed class StockEventRulesTests
{
    private static readonly DateTimeOffset At = new(2025, 3, 3, 9, 0, 0, TimeSpan.Zero);

    private static WarehouseEvent Event(WarehouseEventType type, int quantity, string? reasonCode = null) => new()
    {
        EventId = "E-1",
        WarehouseId = "W-1",
        Type = type,
        Sku = "SKU-A",
        Quantity = quantity,
        ReasonCode = reasonCode,
        OrderId = type is WarehouseEventType.Picked or WarehouseEventType.Shipped ? "ORD-1" : null,
        LineId = type is WarehouseEventType.Picked or WarehouseEventType.Shipped ? "L-1" : null,
        TransferId = type is WarehouseEventType.TransferShipped or WarehouseEventType.TransferReceived ? "TR-1" : null,
        PurchaseOrderId = type is WarehouseEventType.PurchaseReceived ? "PO-1" : null,
        OccurredAt = At,
    };

    private static StockDecision Decide(WarehouseEvent e, int onHand, LineTotals line = default, int lineReservation = 0) =>
        StockEventRules.Decide(e, onHand, line, lineReservation);

    // ---- LineTotals ----

    [Theory]
    [InlineData(0, 0, 0)]
    [InlineData(3, 0, 3)]
    [InlineData(0, 4, 4)]
    [InlineData(5, 2, 5)]
    [InlineData(2, 5, 5)]
    public void Line_consumed_is_the_larger_of_picked_and_shipped(int picked, int shipped, int consumed) =>
        Assert.Equal(consumed, new LineTotals(picked, shipped).Consumed);

    // ---- Received / Adjusted ----

    [Fact]
    public void Received_adds_its_quantity()
    {
        var d = Decide(Event(WarehouseEventType.Received, 7), onHand: 3);

        Assert.True(d.Apply);
        Assert.Null(d.Reason);
        Assert.Equal(7, d.OnHandDelta);
        Assert.Equal(0, d.ReservationConsumed);
        Assert.Null(d.Line);
        Assert.False(d.Negative);
        Assert.False(d.WouldGoNegative);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(-2)]
    [InlineData(-10)]
    public void Adjusted_adds_its_signed_quantity(int quantity)
    {
        var d = Decide(Event(WarehouseEventType.Adjusted, quantity, reasonCode: "DAMAGE"), onHand: 10);

        Assert.True(d.Apply);
        Assert.Equal(quantity, d.OnHandDelta);
        Assert.False(d.Negative);
        Assert.Null(d.Line);
        Assert.Equal(0, d.ReservationConsumed);
    }

    [Fact]
    public void Adjustment_below_zero_without_reason_code_is_refused_as_negative()
    {
        var d = Decide(Event(WarehouseEventType.Adjusted, -4), onHand: 3);

        Assert.False(d.Apply);
        Assert.True(d.WouldGoNegative);
        Assert.False(d.Negative);
        Assert.Equal(0, d.OnHandDelta);
        Assert.NotNull(d.Reason);
        Assert.Contains("SKU-A", d.Reason, StringComparison.Ordinal);
        Assert.Contains("W-1", d.Reason, StringComparison.Ordinal);
        Assert.Contains("from 3 to -1", d.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Blank_reason_code_does_not_allow_negative_stock(string? reasonCode)
    {
        var d = Decide(Event(WarehouseEventType.Adjusted, -1, reasonCode), onHand: 0);

        Assert.False(d.Apply);
        Assert.True(d.WouldGoNegative);
    }

    [Fact]
    public void Adjustment_below_zero_with_reason_code_applies_and_is_marked_negative()
    {
        var d = Decide(Event(WarehouseEventType.Adjusted, -4, reasonCode: "LOST"), onHand: 3);

        Assert.True(d.Apply);
        Assert.True(d.Negative);
        Assert.False(d.WouldGoNegative);
        Assert.Null(d.Reason);
        Assert.Equal(-4, d.OnHandDelta);
    }

    [Fact]
    public void Adjustment_to_exactly_zero_is_not_negative()
    {
        var d = Decide(Event(WarehouseEventType.Adjusted, -3), onHand: 3);

        Assert.True(d.Apply);
        Assert.False(d.Negative);
        Assert.Equal(-3, d.OnHandDelta);
    }

    [Fact]
    public void Receipt_into_negative_stock_is_applied_because_it_moves_on_hand_towards_zero()
    {
        // On-hand is already -5 (an earlier deliberate adjustment): +2 leaves it at -3, no reason needed.
        var applied = Decide(Event(WarehouseEventType.Received, 2), onHand: -5);
        Assert.True(applied.Apply);
        Assert.False(applied.Negative);
        Assert.Equal(2, applied.OnHandDelta);

        // Lowering it further still needs a reason code.
        var refused = Decide(Event(WarehouseEventType.Adjusted, -1, reasonCode: null), onHand: -5);
        Assert.False(refused.Apply);
        Assert.True(refused.WouldGoNegative);
    }

    // ---- Counted ----

    [Theory]
    [InlineData(10, 7, -3)]
    [InlineData(10, 12, 2)]
    [InlineData(10, 10, 0)]
    [InlineData(4, 0, -4)]
    [InlineData(-3, 5, 8)]
    public void Count_sets_the_absolute_on_hand(int onHand, int counted, int delta)
    {
        var d = Decide(Event(WarehouseEventType.Counted, counted), onHand);

        Assert.True(d.Apply);
        Assert.Equal(delta, d.OnHandDelta);
        Assert.Equal(counted, onHand + d.OnHandDelta);
        Assert.False(d.Negative);
        Assert.Equal(0, d.ReservationConsumed);
        Assert.Null(d.Line);
    }

    // ---- Picked / Shipped ----

    [Fact]
    public void Pick_consumes_from_the_line_reservation()
    {
        var d = Decide(Event(WarehouseEventType.Picked, 3), onHand: 10, line: default, lineReservation: 5);

        Assert.True(d.Apply);
        Assert.Equal(-3, d.OnHandDelta);
        Assert.Equal(3, d.ReservationConsumed);
        Assert.Equal(new LineTotals(3, 0), d.Line);
    }

    [Fact]
    public void Shipment_consumes_from_the_line_reservation()
    {
        var d = Decide(Event(WarehouseEventType.Shipped, 2), onHand: 10, line: default, lineReservation: 5);

        Assert.True(d.Apply);
        Assert.Equal(-2, d.OnHandDelta);
        Assert.Equal(2, d.ReservationConsumed);
        Assert.Equal(new LineTotals(0, 2), d.Line);
    }

    [Fact]
    public void Shipping_what_was_already_picked_consumes_nothing_more()
    {
        var d = Decide(Event(WarehouseEventType.Shipped, 3), onHand: 7, line: new LineTotals(3, 0), lineReservation: 0);

        Assert.True(d.Apply);
        Assert.Equal(0, d.OnHandDelta);
        Assert.Equal(0, d.ReservationConsumed);
        Assert.Equal(new LineTotals(3, 3), d.Line);
    }

    [Fact]
    public void Shipping_more_than_was_picked_consumes_only_the_difference()
    {
        var d = Decide(Event(WarehouseEventType.Shipped, 5), onHand: 7, line: new LineTotals(3, 0), lineReservation: 2);

        Assert.True(d.Apply);
        Assert.Equal(-2, d.OnHandDelta);
        Assert.Equal(2, d.ReservationConsumed);
        Assert.Equal(new LineTotals(3, 5), d.Line);
    }

    [Fact]
    public void Picking_what_was_already_shipped_consumes_nothing_more()
    {
        var d = Decide(Event(WarehouseEventType.Picked, 2), onHand: 7, line: new LineTotals(0, 4), lineReservation: 0);

        Assert.True(d.Apply);
        Assert.Equal(0, d.ReservationConsumed);
        Assert.Equal(0, d.OnHandDelta);
        Assert.Equal(new LineTotals(2, 4), d.Line);
    }

    [Theory]
    [InlineData(WarehouseEventType.Picked, "picks")]
    [InlineData(WarehouseEventType.Shipped, "ships")]
    public void Consuming_more_than_the_line_reservation_is_refused(WarehouseEventType type, string verb)
    {
        var d = Decide(Event(type, 4), onHand: 100, line: default, lineReservation: 3);

        Assert.False(d.Apply);
        Assert.False(d.WouldGoNegative);
        Assert.Equal(0, d.OnHandDelta);
        Assert.Equal(0, d.ReservationConsumed);
        Assert.Null(d.Line);
        Assert.NotNull(d.Reason);
        Assert.Contains(verb, d.Reason, StringComparison.Ordinal);
        Assert.Contains("'ORD-1'", d.Reason, StringComparison.Ordinal);
        Assert.Contains("'L-1'", d.Reason, StringComparison.Ordinal);
        Assert.Contains("only 3 unit(s) are reserved", d.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Consuming_exactly_the_line_reservation_is_allowed()
    {
        var d = Decide(Event(WarehouseEventType.Picked, 3), onHand: 3, line: default, lineReservation: 3);

        Assert.True(d.Apply);
        Assert.Equal(3, d.ReservationConsumed);
        Assert.False(d.Negative);
    }

    [Fact]
    public void Reason_code_does_not_allow_consuming_beyond_the_reservation()
    {
        var d = Decide(Event(WarehouseEventType.Picked, 4, reasonCode: "RUSH"), onHand: 100, line: default, lineReservation: 3);

        Assert.False(d.Apply);
        Assert.NotNull(d.Reason);
    }

    [Fact]
    public void Pick_below_zero_on_hand_without_reason_code_is_refused_as_negative()
    {
        var d = Decide(Event(WarehouseEventType.Picked, 3), onHand: 2, line: default, lineReservation: 5);

        Assert.False(d.Apply);
        Assert.True(d.WouldGoNegative);
        Assert.Null(d.Line);
        Assert.Equal(0, d.ReservationConsumed);
        Assert.Contains("from 2 to -1", d.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Shipment_below_zero_on_hand_with_reason_code_applies_and_is_marked_negative()
    {
        var d = Decide(Event(WarehouseEventType.Shipped, 3, reasonCode: "SHORT"), onHand: 2, line: default, lineReservation: 5);

        Assert.True(d.Apply);
        Assert.True(d.Negative);
        Assert.Equal(-3, d.OnHandDelta);
        Assert.Equal(3, d.ReservationConsumed);
        Assert.Equal(new LineTotals(0, 3), d.Line);
    }

    // ---- Transfers and purchase orders ----

    [Fact]
    public void Transfer_shipment_consumes_the_transfers_reservation_and_takes_on_hand()
    {
        var d = Decide(Event(WarehouseEventType.TransferShipped, 4), onHand: 10, lineReservation: 6);

        Assert.True(d.Apply);
        Assert.Equal(-4, d.OnHandDelta);
        Assert.Equal(4, d.ReservationConsumed);
        Assert.Null(d.Line);
    }

    [Fact]
    public void Transfer_shipment_beyond_the_transfers_reservation_is_refused()
    {
        var d = Decide(Event(WarehouseEventType.TransferShipped, 7), onHand: 10, lineReservation: 6);

        Assert.False(d.Apply);
        Assert.Equal("ships 7 unit(s) of transfer 'TR-1' but only 6 unit(s) are reserved for it at 'W-1'", d.Reason);
        Assert.Equal(0, d.OnHandDelta);
    }

    [Fact]
    public void Transfer_receipt_adds_its_quantity()
    {
        var d = Decide(Event(WarehouseEventType.TransferReceived, 5), onHand: 2);

        Assert.True(d.Apply);
        Assert.Equal(5, d.OnHandDelta);
        Assert.Equal(0, d.ReservationConsumed);
    }

    [Fact]
    public void Purchase_receipts_add_on_hand_and_touch_no_reservation()
    {
        // Whether the purchase order exists and comes here is checked before (PurchaseOrderRules.RefuseReceipt).
        var d = Decide(Event(WarehouseEventType.PurchaseReceived, 5), onHand: -2, line: default, lineReservation: 10);

        Assert.True(d.Apply);
        Assert.Equal(5, d.OnHandDelta);
        Assert.Equal(0, d.ReservationConsumed);
        Assert.False(d.Negative);
    }

    // ---- Order independence of picks and shipments ----

    private sealed record Outcome(LineTotals Line, int TotalConsumed, int OnHand, int Reservation);

    /// <summary>Applies events in order the way a SKU-location does: refused events change nothing.</summary>
    private static Outcome Run(int onHand, int reservation, IEnumerable<WarehouseEvent> events)
    {
        var line = default(LineTotals);
        var consumed = 0;
        foreach (var e in events)
        {
            var d = StockEventRules.Decide(e, onHand, line, reservation);
            if (!d.Apply)
            {
                Assert.NotNull(d.Reason);
                continue;
            }

            Assert.True(d.ReservationConsumed >= 0);
            Assert.True(d.ReservationConsumed <= reservation);
            Assert.Equal(-d.ReservationConsumed, d.OnHandDelta);
            Assert.NotNull(d.Line);
            line = d.Line.Value;
            reservation -= d.ReservationConsumed;
            consumed += d.ReservationConsumed;
            onHand += d.OnHandDelta;
        }

        return new Outcome(line, consumed, onHand, reservation);
    }

    [Fact]
    public void Picked_then_shipped_ends_where_shipped_then_picked_does()
    {
        var cases = 0;
        foreach (var reasonCode in new[] { null, "SHORT" })
        {
            for (var picked = 1; picked <= 4; picked++)
            {
                for (var shipped = 1; shipped <= 4; shipped++)
                {
                    for (var reservation = 0; reservation <= 5; reservation++)
                    {
                        for (var onHand = -1; onHand <= 6; onHand++)
                        {
                            var pick = Event(WarehouseEventType.Picked, picked, reasonCode);
                            var ship = Event(WarehouseEventType.Shipped, shipped, reasonCode);

                            var pickFirst = Run(onHand, reservation, [pick, ship]);
                            var shipFirst = Run(onHand, reservation, [ship, pick]);

                            var label = $"pick {picked}, ship {shipped}, reserved {reservation}, on-hand {onHand}, reason {reasonCode ?? "none"}";
                            Assert.True(pickFirst == shipFirst, $"{label}: {pickFirst} vs {shipFirst}");
                            Assert.True(pickFirst.TotalConsumed <= reservation, $"{label}: consumed {pickFirst.TotalConsumed}");
                            Assert.Equal(pickFirst.Line.Consumed, pickFirst.TotalConsumed);
                            Assert.Equal(onHand - pickFirst.TotalConsumed, pickFirst.OnHand);
                            cases++;
                        }
                    }
                }
            }
        }

        Assert.Equal(2 * 4 * 4 * 6 * 8, cases);
    }

    [Fact]
    public void With_enough_stock_and_reservation_both_orders_consume_max_of_picked_and_shipped()
    {
        for (var picked = 1; picked <= 4; picked++)
        {
            for (var shipped = 1; shipped <= 4; shipped++)
            {
                var pick = Event(WarehouseEventType.Picked, picked);
                var ship = Event(WarehouseEventType.Shipped, shipped);

                var pickFirst = Run(onHand: 10, reservation: 4, [pick, ship]);
                var shipFirst = Run(onHand: 10, reservation: 4, [ship, pick]);

                var expected = new Outcome(new LineTotals(picked, shipped), Math.Max(picked, shipped), 10 - Math.Max(picked, shipped), 4 - Math.Max(picked, shipped));
                Assert.Equal(expected, pickFirst);
                Assert.Equal(expected, shipFirst);
            }
        }
    }

    [Fact]
    public void Every_order_of_several_picks_and_shipments_ends_with_the_same_totals()
    {
        // Two picks and two shipments of one line, in all 24 orders, with stock and reservation for all of them.
        for (var p1 = 1; p1 <= 3; p1++)
        {
            for (var p2 = 1; p2 <= 3; p2++)
            {
                for (var s1 = 1; s1 <= 3; s1++)
                {
                    for (var s2 = 1; s2 <= 3; s2++)
                    {
                        WarehouseEvent[] events =
                        [
                            Event(WarehouseEventType.Picked, p1),
                            Event(WarehouseEventType.Picked, p2),
                            Event(WarehouseEventType.Shipped, s1),
                            Event(WarehouseEventType.Shipped, s2),
                        ];
                        var consumed = Math.Max(p1 + p2, s1 + s2);
                        var expected = new Outcome(new LineTotals(p1 + p2, s1 + s2), consumed, 20 - consumed, 6 - consumed);
                        foreach (var order in Permutations(events.Length))
                        {
                            Assert.Equal(expected, Run(onHand: 20, reservation: 6, order.Select(i => events[i])));
                        }
                    }
                }
            }
        }
    }

    [Fact]
    public void Total_consumed_never_exceeds_the_initial_reservation()
    {
        var random = new Random(20250303);
        for (var run = 0; run < 2000; run++)
        {
            var reservation = random.Next(0, 6);
            var events = Enumerable.Range(0, random.Next(1, 7))
                .Select(_ => Event(random.Next(2) == 0 ? WarehouseEventType.Picked : WarehouseEventType.Shipped, random.Next(1, 5), random.Next(2) == 0 ? null : "SHORT"))
                .ToList();

            var outcome = Run(onHand: random.Next(-2, 8), reservation, events);

            Assert.InRange(outcome.TotalConsumed, 0, reservation);
            Assert.Equal(reservation - outcome.TotalConsumed, outcome.Reservation);
            Assert.Equal(outcome.Line.Consumed, outcome.TotalConsumed);
        }
    }

    private static IEnumerable<int[]> Permutations(int n)
    {
        if (n == 0)
        {
            yield return [];
            yield break;
        }

        foreach (var rest in Permutations(n - 1))
        {
            for (var i = 0; i <= rest.Length; i++)
            {
                var order = new int[n];
                rest.AsSpan(0, i).CopyTo(order);
                order[i] = n - 1;
                rest.AsSpan(i).CopyTo(order.AsSpan(i + 1));
                yield return order;
            }
        }
    }
}
