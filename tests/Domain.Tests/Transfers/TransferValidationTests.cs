namespace Distribution.Transfers.Tests;

public sealed class TransferValidationTests
{
    private static TransferRequest Valid() => new()
    {
        TransferId = "T-1",
        FromWarehouseId = "AMS",
        ToWarehouseId = "BER",
        Lines = [new TransferLineRequest { Sku = "A", Quantity = 5 }, new TransferLineRequest { Sku = "B", Quantity = 1 }],
        Reason = "rebalance",
    };

    private static void SingleError(TransferRequest request, string field)
    {
        var error = Assert.Single(TransferValidation.Validate(request));
        Assert.Equal(field, error.Field);
    }

    [Fact]
    public void A_valid_request_has_no_errors()
    {
        Assert.Empty(TransferValidation.Validate(Valid()));
        Assert.Empty(TransferValidation.Validate(Valid() with { Reason = null }));
    }

    [Fact]
    public void Ids_are_required_and_well_formed()
    {
        SingleError(Valid() with { TransferId = null }, "transferId");
        SingleError(Valid() with { TransferId = "T 1" }, "transferId");
        SingleError(Valid() with { FromWarehouseId = "" }, "fromWarehouseId");
        SingleError(Valid() with { ToWarehouseId = "B|ER" }, "toWarehouseId");
    }

    [Fact]
    public void Source_and_destination_must_differ() =>
        SingleError(Valid() with { ToWarehouseId = "AMS" }, "toWarehouseId");

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    [InlineData(1_000_001)]
    public void Quantities_are_positive_and_bounded(int quantity) =>
        SingleError(Valid() with { Lines = [new TransferLineRequest { Sku = "A", Quantity = quantity }] }, "lines[0].quantity");

    [Fact]
    public void Lines_are_one_to_a_thousand_with_each_sku_once()
    {
        SingleError(Valid() with { Lines = [] }, "lines");
        SingleError(Valid() with { Lines = null }, "lines");
        SingleError(Valid() with { Lines = [.. Enumerable.Range(0, 1001).Select(i => new TransferLineRequest { Sku = $"S{i}", Quantity = 1 })] }, "lines");
        Assert.Empty(TransferValidation.Validate(Valid() with { Lines = [.. Enumerable.Range(0, 1000).Select(i => new TransferLineRequest { Sku = $"S{i}", Quantity = 1 })] }));
        SingleError(Valid() with { Lines = [new TransferLineRequest { Sku = "A", Quantity = 1 }, new TransferLineRequest { Sku = "A", Quantity = 2 }] }, "lines[1].sku");
        SingleError(Valid() with { Lines = [new TransferLineRequest { Sku = "A", Quantity = 1 }, new TransferLineRequest { Sku = null, Quantity = 2 }] }, "lines[1].sku");
        SingleError(Valid() with { Lines = [null!] }, "lines[0]");
    }

    [Fact]
    public void The_reason_is_short_printable_text() =>
        SingleError(Valid() with { Reason = new string('x', TransferValidation.MaxReasonLength + 1) }, "reason");

    [Fact]
    public void The_fingerprint_tells_any_change_of_the_body_apart()
    {
        var same = TransferValidation.Fingerprint(Valid());
        Assert.Equal(same, TransferValidation.Fingerprint(Valid()));
        Assert.NotEqual(same, TransferValidation.Fingerprint(Valid() with { ToWarehouseId = "MAD" }));
        Assert.NotEqual(same, TransferValidation.Fingerprint(Valid() with { Reason = "other" }));
        Assert.NotEqual(same, TransferValidation.Fingerprint(Valid() with { Lines = [new TransferLineRequest { Sku = "A", Quantity = 6 }, new TransferLineRequest { Sku = "B", Quantity = 1 }] }));
        Assert.NotEqual(same, TransferValidation.Fingerprint(Valid() with { Lines = [new TransferLineRequest { Sku = "B", Quantity = 1 }, new TransferLineRequest { Sku = "A", Quantity = 5 }] }));
    }
}
