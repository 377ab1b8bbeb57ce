using Distribution.Common;
using Distribution.Integration.Edi;

namespace Distribution.Tests.Integration.Edi;

public sealed class InboundMappingsTests
{
    private static readonly EdiPartnerContext Customer = new("ACME");
    private static readonly EdiPartnerContext ThreePl = new("WAW3PL", WarehouseId: "WAW");

    private static X12TransactionSet Set(params string[] lines)
    {
        var result = X12Parser.Parse(X12Samples.Interchange(lines));
        Assert.Null(result.Error);
        var set = result.Interchange!.Groups[0].Sets[0];
        Assert.Empty(set.Errors);
        return set;
    }

    private static string[] Wrap(string id, params string[] body) => ["ST*" + id + "*0001", .. body, $"SE*{body.Length + 2}*0001"];

    private static X12SegmentError Single(IReadOnlyList<X12SegmentError> errors) => Assert.Single(errors);

    [Fact]
    public void An_850_becomes_an_order_shipping_to_the_geo_reference_of_its_ship_to()
    {
        var mapped = InboundMappings.Order850(Set(X12Samples.Order850), Customer);

        Assert.True(mapped.Succeeded);
        var order = mapped.Value!;
        Assert.Equal("ACME:PO-7781", order.OrderId);
        Assert.Equal("edi:ACME", order.Channel);
        Assert.Equal(new GeoPoint(50.11, 8.68), order.ShipTo);
        Assert.Equal([("1", "SKU-001", 3), ("2", "SKU-020", 4)], order.Lines!.Select(l => (l.LineId!, l.Sku!, l.Quantity)));
        Assert.True(order.AllowBackorder);
    }

    [Fact]
    public void An_850_without_ship_to_uses_the_partners_default_and_reads_the_requested_delivery_date()
    {
        var set = Set(Wrap("850", "BEG*00*SA*PO-1**20261127", "DTM*002*20261203", "PO1*10*2*EA***VN*SKU-003"));

        var mapped = InboundMappings.Order850(set, Customer with { DefaultShipTo = new GeoPoint(52.5, 13.4) });

        Assert.True(mapped.Succeeded);
        Assert.Equal(new GeoPoint(52.5, 13.4), mapped.Value!.ShipTo);
        Assert.Equal(new DateOnly(2026, 12, 3), mapped.Value.RequestedDeliveryDate);
        Assert.Equal("SKU-003", mapped.Value.Lines![0].Sku);
    }

    [Fact]
    public void An_850_without_any_ship_to_names_the_missing_segment()
    {
        var set = Set(Wrap("850", "BEG*00*SA*PO-1**20261127", "PO1*1*2*EA***SK*SKU-003"));

        var error = Single(InboundMappings.Order850(set, Customer).Errors);

        Assert.Equal(("N1", 3, X12SegmentErrorCode.MandatorySegmentMissing), (error.SegmentId, error.Position, error.Code));
    }

    [Fact]
    public void An_850_line_without_quantity_points_at_po102()
    {
        string[] set = [.. X12Samples.Order850];
        set[5] = "PO1*2**EA***SK*SKU-020";

        var error = Single(InboundMappings.Order850(Set(set), Customer).Errors);

        Assert.Equal(("PO1", 6, X12SegmentErrorCode.ElementErrors), (error.SegmentId, error.Position, error.Code));
        var element = Assert.Single(error.Elements);
        Assert.Equal((2, X12ElementErrorCode.MandatoryMissing), (element.Position, element.Code));
        Assert.Equal("PO1[6].PO102", error.Field);
    }

    [Theory]
    [InlineData("BEG*00*SA***20261127", X12ElementErrorCode.MandatoryMissing)]
    [InlineData("BEG*00*SA*PO 1**20261127", X12ElementErrorCode.InvalidCharacter)]
    [InlineData("BEG*00*SA*PO-1**20261131", X12ElementErrorCode.InvalidDate)]
    [InlineData("BEG*05*SA*PO-1**20261127", X12ElementErrorCode.InvalidCode)]
    public void A_bad_beg_points_at_its_element(string beg, X12ElementErrorCode code)
    {
        string[] set = [.. X12Samples.Order850];
        set[1] = beg;

        var error = Single(InboundMappings.Order850(Set(set), Customer).Errors);

        Assert.Equal(("BEG", 2), (error.SegmentId, error.Position));
        Assert.Equal(code, Assert.Single(error.Elements).Code);
    }

    [Fact]
    public void An_850_with_a_wrong_line_count_or_bad_coordinates_is_refused()
    {
        string[] set = [.. X12Samples.Order850];
        set[3] = "REF*GEO*95*8.68";
        set[6] = "CTT*3";

        var errors = InboundMappings.Order850(Set(set), Customer).Errors;

        Assert.Equal(["REF[4].REF02", "CTT[7].CTT01"], errors.Select(e => e.Field));
    }

    [Fact]
    public void A_grain_error_on_an_850_line_is_pointed_back_at_its_product_id()
    {
        var mapped = InboundMappings.Order850(Set(X12Samples.Order850), Customer);

        var error = mapped.Source.Locate(new FieldError("lines[1].sku", "unknown SKU 'SKU-020'"));

        Assert.Equal(("PO1", 6, "PO1[6].PO107"), (error.SegmentId, error.Position, error.Field));
        Assert.Equal((X12ElementErrorCode.InvalidCode, "SKU-020"), (error.Elements[0].Code, error.Elements[0].BadValue));
        Assert.Equal("BEG", mapped.Source.Locate(new FieldError("priority", "x")).SegmentId);
    }

    private static readonly string[] ShipNotice =
        Wrap("856",
            "BSN*00*SHP-1*20261127*1015",
            "HL*1**S",
            "DTM*017*20261201*1400",
            "HL*2*1*O",
            "PRF*po-1",
            "HL*3*2*I",
            "LIN**SK*SKU-020",
            "SN1**30*EA",
            "HL*4*2*I",
            "LIN**SK*SKU-020",
            "SN1**10*EA",
            "HL*5*1*O",
            "PRF*po-2",
            "HL*6*5*I",
            "LIN**VN*SKU-001",
            "SN1**5*EA");

    [Fact]
    public void An_856_becomes_one_ship_notice_per_purchase_order_with_its_eta()
    {
        var mapped = InboundMappings.ShipNotice856(Set(ShipNotice));

        Assert.True(mapped.Succeeded);
        var notices = mapped.Value!;
        Assert.Equal(["po-1", "po-2"], notices.Select(n => n.Notice.PurchaseOrderId));
        var first = notices[0].Notice.Notice;
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 14, 0, 0, TimeSpan.Zero), first.Eta);
        Assert.Equal([("SKU-020", 40)], first.Lines!.Select(l => (l.Sku!, l.Quantity)));
        Assert.Equal("SN1[9].SN102", notices[0].Source.Locate(new FieldError("lines[0].quantity", "too many")).Field);
        Assert.Equal("PRF[14].PRF01", notices[1].Source.Locate(new FieldError("status", "cancelled")).Field);
    }

    [Fact]
    public void An_856_item_without_sn1_or_order_without_prf_is_refused()
    {
        string[] set = [.. ShipNotice];
        set[8] = "REF*ZZ*X";
        set[5] = "REF*ZZ*Y";

        var errors = InboundMappings.ShipNotice856(Set(set)).Errors;

        Assert.Contains(errors, e => e.SegmentId == "SN1" && e.Code == X12SegmentErrorCode.MandatorySegmentMissing);
        Assert.Contains(errors, e => e.SegmentId == "PRF" && e.Code == X12SegmentErrorCode.MandatorySegmentMissing);
    }

    [Fact]
    public void A_945_becomes_shipped_events_at_the_partners_warehouse()
    {
        var set = Set(Wrap("945",
            "W06*F*ACME:PO-7781*20261127*SH-9",
            "G62*11*20261127*8*1130",
            "LX*1",
            "N9*LI*1",
            "W12*CC*3*3*0*EA**SK*SKU-001",
            "LX*2",
            "W12*PR*4*2*2*EA**SK*SKU-020",
            "W03*5"));

        var mapped = InboundMappings.ShippingAdvice945(set, ThreePl);

        Assert.True(mapped.Succeeded);
        var events = mapped.Value!;
        Assert.Equal(2, events.Count);
        Assert.All(events, e => Assert.Equal(("WAW", "Shipped", "ACME:PO-7781"), (e.WarehouseId!, e.Type!, e.OrderId!)));
        Assert.Equal(["WAW3PL:945:SH-9:1", "WAW3PL:945:SH-9:2"], events.Select(e => e.EventId));
        Assert.Equal([("1", "SKU-001", 3), ("2", "SKU-020", 2)], events.Select(e => (e.LineId!, e.Sku!, e.Quantity)));
        Assert.Equal(new DateTimeOffset(2026, 11, 27, 11, 30, 0, TimeSpan.Zero), events[0].OccurredAt);
        Assert.Equal("W12[8].W1203", mapped.Source.Locate(new FieldError("events[1].quantity", "too many")).Field);
    }

    [Fact]
    public void A_945_without_its_order_id_points_at_w0602()
    {
        var set = Set(Wrap("945", "W06*F**20261127*SH-9", "LX*1", "W12*CC*3*3*0*EA**SK*SKU-001"));

        Assert.Equal("W06[2].W0602", Single(InboundMappings.ShippingAdvice945(set, ThreePl).Errors).Field);
    }

    [Theory]
    [InlineData("N9*PO*po-1", "PurchaseReceived")]
    [InlineData("N9*TR*tr-1", "TransferReceived")]
    public void A_944_becomes_receipt_events_of_the_purchase_order_or_transfer(string n9, string type)
    {
        var set = Set(Wrap("944", "W17*F*20261127*RCV-5", n9, "W07*12*EA**SK*SKU-020", "W07*3*EA**VN*SKU-001"));

        var mapped = InboundMappings.StockReceipt944(set, ThreePl);

        Assert.True(mapped.Succeeded);
        Assert.Equal([(type, "SKU-020", 12), (type, "SKU-001", 3)], mapped.Value!.Select(e => (e.Type!, e.Sku!, e.Quantity)));
        Assert.All(mapped.Value!, e => Assert.Equal(type == "PurchaseReceived" ? "po-1" : "tr-1", e.PurchaseOrderId ?? e.TransferId));
        Assert.Equal("WAW3PL:944:RCV-5:2", mapped.Value![1].EventId);
    }

    [Fact]
    public void A_944_without_a_reference_or_quantity_is_refused()
    {
        var set = Set(Wrap("944", "W17*F*20261127*RCV-5", "W07**EA**SK*SKU-020"));

        var errors = InboundMappings.StockReceipt944(set, ThreePl).Errors;

        Assert.Equal(["N9[3]", "W07[3].W0701"], errors.Select(e => e.Field));
    }

    [Fact]
    public void An_846_becomes_a_snapshot_of_the_partners_warehouse()
    {
        var set = Set(Wrap("846", "BIA*00*DD*INV-1*20261127*0600", "LIN**SK*SKU-001", "QTY*17*120*EA", "LIN**SK*SKU-002", "QTY*33*5*EA", "QTY*17*0*EA"));

        var mapped = InboundMappings.InventoryAdvice846(set, ThreePl);

        Assert.True(mapped.Succeeded);
        Assert.Equal("WAW", mapped.Value!.WarehouseId);
        Assert.Equal(new DateTimeOffset(2026, 11, 27, 6, 0, 0, TimeSpan.Zero), mapped.Value.AsOf);
        Assert.Equal([new("SKU-001", 120), new("SKU-002", 0)], mapped.Value.Items);
    }

    [Fact]
    public void An_846_item_without_on_hand_names_the_missing_qty()
    {
        var set = Set(Wrap("846", "BIA*00*DD*INV-1*20261127", "LIN**SK*SKU-001", "QTY*33*5*EA", "LIN**SK*SKU-002", "QTY*17*-1*EA"));

        var errors = InboundMappings.InventoryAdvice846(set, ThreePl).Errors;

        Assert.Equal(["QTY[5]", "QTY[6].QTY02"], errors.Select(e => e.Field));
    }
}
