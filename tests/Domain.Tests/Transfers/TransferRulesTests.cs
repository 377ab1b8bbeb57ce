using Distribution.Events;

namespace Distribution.Transfers.Tests;

public sealed class TransferRulesTests
{
    private static readonly DateTimeOffset Shipped = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);

    private static TransferLineTotals Line(int quantity, int shipped, int received) => new(quantity, shipped, received);

    // ---- Totals and ETA ----

    [Theory]
    [InlineData(10, 0, 0, 0)]
    [InlineData(10, 6, 0, 6)]
    [InlineData(10, 6, 4, 2)]
    [InlineData(10, 6, 6, 0)]
    [InlineData(10, 0, 3, 0)] // a receipt reported before its shipment: nothing in transit, never negative
    [InlineData(10, 6, 9, 0)]
    public void In_transit_is_shipped_minus_received_floored_at_zero(int quantity, int shipped, int received, int inTransit) =>
        Assert.Equal(inTransit, Line(quantity, shipped, received).InTransit);

    [Fact]
    public void Eta_is_the_shipment_time_plus_the_lanes_transit_days()
    {
        Assert.Equal(Shipped.AddDays(2), TransferRules.Eta(Shipped, 2));
        Assert.Equal(Shipped.AddHours(36), TransferRules.Eta(Shipped, 1.5));
        Assert.Equal(Shipped, TransferRules.Eta(Shipped, 0));
    }

    // ---- Status ----

    [Theory]
    [InlineData(0, 0, 0, 0, TransferStatus.Requested)]
    [InlineData(3, 0, 0, 0, TransferStatus.PartiallyShipped)]
    [InlineData(5, 0, 0, 0, TransferStatus.PartiallyShipped)] // one line shipped in full, the other not at all
    [InlineData(5, 0, 4, 0, TransferStatus.Shipped)]
    [InlineData(5, 2, 4, 0, TransferStatus.PartiallyReceived)]
    [InlineData(5, 5, 4, 3, TransferStatus.PartiallyReceived)] // short on the second line
    [InlineData(5, 5, 4, 4, TransferStatus.Received)]
    [InlineData(5, 6, 4, 4, TransferStatus.Received)]          // over-received: received, and a discrepancy
    [InlineData(0, 5, 0, 4, TransferStatus.PartiallyReceived)] // receipts reported before their shipments
    [InlineData(3, 3, 0, 0, TransferStatus.PartiallyReceived)] // what shipped arrived; the rest has not shipped
    public void Status_follows_from_the_line_totals(int shippedA, int receivedA, int shippedB, int receivedB, TransferStatus expected) =>
        Assert.Equal(expected, TransferRules.DeriveStatus([Line(5, shippedA, receivedA), Line(4, shippedB, receivedB)], cancelled: false));

    [Fact]
    public void A_cancelled_transfer_stays_cancelled_until_stock_moves_anyway()
    {
        Assert.Equal(TransferStatus.Cancelled, TransferRules.DeriveStatus([Line(5, 0, 0)], cancelled: true));
        // A shipment that raced the cancel is real stock on the road: it is followed.
        Assert.Equal(TransferStatus.PartiallyShipped, TransferRules.DeriveStatus([Line(5, 2, 0)], cancelled: true));
    }

    [Fact]
    public void Status_does_not_depend_on_the_order_totals_arrive_in()
    {
        // Shipments and receipts of two lines, as the totals a transfer would hear in any order.
        var reports = new (int Line, bool Ship, int Total)[] { (0, true, 3), (0, true, 5), (0, false, 5), (1, true, 4), (1, false, 2), (1, false, 4) };
        var statuses = new HashSet<TransferStatus>();
        foreach (var order in Permutations(reports.Length))
        {
            var lines = new[] { Line(5, 0, 0), Line(4, 0, 0) };
            foreach (var i in order)
            {
                var (line, ship, total) = reports[i];
                lines[line] = ship
                    ? lines[line] with { Shipped = Math.Max(lines[line].Shipped, total) }
                    : lines[line] with { Received = Math.Max(lines[line].Received, total) };
            }

            statuses.Add(TransferRules.DeriveStatus(lines, cancelled: false));
            Assert.Equal([Line(5, 5, 5), Line(4, 4, 4)], lines);
        }

        Assert.Equal([TransferStatus.Received], statuses);
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
            for (var at = 0; at <= rest.Length; at++)
            {
                yield return [.. rest[..at], n - 1, .. rest[at..]];
            }
        }
    }

    // ---- Discrepancies and overdue ----

    [Fact]
    public void Receiving_more_than_the_line_quantity_is_an_over_receipt_at_once()
    {
        Assert.Null(TransferRules.ImmediateDiscrepancy("A", Line(5, 0, 5)));
        Assert.Null(TransferRules.ImmediateDiscrepancy("A", Line(5, 2, 4))); // may be a shipment still to be reported
        var over = TransferRules.ImmediateDiscrepancy("A", Line(5, 5, 6));
        Assert.Equal(new ReceiptDiscrepancy("A", DiscrepancyKind.OverReceipt, Line(5, 5, 6)), over);
    }

    [Fact]
    public void Nothing_is_judged_before_the_eta()
    {
        var eta = TransferRules.Eta(Shipped, 2);
        var review = TransferRules.Review([new ReviewedLine("A", Line(5, 5, 0), eta), new ReviewedLine("B", Line(5, 5, 2), eta)], eta.AddTicks(-1));

        Assert.Empty(review.Overdue);
        Assert.Empty(review.Discrepancies);
    }

    [Fact]
    public void Past_the_eta_in_transit_units_are_overdue_and_a_partial_receipt_is_short()
    {
        var eta = TransferRules.Eta(Shipped, 2);
        var review = TransferRules.Review(
        [
            new ReviewedLine("NONE", Line(5, 5, 0), eta),     // nothing arrived: overdue
            new ReviewedLine("SHORT", Line(5, 5, 3), eta),    // part arrived: overdue and short
            new ReviewedLine("DONE", Line(5, 5, 5), eta),     // all arrived
            new ReviewedLine("OVER", Line(5, 3, 4), eta),     // more than shipped arrived
            new ReviewedLine("UNSHIPPED", Line(5, 0, 0), null),
        ], eta);

        Assert.Equal(["NONE", "SHORT"], review.Overdue.Select(l => l.Sku));
        Assert.Equal(
            [new ReceiptDiscrepancy("SHORT", DiscrepancyKind.ShortReceipt, Line(5, 5, 3)), new ReceiptDiscrepancy("OVER", DiscrepancyKind.OverReceipt, Line(5, 3, 4))],
            review.Discrepancies);
    }

    [Fact]
    public void Discrepancies_are_described_with_their_figures()
    {
        Assert.Equal(
            "transfer 'T-1' received only 3 of 5 shipped unit(s) of 'A' by its ETA",
            TransferRules.Describe("T-1", new ReceiptDiscrepancy("A", DiscrepancyKind.ShortReceipt, Line(5, 5, 3))));
        Assert.Equal(
            "transfer 'T-1' received 7 unit(s) of 'A' but shipped 5 of 5",
            TransferRules.Describe("T-1", new ReceiptDiscrepancy("A", DiscrepancyKind.OverReceipt, Line(5, 5, 7))));
    }

    // ---- Movements checked against the transfer ----

    private static readonly TransferRoute Route = new()
    {
        TransferId = "T-1",
        FromWarehouseId = "AMS",
        ToWarehouseId = "BER",
        Skus = ["A", "B"],
        Status = TransferStatus.Requested,
    };

    private static WarehouseEvent Movement(WarehouseEventType type, string warehouse, string sku = "A") => new()
    {
        EventId = "E-1",
        WarehouseId = warehouse,
        Type = type,
        Sku = sku,
        Quantity = 1,
        TransferId = "T-1",
        OccurredAt = Shipped,
    };

    [Fact]
    public void Movements_at_the_right_end_of_a_live_transfer_are_accepted()
    {
        Assert.Null(TransferRules.RefuseMovement(Route, Movement(WarehouseEventType.TransferShipped, "AMS")));
        Assert.Null(TransferRules.RefuseMovement(Route, Movement(WarehouseEventType.TransferReceived, "BER", "B")));
        Assert.Null(TransferRules.RefuseMovement(Route with { Status = TransferStatus.Received }, Movement(WarehouseEventType.TransferReceived, "BER")));
    }

    [Theory]
    [InlineData(WarehouseEventType.TransferShipped, "BER", "A", TransferStatus.Requested, "transfer 'T-1' ships from 'AMS', not 'BER'")]
    [InlineData(WarehouseEventType.TransferReceived, "AMS", "A", TransferStatus.Shipped, "transfer 'T-1' is received at 'BER', not 'AMS'")]
    [InlineData(WarehouseEventType.TransferShipped, "AMS", "C", TransferStatus.Requested, "SKU 'C' is not on transfer 'T-1'")]
    [InlineData(WarehouseEventType.TransferShipped, "AMS", "A", TransferStatus.Cancelled, "transfer 'T-1' was cancelled")]
    [InlineData(WarehouseEventType.TransferReceived, "BER", "A", TransferStatus.Rejected, "transfer 'T-1' was rejected and holds nothing")]
    [InlineData(WarehouseEventType.TransferShipped, "AMS", "A", TransferStatus.Reserving, "transfer 'T-1' is still being created; retry")]
    public void Movements_that_do_not_fit_the_transfer_are_refused_with_the_reason(
        WarehouseEventType type, string warehouse, string sku, TransferStatus status, string reason) =>
        Assert.Equal(reason, TransferRules.RefuseMovement(Route with { Status = status }, Movement(type, warehouse, sku)));

    [Fact]
    public void A_movement_for_an_unknown_transfer_is_refused_naming_it() =>
        Assert.Equal("unknown transfer 'T-1'", TransferRules.RefuseMovement(null, Movement(WarehouseEventType.TransferReceived, "BER")));
}
