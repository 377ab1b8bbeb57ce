using Distribution.Integration.Edi;
using Distribution.Purchasing;

namespace Distribution.Tests.Integration.Edi;

public sealed class ShipNoticeChecksTests
{
    private static readonly DateTimeOffset Created = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Now = Created.AddDays(2);

    private static PurchaseOrderView Sent(Func<PurchaseOrderView, PurchaseOrderView>? change = null)
    {
        var view = new PurchaseOrderView
        {
            PurchaseOrderId = "PO-1",
            SupplierId = "ACME",
            WarehouseId = "AMS",
            Status = PurchaseOrderStatus.Sent,
            CreatedAt = Created,
            SentAt = Created.AddHours(1),
            ExpectedArrival = Created.AddDays(10),
            Eta = Created.AddDays(10),
            Lines = [new PurchaseOrderLineView { Sku = "SKU-1", OrderedQuantity = 50, OnOrderQuantity = 50 }],
        };
        return change is null ? view : change(view);
    }

    private static ShipNoticeRequest Notice(int quantity, DateTimeOffset? eta = null) =>
        new() { Lines = [new PurchaseOrderLineRequest { Sku = "SKU-1", Quantity = quantity }], Eta = eta ?? Now.AddDays(3) };

    private static string Message(PurchaseOrderView? view, ShipNoticeRequest notice, bool seenBefore = false) =>
        Assert.Single(ShipNoticeChecks.Check("PO-1", notice, view, "ACME", seenBefore, Now)).Message;

    [Fact]
    public void A_notice_for_a_sent_purchase_order_of_the_partners_supplier_passes()
    {
        Assert.Empty(ShipNoticeChecks.Check("PO-1", Notice(40), Sent(), "ACME", seenBefore: false, Now));
    }

    [Fact]
    public void Unknown_other_suppliers_and_repeated_purchase_orders_are_refused_at_the_purchase_order_id()
    {
        Assert.Contains("unknown purchase order", Message(null, Notice(40)));
        Assert.Contains("not from supplier 'ACME'", Message(Sent(v => v with { SupplierId = "OTHER" }), Notice(40)));
        var twice = Assert.Single(ShipNoticeChecks.Check("PO-1", Notice(40), Sent(), "ACME", seenBefore: true, Now));
        Assert.Equal("purchaseOrderId", twice.Field);
        Assert.Contains("named twice", twice.Message);
    }

    [Fact]
    public void A_purchase_order_not_sent_cancelled_closed_or_already_noticed_otherwise_is_refused()
    {
        Assert.Contains("not sent yet", Message(Sent(v => v with { SentAt = null, Status = PurchaseOrderStatus.Created }), Notice(40)));
        Assert.Contains("cannot be shipped", Message(Sent(v => v with { CancelledAt = Now, Status = PurchaseOrderStatus.Cancelled }), Notice(40)));
        Assert.Contains("cannot be shipped", Message(Sent(v => v with { ClosedAt = Now, Status = PurchaseOrderStatus.Closed }), Notice(40)));
        var noticed = Sent(v => v with
        {
            ShippedAt = Now.AddHours(-1),
            Eta = Now.AddDays(3),
            Status = PurchaseOrderStatus.Shipped,
            Lines = [v.Lines[0] with { ShippedQuantity = 40 }],
        });
        Assert.Contains("already has a ship notice", Message(noticed, Notice(30)));
        // The same notice sent again passes (the grain answers it as a replay).
        Assert.Empty(ShipNoticeChecks.Check("PO-1", Notice(40), noticed, "ACME", seenBefore: false, Now));
    }

    [Fact]
    public void The_notice_is_checked_against_the_lines()
    {
        Assert.NotEmpty(ShipNoticeChecks.Check("PO-1", Notice(60), Sent(), "ACME", seenBefore: false, Now));
    }
}
