namespace Distribution.Purchasing.Tests;

public sealed class PurchaseOrderValidationTests
{
    private static readonly DateTimeOffset Created = new(2026, 11, 24, 8, 0, 0, TimeSpan.Zero);
    private static readonly Dictionary<string, int> Ordered = new() { ["A"] = 5, ["B"] = 1 };

    private static PurchaseOrderRequest Valid() => new()
    {
        PurchaseOrderId = "PO-1",
        SupplierId = "SUP-1",
        WarehouseId = "AMS",
        Lines = [Line("A", 5), Line("B", 1)],
        Reason = "reorder point",
    };

    private static PurchaseOrderLineRequest Line(string? sku, int quantity) => new() { Sku = sku, Quantity = quantity };

    private static void SingleError(PurchaseOrderRequest request, string field)
    {
        var error = Assert.Single(PurchaseOrderValidation.Validate(request));
        Assert.Equal(field, error.Field);
    }

    private static IReadOnlyList<Common.FieldError> Notice(ShipNoticeRequest notice, DateTimeOffset? now = null) =>
        PurchaseOrderValidation.ValidateShipNotice(notice, Ordered, Created, now ?? Created.AddDays(5));

    [Fact]
    public void A_valid_request_has_no_errors()
    {
        Assert.Empty(PurchaseOrderValidation.Validate(Valid()));
        Assert.Empty(PurchaseOrderValidation.Validate(Valid() with { Reason = null }));
    }

    [Fact]
    public void Ids_are_required_and_well_formed()
    {
        SingleError(Valid() with { PurchaseOrderId = null }, "purchaseOrderId");
        SingleError(Valid() with { PurchaseOrderId = "PO 1" }, "purchaseOrderId");
        SingleError(Valid() with { SupplierId = "" }, "supplierId");
        SingleError(Valid() with { WarehouseId = "A|MS" }, "warehouseId");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    [InlineData(1_000_001)]
    public void Quantities_are_positive_and_bounded(int quantity) =>
        SingleError(Valid() with { Lines = [Line("A", quantity)] }, "lines[0].quantity");

    [Fact]
    public void Lines_are_one_to_a_thousand_with_each_sku_once()
    {
        SingleError(Valid() with { Lines = [] }, "lines");
        SingleError(Valid() with { Lines = null }, "lines");
        SingleError(Valid() with { Lines = [.. Enumerable.Range(0, 1001).Select(i => Line($"S{i}", 1))] }, "lines");
        Assert.Empty(PurchaseOrderValidation.Validate(Valid() with { Lines = [.. Enumerable.Range(0, 1000).Select(i => Line($"S{i}", 1))] }));
        SingleError(Valid() with { Lines = [Line("A", 1), Line("A", 2)] }, "lines[1].sku");
        SingleError(Valid() with { Lines = [Line("A", 1), Line(null, 2)] }, "lines[1].sku");
        SingleError(Valid() with { Lines = [null!] }, "lines[0]");
    }

    [Fact]
    public void The_reason_is_short_printable_text()
    {
        SingleError(Valid() with { Reason = new string('x', Common.SkuLines.MaxReasonLength + 1) }, "reason");
        SingleError(Valid() with { Reason = "line\nbreak" }, "reason");
    }

    [Fact]
    public void The_fingerprint_tells_any_change_of_the_body_apart()
    {
        var same = PurchaseOrderValidation.Fingerprint(Valid());
        Assert.Equal(same, PurchaseOrderValidation.Fingerprint(Valid()));
        Assert.NotEqual(same, PurchaseOrderValidation.Fingerprint(Valid() with { SupplierId = "SUP-2" }));
        Assert.NotEqual(same, PurchaseOrderValidation.Fingerprint(Valid() with { WarehouseId = "BER" }));
        Assert.NotEqual(same, PurchaseOrderValidation.Fingerprint(Valid() with { Reason = "other" }));
        Assert.NotEqual(same, PurchaseOrderValidation.Fingerprint(Valid() with { Lines = [Line("A", 6), Line("B", 1)] }));
    }

    [Fact]
    public void A_ship_notice_names_skus_of_the_order_at_most_their_ordered_quantity()
    {
        Assert.Empty(Notice(new ShipNoticeRequest { Lines = [Line("A", 5)] }));
        Assert.Empty(Notice(new ShipNoticeRequest { Lines = [Line("A", 2), Line("B", 1)], Eta = Created.AddDays(6) }));
        Assert.Equal(["lines[0].sku"], Notice(new ShipNoticeRequest { Lines = [Line("C", 1)] }).Select(e => e.Field));
        Assert.Equal(["lines[1].quantity"], Notice(new ShipNoticeRequest { Lines = [Line("A", 1), Line("B", 2)] }).Select(e => e.Field));
        Assert.Equal(["lines[0].quantity"], Notice(new ShipNoticeRequest { Lines = [Line("A", 0)] }).Select(e => e.Field));
        Assert.Equal(["lines[1].sku"], Notice(new ShipNoticeRequest { Lines = [Line("A", 1), Line("A", 1)] }).Select(e => e.Field));
        Assert.Equal(["lines"], Notice(new ShipNoticeRequest { Lines = [] }).Select(e => e.Field));
    }

    [Fact]
    public void A_ship_notice_eta_lies_between_creation_and_a_year_ahead()
    {
        Assert.Equal(["eta"], Notice(new ShipNoticeRequest { Lines = [Line("A", 1)], Eta = Created.AddMinutes(-1) }).Select(e => e.Field));
        Assert.Equal(["eta"], Notice(new ShipNoticeRequest { Lines = [Line("A", 1)], Eta = Created.AddDays(5 + 367) }).Select(e => e.Field));
    }

    [Fact]
    public void The_same_notice_with_lines_in_another_order_is_the_same_notice()
    {
        var notice = new ShipNoticeRequest { Lines = [Line("A", 2), Line("B", 1)], Eta = Created.AddDays(6) };
        Assert.Equal(PurchaseOrderValidation.Fingerprint(notice), PurchaseOrderValidation.Fingerprint(notice with { Lines = [Line("B", 1), Line("A", 2)] }));
        Assert.NotEqual(PurchaseOrderValidation.Fingerprint(notice), PurchaseOrderValidation.Fingerprint(notice with { Eta = null }));
        Assert.NotEqual(PurchaseOrderValidation.Fingerprint(notice), PurchaseOrderValidation.Fingerprint(notice with { Lines = [Line("A", 3), Line("B", 1)] }));
    }
}
