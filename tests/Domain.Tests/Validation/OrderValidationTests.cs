using Distribution.Common;

namespace Distribution.Orders.Validation.Tests;

public sealed class OrderValidationTests
{
    internal static OrderRequest ValidOrder() => new()
    {
        OrderId = "ORD-1",
        Channel = "web",
        ShipTo = new GeoPoint(52.52, 13.405),
        Priority = OrderPriority.High,
        AllowSplit = true,
        AllowBackorder = false,
        RequestedDeliveryDate = new DateOnly(2030, 1, 15),
        Lines =
        [
            new OrderLineRequest { LineId = "1", Sku = "SKU-A", Quantity = 2 },
            new OrderLineRequest { LineId = "2", Sku = "SKU-B", Quantity = 5 },
        ],
    };

    private static OrderLineRequest Line(string? lineId = "1", string? sku = "SKU-A", int quantity = 1) =>
        new() { LineId = lineId, Sku = sku, Quantity = quantity };

    private static FieldError SingleError(OrderRequest request, string field)
    {
        var errors = OrderValidation.Validate(request);
        var error = Assert.Single(errors);
        Assert.Equal(field, error.Field);
        return error;
    }

    [Fact]
    public void Valid_order_has_no_errors() => Assert.Empty(OrderValidation.Validate(ValidOrder()));

    [Fact]
    public void Minimal_order_without_channel_or_date_is_valid() =>
        Assert.Empty(OrderValidation.Validate(ValidOrder() with { Channel = null, RequestedDeliveryDate = null }));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Missing_order_id_is_required(string? orderId)
    {
        var error = SingleError(ValidOrder() with { OrderId = orderId }, "orderId");
        Assert.Equal("is required", error.Message);
    }

    [Theory]
    [InlineData("ORD 1")]
    [InlineData("ORD/1")]
    [InlineData("ORD#1")]
    [InlineData("ördér")]
    [InlineData(" ")]
    public void Order_id_with_invalid_characters_is_rejected(string orderId)
    {
        var error = SingleError(ValidOrder() with { OrderId = orderId }, "orderId");
        Assert.Contains("characters", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Order_id_longer_than_100_characters_is_rejected()
    {
        Assert.Empty(OrderValidation.Validate(ValidOrder() with { OrderId = new string('a', Identifiers.MaxLength) }));
        SingleError(ValidOrder() with { OrderId = new string('a', Identifiers.MaxLength + 1) }, "orderId");
    }

    [Fact]
    public void Channel_longer_than_64_characters_is_rejected()
    {
        Assert.Empty(OrderValidation.Validate(ValidOrder() with { Channel = new string('c', 64) }));
        var error = SingleError(ValidOrder() with { Channel = new string('c', 65) }, "channel");
        Assert.Contains("64", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_ship_to_is_required()
    {
        var error = SingleError(ValidOrder() with { ShipTo = null }, "shipTo");
        Assert.Equal("is required", error.Message);
    }

    [Theory]
    [InlineData(91, 0, "shipTo.latitude")]
    [InlineData(-90.0001, 0, "shipTo.latitude")]
    [InlineData(double.NaN, 0, "shipTo.latitude")]
    [InlineData(double.PositiveInfinity, 0, "shipTo.latitude")]
    [InlineData(0, -181, "shipTo.longitude")]
    [InlineData(0, 180.5, "shipTo.longitude")]
    [InlineData(0, double.NaN, "shipTo.longitude")]
    [InlineData(0, double.NegativeInfinity, "shipTo.longitude")]
    public void Ship_to_out_of_range_names_the_coordinate(double latitude, double longitude, string field) =>
        SingleError(ValidOrder() with { ShipTo = new GeoPoint(latitude, longitude) }, field);

    [Fact]
    public void Both_bad_coordinates_give_two_errors()
    {
        var errors = OrderValidation.Validate(ValidOrder() with { ShipTo = new GeoPoint(double.NaN, -181) });
        Assert.Equal(["shipTo.latitude", "shipTo.longitude"], errors.Select(e => e.Field));
    }

    [Theory]
    [InlineData(90, 180)]
    [InlineData(-90, -180)]
    [InlineData(0, 0)]
    public void Ship_to_on_the_boundary_is_valid(double latitude, double longitude) =>
        Assert.Empty(OrderValidation.Validate(ValidOrder() with { ShipTo = new GeoPoint(latitude, longitude) }));

    [Theory]
    [InlineData(-1)]
    [InlineData(3)]
    [InlineData(99)]
    public void Undefined_priority_is_rejected(int priority) =>
        SingleError(ValidOrder() with { Priority = (OrderPriority)priority }, "priority");

    [Theory]
    [InlineData(OrderPriority.Normal)]
    [InlineData(OrderPriority.High)]
    [InlineData(OrderPriority.Urgent)]
    public void Defined_priorities_are_valid(OrderPriority priority) =>
        Assert.Empty(OrderValidation.Validate(ValidOrder() with { Priority = priority }));

    [Fact]
    public void Null_lines_are_rejected() => SingleError(ValidOrder() with { Lines = null }, "lines");

    [Fact]
    public void Empty_lines_are_rejected() => SingleError(ValidOrder() with { Lines = [] }, "lines");

    [Fact]
    public void More_than_1000_lines_are_rejected()
    {
        var lines = Enumerable.Range(0, OrderValidation.MaxLines + 1).Select(i => Line($"L{i}")).ToList();
        var error = SingleError(ValidOrder() with { Lines = lines }, "lines");
        Assert.Contains("1000", error.Message, StringComparison.Ordinal);
        Assert.Contains("1001", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Exactly_1000_lines_are_valid()
    {
        var lines = Enumerable.Range(0, OrderValidation.MaxLines).Select(i => Line($"L{i}")).ToList();
        Assert.Empty(OrderValidation.Validate(ValidOrder() with { Lines = lines }));
    }

    [Fact]
    public void Null_line_names_its_index()
    {
        var error = SingleError(ValidOrder() with { Lines = [Line("1"), null!, Line("3")] }, "lines[1]");
        Assert.Equal("must not be null", error.Message);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Missing_line_id_names_the_line(string? lineId) =>
        SingleError(ValidOrder() with { Lines = [Line("1"), Line(lineId)] }, "lines[1].lineId");

    [Fact]
    public void Line_id_with_invalid_characters_names_the_line() =>
        SingleError(ValidOrder() with { Lines = [Line("a b")] }, "lines[0].lineId");

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("SKU A")]
    public void Missing_or_invalid_sku_names_the_line(string? sku) =>
        SingleError(ValidOrder() with { Lines = [Line("1"), Line("2", sku)] }, "lines[1].sku");

    [Fact]
    public void Duplicate_line_id_is_reported_on_the_second_occurrence()
    {
        var error = SingleError(
            ValidOrder() with { Lines = [Line("L-7", "SKU-A"), Line("L-7", "SKU-B")] },
            "lines[1].lineId");
        Assert.Contains("duplicate", error.Message, StringComparison.Ordinal);
        Assert.Contains("'L-7'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Line_ids_are_compared_case_sensitively() =>
        Assert.Empty(OrderValidation.Validate(ValidOrder() with { Lines = [Line("a"), Line("A")] }));

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    public void Non_positive_quantity_is_rejected(int quantity)
    {
        var error = SingleError(ValidOrder() with { Lines = [Line(quantity: quantity)] }, "lines[0].quantity");
        Assert.Equal("must be greater than 0", error.Message);
    }

    [Fact]
    public void Quantity_above_one_million_is_rejected()
    {
        Assert.Empty(OrderValidation.Validate(ValidOrder() with { Lines = [Line(quantity: OrderValidation.MaxQuantity)] }));
        var error = SingleError(
            ValidOrder() with { Lines = [Line(quantity: OrderValidation.MaxQuantity + 1)] },
            "lines[0].quantity");
        Assert.Contains("1000000", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void All_errors_are_reported_together()
    {
        var request = new OrderRequest
        {
            OrderId = null,
            Channel = new string('c', 65),
            ShipTo = null,
            Priority = (OrderPriority)9,
            Lines = [Line(null, null, 0), null!, Line("x", "SKU", 2), Line("x", "SKU", 2_000_000)],
        };

        var fields = OrderValidation.Validate(request).Select(e => e.Field).ToList();

        Assert.Equal(
            [
                "orderId", "channel", "shipTo", "priority",
                "lines[0].lineId", "lines[0].sku", "lines[0].quantity",
                "lines[1]",
                "lines[3].lineId", "lines[3].quantity",
            ],
            fields);
    }
}
