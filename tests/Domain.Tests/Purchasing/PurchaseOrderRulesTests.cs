using Distribution.Events;

namespace Distribution.Purchasing.Tests;

public sealed class PurchaseOrderRulesTests
{
    private static readonly DateTimeOffset Created = new(2026, 11, 24, 8, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Sent = Created.AddHours(2);

    /// <summary>A purchase order created at <see cref="Created"/> from a supplier 10 days away, lines (ordered, shipped, received).</summary>
    private static PurchaseOrderFacts Po(params (int Ordered, int Shipped, int Received)[] lines) => new()
    {
        CreatedAt = Created,
        LeadTimeDays = 10,
        Lines = [.. lines.Select(l => new PurchaseLineTotals(l.Ordered, l.Shipped, l.Received))],
    };

    private static PurchaseOrderFacts SentPo(params (int, int, int)[] lines) => Po(lines) with { SentAt = Sent };

    private static PurchaseOrderFacts Noticed(PurchaseOrderFacts f, DateTimeOffset? eta = null) =>
        f with { ShipNoticeAt = Sent.AddDays(8), ShipNoticeEta = eta ?? Sent.AddDays(11) };

    [Fact]
    public void Status_follows_the_commands_until_goods_move()
    {
        Assert.Equal(PurchaseOrderStatus.Created, PurchaseOrderRules.DeriveStatus(Po((10, 0, 0))));
        Assert.Equal(PurchaseOrderStatus.Sent, PurchaseOrderRules.DeriveStatus(SentPo((10, 0, 0))));
        Assert.Equal(PurchaseOrderStatus.Acknowledged, PurchaseOrderRules.DeriveStatus(SentPo((10, 0, 0)) with { AcknowledgedAt = Sent }));
        Assert.Equal(PurchaseOrderStatus.Shipped, PurchaseOrderRules.DeriveStatus(Noticed(SentPo((10, 10, 0)))));
        Assert.Equal(PurchaseOrderStatus.Cancelled, PurchaseOrderRules.DeriveStatus(SentPo((10, 0, 0)) with { Cancelled = true }));
        Assert.Equal(PurchaseOrderStatus.Closed, PurchaseOrderRules.DeriveStatus(Noticed(SentPo((10, 10, 4))) with { Closed = true }));
    }

    [Theory]
    [InlineData(false, 0, 3, PurchaseOrderStatus.PartiallyReceived)]   // receipt before the ship notice
    [InlineData(false, 0, 10, PurchaseOrderStatus.Received)]           // all ordered arrived without notice
    [InlineData(true, 10, 9, PurchaseOrderStatus.PartiallyReceived)]
    [InlineData(true, 10, 10, PurchaseOrderStatus.Received)]
    [InlineData(true, 6, 6, PurchaseOrderStatus.Received)]             // shipped less: what shipped is what is expected
    [InlineData(true, 10, 12, PurchaseOrderStatus.Received)]           // over-receipt still received
    public void Status_follows_the_received_totals(bool noticed, int shipped, int received, PurchaseOrderStatus expected)
    {
        var f = SentPo((10, shipped, received));
        Assert.Equal(expected, PurchaseOrderRules.DeriveStatus(noticed ? Noticed(f) : f));
    }

    [Fact]
    public void Every_line_must_be_complete_for_received_and_a_line_the_notice_left_out_is_not_expected()
    {
        Assert.Equal(PurchaseOrderStatus.PartiallyReceived, PurchaseOrderRules.DeriveStatus(SentPo((10, 0, 10), (5, 0, 0))));
        Assert.Equal(PurchaseOrderStatus.Received, PurchaseOrderRules.DeriveStatus(Noticed(SentPo((10, 10, 10), (5, 0, 0)))));
    }

    [Fact]
    public void On_order_is_ordered_or_shipped_minus_received_and_nothing_once_closed_or_cancelled()
    {
        var f = SentPo((10, 0, 3));
        Assert.Equal(7, PurchaseOrderRules.OnOrder(f, f.Lines[0]));
        var shippedLess = Noticed(SentPo((10, 6, 2)));
        Assert.Equal(4, PurchaseOrderRules.OnOrder(shippedLess, shippedLess.Lines[0]));
        var over = Noticed(SentPo((10, 10, 12)));
        Assert.Equal(0, PurchaseOrderRules.OnOrder(over, over.Lines[0]));
        Assert.Equal(0, PurchaseOrderRules.OnOrder(f with { Closed = true }, f.Lines[0]));
        Assert.Equal(0, PurchaseOrderRules.OnOrder(Po((10, 0, 0)) with { Cancelled = true }, new PurchaseLineTotals(10, 0, 0)));
    }

    [Fact]
    public void Expected_dates_count_from_creation_until_sent_and_the_ship_notice_sets_the_eta()
    {
        var created = Po((10, 0, 0));
        Assert.Equal(Created.AddDays(10), PurchaseOrderRules.ExpectedArrival(created));
        Assert.Equal(Created.AddDays(10), PurchaseOrderRules.Eta(created));

        var sent = SentPo((10, 0, 0));
        Assert.Equal(Sent.AddDays(10), PurchaseOrderRules.ExpectedArrival(sent));
        Assert.Equal(Sent.AddDays(9), PurchaseOrderRules.ExpectedShipDate(sent));

        var noticed = Noticed(sent, eta: Sent.AddDays(12));
        Assert.Equal(Sent.AddDays(10), PurchaseOrderRules.ExpectedArrival(noticed));
        Assert.Equal(Sent.AddDays(12), PurchaseOrderRules.Eta(noticed));
        Assert.Equal(Sent.AddDays(3), PurchaseOrderRules.DefaultShipNoticeEta(Sent.AddDays(2)));
    }

    [Fact]
    public void A_requested_delivery_date_later_than_the_lead_time_sets_the_expected_dates()
    {
        var later = SentPo((10, 0, 0)) with { RequestedDelivery = DateOnly.FromDateTime(Sent.AddDays(14).UtcDateTime) };
        var dayStart = new DateTimeOffset(Sent.AddDays(14).Date, TimeSpan.Zero);
        Assert.Equal(dayStart, PurchaseOrderRules.ExpectedArrival(later));
        Assert.Equal(dayStart.AddDays(-1), PurchaseOrderRules.ExpectedShipDate(later));

        // Earlier than the supplier can deliver: the lead time still rules.
        var earlier = SentPo((10, 0, 0)) with { RequestedDelivery = DateOnly.FromDateTime(Sent.AddDays(3).UtcDateTime) };
        Assert.Equal(Sent.AddDays(10), PurchaseOrderRules.ExpectedArrival(earlier));
    }

    [Fact]
    public void A_lead_time_under_a_day_expects_shipment_when_sent() =>
        Assert.Equal(Sent, PurchaseOrderRules.ExpectedShipDate(SentPo((1, 0, 0)) with { LeadTimeDays = 0.5 }));

    [Fact]
    public void Nothing_is_judged_before_the_order_is_sent_nor_after_it_is_closed_or_cancelled()
    {
        var late = Created.AddDays(30);
        Assert.Null(PurchaseOrderRules.Late(Po((10, 0, 0)), late));
        Assert.Equal((null, null), PurchaseOrderRules.Deadlines(Po((10, 0, 0))));
        Assert.Null(PurchaseOrderRules.Late(SentPo((10, 0, 0)) with { Closed = true }, late));
        Assert.Null(PurchaseOrderRules.Late(SentPo((10, 0, 0)) with { Cancelled = true }, late));
    }

    [Fact]
    public void Without_a_ship_notice_by_the_expected_ship_date_it_is_late_and_at_the_eta_units_outstanding_are()
    {
        var f = SentPo((10, 0, 0));
        var shipBy = Sent.AddDays(9);
        var eta = Sent.AddDays(10);
        Assert.Equal((shipBy, eta), PurchaseOrderRules.Deadlines(f));

        Assert.Null(PurchaseOrderRules.Late(f, shipBy.AddMinutes(-1)));
        Assert.Equal(new Lateness(LatenessKind.NoShipNotice, shipBy), PurchaseOrderRules.Late(f, shipBy));
        Assert.Equal(new Lateness(LatenessKind.NotReceived, eta), PurchaseOrderRules.Late(f, eta));
    }

    [Fact]
    public void A_ship_notice_or_a_receipt_answers_the_ship_date_and_full_receipt_answers_the_eta()
    {
        var at = Sent.AddDays(9.5);
        Assert.Null(PurchaseOrderRules.Late(Noticed(SentPo((10, 10, 0))), at));
        Assert.Null(PurchaseOrderRules.Late(SentPo((10, 0, 4)), at));                       // shipped without notice
        Assert.Equal(LatenessKind.NotReceived, PurchaseOrderRules.Late(Noticed(SentPo((10, 10, 4))), Sent.AddDays(11))!.Kind);
        Assert.Null(PurchaseOrderRules.Late(Noticed(SentPo((10, 10, 10))), Sent.AddDays(20)));
        Assert.Null(PurchaseOrderRules.Late(Noticed(SentPo((10, 6, 6))), Sent.AddDays(20)));   // what shipped arrived
        // A later ETA from the notice moves the deadline.
        Assert.Null(PurchaseOrderRules.Late(Noticed(SentPo((10, 10, 0)), eta: Sent.AddDays(14)), Sent.AddDays(12)));
    }

    public static TheoryData<PurchaseOrderCommand, string, TransitionVerdict> Transitions => new()
    {
        { PurchaseOrderCommand.Send, "created", TransitionVerdict.Apply },
        { PurchaseOrderCommand.Send, "sent", TransitionVerdict.AlreadyDone },
        { PurchaseOrderCommand.Send, "shipped", TransitionVerdict.AlreadyDone },
        { PurchaseOrderCommand.Send, "cancelled", TransitionVerdict.Refused },
        { PurchaseOrderCommand.Send, "cancelledAfterSending", TransitionVerdict.AlreadyDone },
        { PurchaseOrderCommand.Acknowledge, "created", TransitionVerdict.Refused },
        { PurchaseOrderCommand.Acknowledge, "sent", TransitionVerdict.Apply },
        { PurchaseOrderCommand.Acknowledge, "acknowledged", TransitionVerdict.AlreadyDone },
        { PurchaseOrderCommand.Acknowledge, "shipped", TransitionVerdict.Refused },
        { PurchaseOrderCommand.Acknowledge, "partiallyReceived", TransitionVerdict.Refused },
        { PurchaseOrderCommand.Ship, "created", TransitionVerdict.Refused },
        { PurchaseOrderCommand.Ship, "sent", TransitionVerdict.Apply },
        { PurchaseOrderCommand.Ship, "acknowledged", TransitionVerdict.Apply },
        { PurchaseOrderCommand.Ship, "partiallyReceived", TransitionVerdict.Apply },   // the notice after the goods
        { PurchaseOrderCommand.Ship, "closed", TransitionVerdict.Refused },
        { PurchaseOrderCommand.Close, "created", TransitionVerdict.Refused },
        { PurchaseOrderCommand.Close, "sent", TransitionVerdict.Apply },
        { PurchaseOrderCommand.Close, "partiallyReceived", TransitionVerdict.Apply },
        { PurchaseOrderCommand.Close, "received", TransitionVerdict.Apply },
        { PurchaseOrderCommand.Close, "closed", TransitionVerdict.AlreadyDone },
        { PurchaseOrderCommand.Close, "cancelled", TransitionVerdict.Refused },
        { PurchaseOrderCommand.Cancel, "created", TransitionVerdict.Apply },
        { PurchaseOrderCommand.Cancel, "acknowledged", TransitionVerdict.Apply },
        { PurchaseOrderCommand.Cancel, "shipped", TransitionVerdict.Refused },
        { PurchaseOrderCommand.Cancel, "partiallyReceived", TransitionVerdict.Refused },
        { PurchaseOrderCommand.Cancel, "cancelled", TransitionVerdict.AlreadyDone },
        { PurchaseOrderCommand.Cancel, "closed", TransitionVerdict.Refused },
    };

    [Theory]
    [MemberData(nameof(Transitions))]
    public void Commands_apply_repeat_or_are_refused_naming_the_status(PurchaseOrderCommand command, string status, TransitionVerdict expected)
    {
        var f = status switch
        {
            "created" => Po((10, 0, 0)),
            "sent" => SentPo((10, 0, 0)),
            "acknowledged" => SentPo((10, 0, 0)) with { AcknowledgedAt = Sent },
            "shipped" => Noticed(SentPo((10, 10, 0))),
            "partiallyReceived" => SentPo((10, 0, 4)),
            "received" => Noticed(SentPo((10, 10, 10))),
            "closed" => Noticed(SentPo((10, 10, 4))) with { Closed = true },
            "cancelled" => Po((10, 0, 0)) with { Cancelled = true },
            "cancelledAfterSending" => SentPo((10, 0, 0)) with { Cancelled = true },
            _ => throw new ArgumentOutOfRangeException(nameof(status)),
        };
        Assert.StartsWith(PurchaseOrderRules.Name(PurchaseOrderRules.DeriveStatus(f)), status, StringComparison.Ordinal);

        var check = PurchaseOrderRules.Check(command, f);

        Assert.Equal(expected, check.Verdict);
        if (expected == TransitionVerdict.Refused)
        {
            Assert.Contains($"a {PurchaseOrderRules.Name(PurchaseOrderRules.DeriveStatus(f))} purchase order", check.Reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_same_ship_notice_again_is_a_repeat_and_another_one_is_refused()
    {
        var shipped = Noticed(SentPo((10, 10, 0)));
        Assert.Equal(TransitionVerdict.AlreadyDone, PurchaseOrderRules.Check(PurchaseOrderCommand.Ship, shipped, sameShipNotice: true).Verdict);
        Assert.Equal(TransitionVerdict.Refused, PurchaseOrderRules.Check(PurchaseOrderCommand.Ship, shipped, sameShipNotice: false).Verdict);
    }

    [Fact]
    public void Over_receipt_is_more_than_ordered()
    {
        Assert.False(PurchaseOrderRules.OverReceived(new PurchaseLineTotals(10, 10, 10)));
        Assert.True(PurchaseOrderRules.OverReceived(new PurchaseLineTotals(10, 6, 11)));
        Assert.False(PurchaseOrderRules.OverReceived(new PurchaseLineTotals(10, 6, 8)));  // beyond shipped but within ordered
    }

    private static WarehouseEvent Receipt(string warehouse, string sku) => new()
    {
        EventId = "e-1",
        WarehouseId = warehouse,
        Type = WarehouseEventType.PurchaseReceived,
        Sku = sku,
        Quantity = 3,
        PurchaseOrderId = "PO-1",
        OccurredAt = Created,
    };

    [Fact]
    public void Receipts_are_checked_against_the_purchase_order()
    {
        var route = new PurchaseOrderRoute { PurchaseOrderId = "PO-1", WarehouseId = "AMS", Skus = ["A", "B"], Status = PurchaseOrderStatus.Sent };

        Assert.Null(PurchaseOrderRules.RefuseReceipt(route, Receipt("AMS", "B")));
        Assert.Null(PurchaseOrderRules.RefuseReceipt(route with { Status = PurchaseOrderStatus.Created }, Receipt("AMS", "A")));
        Assert.Null(PurchaseOrderRules.RefuseReceipt(route with { Status = PurchaseOrderStatus.Closed }, Receipt("AMS", "A")));
        Assert.Equal("unknown purchase order 'PO-1'", PurchaseOrderRules.RefuseReceipt(null, Receipt("AMS", "A")));
        Assert.Equal("purchase order 'PO-1' is received at 'AMS', not 'BER'", PurchaseOrderRules.RefuseReceipt(route, Receipt("BER", "A")));
        Assert.Equal("SKU 'C' is not on purchase order 'PO-1'", PurchaseOrderRules.RefuseReceipt(route, Receipt("AMS", "C")));
        Assert.Equal("purchase order 'PO-1' was cancelled", PurchaseOrderRules.RefuseReceipt(route with { Status = PurchaseOrderStatus.Cancelled }, Receipt("AMS", "A")));
    }
}
