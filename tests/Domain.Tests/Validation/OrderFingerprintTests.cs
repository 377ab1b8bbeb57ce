namespace Distribution.Orders.Validation.Tests;

public sealed class OrderFingerprintTests
{
    private static readonly OrderRequest Baseline = OrderValidationTests.ValidOrder();

    [Fact]
    public void Identical_requests_have_equal_fingerprints()
    {
        var a = OrderValidationTests.ValidOrder();
        var b = OrderValidationTests.ValidOrder();
        Assert.NotSame(a.Lines, b.Lines);

        Assert.Equal(OrderValidation.Fingerprint(a), OrderValidation.Fingerprint(b));
    }

    [Fact]
    public void Fingerprint_is_stable() =>
        Assert.Equal(OrderValidation.Fingerprint(Baseline), OrderValidation.Fingerprint(Baseline));

    [Theory]
    [InlineData("orderId")]
    [InlineData("quantity")]
    [InlineData("sku")]
    [InlineData("lineId")]
    [InlineData("lineOrder")]
    [InlineData("extraLine")]
    [InlineData("allowSplit")]
    [InlineData("allowBackorder")]
    [InlineData("priority")]
    [InlineData("shipToLatitude")]
    [InlineData("shipToLongitude")]
    [InlineData("shipToSwapped")]
    [InlineData("requestedDeliveryDate")]
    [InlineData("requestedDeliveryDateRemoved")]
    [InlineData("channel")]
    [InlineData("channelRemoved")]
    public void Any_field_change_changes_the_fingerprint(string change)
    {
        var lines = Baseline.Lines!;
        var changed = change switch
        {
            "orderId" => Baseline with { OrderId = "ORD-2" },
            "quantity" => Baseline with { Lines = [lines[0] with { Quantity = 3 }, lines[1]] },
            "sku" => Baseline with { Lines = [lines[0] with { Sku = "SKU-C" }, lines[1]] },
            "lineId" => Baseline with { Lines = [lines[0] with { LineId = "9" }, lines[1]] },
            "lineOrder" => Baseline with { Lines = [lines[1], lines[0]] },
            "extraLine" => Baseline with { Lines = [.. lines, new OrderLineRequest { LineId = "3", Sku = "SKU-A", Quantity = 1 }] },
            "allowSplit" => Baseline with { AllowSplit = !Baseline.AllowSplit },
            "allowBackorder" => Baseline with { AllowBackorder = !Baseline.AllowBackorder },
            "priority" => Baseline with { Priority = OrderPriority.Urgent },
            "shipToLatitude" => Baseline with { ShipTo = Baseline.ShipTo! with { Latitude = 52.5200001 } },
            "shipToLongitude" => Baseline with { ShipTo = Baseline.ShipTo! with { Longitude = 13.4 } },
            "shipToSwapped" => Baseline with { ShipTo = new(Baseline.ShipTo!.Longitude, Baseline.ShipTo.Latitude) },
            "requestedDeliveryDate" => Baseline with { RequestedDeliveryDate = Baseline.RequestedDeliveryDate!.Value.AddDays(1) },
            "requestedDeliveryDateRemoved" => Baseline with { RequestedDeliveryDate = null },
            "channel" => Baseline with { Channel = "store" },
            "channelRemoved" => Baseline with { Channel = null },
            _ => throw new ArgumentOutOfRangeException(nameof(change), change, null),
        };

        Assert.NotEqual(OrderValidation.Fingerprint(Baseline), OrderValidation.Fingerprint(changed));
    }

    [Fact]
    public void Every_priority_has_its_own_fingerprint()
    {
        var fingerprints = Enum.GetValues<OrderPriority>()
            .Select(p => OrderValidation.Fingerprint(Baseline with { Priority = p }))
            .ToList();

        Assert.Equal(fingerprints.Count, fingerprints.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Moving_a_value_between_adjacent_fields_changes_the_fingerprint()
    {
        var a = Baseline with { Lines = [new OrderLineRequest { LineId = "1", Sku = "12", Quantity = 3 }] };
        var b = Baseline with { Lines = [new OrderLineRequest { LineId = "11", Sku = "2", Quantity = 3 }] };
        var c = Baseline with { Lines = [new OrderLineRequest { LineId = "1", Sku = "1", Quantity = 23 }] };

        Assert.NotEqual(OrderValidation.Fingerprint(a), OrderValidation.Fingerprint(b));
        Assert.NotEqual(OrderValidation.Fingerprint(a), OrderValidation.Fingerprint(c));
    }
}
