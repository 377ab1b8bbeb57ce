using Distribution.Common;
using Distribution.Integration.Edi;
using Distribution.Orders;
using Distribution.Purchasing;

namespace Distribution.Tests.Integration.Edi;

public sealed class OutboundDocumentsTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 27, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Today = new(2026, 11, 27);

    private static OrderView Order(OrderStatus status, params OrderLineView[] lines) => new()
    {
        OrderId = "ACME:PO-7781",
        Status = status,
        ShipTo = new GeoPoint(50.11, 8.68),
        CreatedAt = At,
        Lines = lines,
    };

    private static string[] Texts(IReadOnlyList<X12Segment>? body) => [.. body!.Select(s => s.ToString())];

    private static readonly OrderView Split = Order(OrderStatus.PartiallyAllocated,
        new OrderLineView { LineId = "1", Sku = "SKU-001", Quantity = 5, Allocations = [new("AMS", 3, Today), new("WAW", 2, Today.AddDays(1))] },
        new OrderLineView { LineId = "2", Sku = "SKU-020", Quantity = 4, Allocations = [new("AMS", 1, Today)], BackorderedQuantity = 3 });

    [Fact]
    public void An_855_acknowledges_each_allocation_and_what_is_backordered()
    {
        Assert.Equal(
        [
            "BAK*00*AC*PO-7781*20261127",
            "PO1*1*5*EA***SK*SKU-001", "ACK*IA*3*EA*068*20261127", "ACK*IA*2*EA*068*20261128",
            "PO1*2*4*EA***SK*SKU-020", "ACK*IA*1*EA*068*20261127", "ACK*IB*3*EA",
            "CTT*2",
        ], Texts(OutboundDocuments.OrderAcknowledgment855(Split, "PO-7781")));
    }

    [Fact]
    public void A_rejected_order_is_acknowledged_as_rejected()
    {
        var order = Order(OrderStatus.Rejected, new OrderLineView { LineId = "1", Sku = "SKU-001", Quantity = 5 });

        Assert.Equal(["BAK*00*RJ*PO-7781*20261127", "PO1*1*5*EA***SK*SKU-001", "ACK*IR*5*EA", "CTT*1"],
            Texts(OutboundDocuments.OrderAcknowledgment855(order, "PO-7781")));
    }

    [Fact]
    public void A_940_carries_only_the_lines_allocated_at_the_warehouse()
    {
        Assert.Equal(
        [
            "W05*N*ACME:PO-7781*ACME:PO-7781", "N1*ST*ACME:PO-7781", "REF*GEO*50.11*8.68", "G62*10*20261128",
            "LX*1", "N9*LI*1", "W01*2*EA**SK*SKU-001", "W76*2",
        ], Texts(OutboundDocuments.ShippingOrder940(Split, "WAW")));
        Assert.Null(OutboundDocuments.ShippingOrder940(Split, "BER"));
    }

    [Fact]
    public void A_purchase_order_850_is_read_back_by_the_inbound_mapping()
    {
        var po = new PurchaseOrderView
        {
            PurchaseOrderId = "po-1",
            SupplierId = "ACME",
            WarehouseId = "BER",
            CreatedAt = At,
            ExpectedArrival = At.AddDays(10),
            Lines = [new PurchaseOrderLineView { Sku = "SKU-020", OrderedQuantity = 50 }],
        };
        var text = X12Writer.Write(OutboundDocuments.Interchange(
            new X12Party("ZZ", "DISTHUB"), new X12Party("ZZ", "ACMESUPPLY"), 12, At, "850", OutboundDocuments.PurchaseOrder850(po)));

        var set = X12Parser.Parse(text).Interchange!.Groups[0].Sets[0];
        var mapped = InboundMappings.Order850(set, new EdiPartnerContext("HUB", DefaultShipTo: new GeoPoint(52.5, 13.4)));

        Assert.True(mapped.Succeeded, string.Join("; ", mapped.Errors.Select(e => e.Message)));
        Assert.Equal("HUB:po-1", mapped.Value!.OrderId);
        Assert.Equal(new DateOnly(2026, 12, 7), mapped.Value.RequestedDeliveryDate);
        Assert.Equal([("SKU-020", 50)], mapped.Value.Lines!.Select(l => (l.Sku!, l.Quantity)));
    }
}
