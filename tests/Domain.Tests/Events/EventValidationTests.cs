using Distribution.Common;

namespace Distribution.Events.Tests;

public sealed class EventValidationTests
{
    private const string Prefix = "events[3]";

    private static readonly DateTimeOffset Now = new(2025, 3, 3, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Window = TimeSpan.FromDays(7);

    /// <summary>A valid request of <paramref name="type"/> carrying exactly the references that type needs.</summary>
    internal static WarehouseEventRequest ValidRequest(WarehouseEventType type) => new()
    {
        EventId = "EV-1",
        WarehouseId = "WH-1",
        Type = type.ToString(),
        Sku = "SKU-A",
        Quantity = type == WarehouseEventType.Adjusted ? -2 : 5,
        ReasonCode = type == WarehouseEventType.Adjusted ? "DAMAGE" : null,
        OrderId = type is WarehouseEventType.Picked or WarehouseEventType.Shipped ? "ORD-1" : null,
        LineId = type is WarehouseEventType.Picked or WarehouseEventType.Shipped ? "L-1" : null,
        TransferId = type is WarehouseEventType.TransferShipped or WarehouseEventType.TransferReceived ? "TR-1" : null,
        PurchaseOrderId = type == WarehouseEventType.PurchaseReceived ? "PO-1" : null,
        OccurredAt = Now.AddHours(-1),
        Sequence = 42,
    };

    private static IReadOnlyList<FieldError> Validate(WarehouseEventRequest r, out WarehouseEvent? valid) =>
        EventValidation.Validate(r, Prefix, Now, Window, out valid);

    private static FieldError SingleError(WarehouseEventRequest r, string field)
    {
        var errors = Validate(r, out var valid);
        var error = Assert.Single(errors);
        Assert.Equal($"{Prefix}.{field}", error.Field);
        Assert.Null(valid);
        return error;
    }

    public static TheoryData<WarehouseEventType> AllTypes() => new(Enum.GetValues<WarehouseEventType>());

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void Valid_event_of_each_type_yields_the_typed_event(WarehouseEventType type)
    {
        var r = ValidRequest(type);

        var errors = Validate(r, out var valid);

        Assert.Empty(errors);
        Assert.NotNull(valid);
        Assert.Equal(type, valid.Type);
        Assert.Equal("EV-1", valid.EventId);
        Assert.Equal("WH-1", valid.WarehouseId);
        Assert.Equal("SKU-A", valid.Sku);
        Assert.Equal(r.Quantity, valid.Quantity);
        Assert.Equal(r.ReasonCode, valid.ReasonCode);
        Assert.Equal(r.OrderId, valid.OrderId);
        Assert.Equal(r.LineId, valid.LineId);
        Assert.Equal(r.TransferId, valid.TransferId);
        Assert.Equal(r.PurchaseOrderId, valid.PurchaseOrderId);
        Assert.Equal(r.OccurredAt, valid.OccurredAt);
        Assert.Equal(42, valid.Sequence);
    }

    [Fact]
    public void Optional_fields_are_carried_over_when_present()
    {
        var r = ValidRequest(WarehouseEventType.Received) with
        {
            ReasonCode = "RETURN",
            OrderId = "ORD-9",
            LineId = "L-9",
            Sequence = null,
        };

        Assert.Empty(Validate(r, out var valid));
        Assert.NotNull(valid);
        Assert.Equal("RETURN", valid.ReasonCode);
        Assert.Equal("ORD-9", valid.OrderId);
        Assert.Equal("L-9", valid.LineId);
        Assert.Null(valid.Sequence);
    }

    [Theory]
    [InlineData("received", WarehouseEventType.Received)]
    [InlineData("RECEIVED", WarehouseEventType.Received)]
    [InlineData("pIcKeD", WarehouseEventType.Picked)]
    [InlineData("purchasereceived", WarehouseEventType.PurchaseReceived)]
    public void Type_is_case_insensitive(string typeText, WarehouseEventType type)
    {
        var r = ValidRequest(type) with { Type = typeText };

        Assert.Empty(Validate(r, out var valid));
        Assert.Equal(type, valid?.Type);
    }

    [Theory]
    [InlineData("Teleported")]
    [InlineData("Pick")]
    [InlineData("1")]
    [InlineData("0")]
    [InlineData("7")]
    [InlineData("99")]
    [InlineData("-1")]
    public void Unknown_or_numeric_type_is_rejected(string typeText)
    {
        var error = SingleError(ValidRequest(WarehouseEventType.Received) with { Type = typeText }, "type");

        Assert.Contains($"unknown type '{typeText}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Picked", error.Message, StringComparison.Ordinal);
        Assert.Contains("PurchaseReceived", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("+1", WarehouseEventType.Shipped)]
    [InlineData(" 1", WarehouseEventType.Shipped)]
    [InlineData("Received,Shipped", WarehouseEventType.Adjusted)]
    [InlineData("Picked, Shipped", WarehouseEventType.Shipped)]
    public void Numeric_or_combined_type_in_another_spelling_is_rejected(string typeText, WarehouseEventType parsedAs)
    {
        // The request carries what parsedAs needs, so the type is the only thing wrong with it.
        SingleError(ValidRequest(parsedAs) with { Type = typeText }, "type");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Missing_type_is_required(string? typeText)
    {
        var errors = Validate(ValidRequest(WarehouseEventType.Received) with { Type = typeText }, out var valid);

        Assert.Null(valid);
        var error = Assert.Single(errors, e => e.Field == $"{Prefix}.type");
        Assert.Equal("is required", error.Message);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Missing_type_is_the_only_error_of_an_otherwise_valid_event(string? typeText) =>
        SingleError(ValidRequest(WarehouseEventType.Received) with { Type = typeText }, "type");

    [Fact]
    public void Errors_name_the_field_under_the_prefix()
    {
        var errors = EventValidation.Validate(
            ValidRequest(WarehouseEventType.Received) with { Sku = null, Quantity = 0 },
            "events[17]",
            Now,
            Window,
            out var valid);

        Assert.Null(valid);
        Assert.Equal(["events[17].quantity", "events[17].sku"], errors.Select(e => e.Field).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("eventId")]
    [InlineData("warehouseId")]
    [InlineData("sku")]
    public void Missing_identifier_is_required(string field)
    {
        foreach (var missing in new[] { null, "" })
        {
            var r = With(ValidRequest(WarehouseEventType.Received), field, missing);
            Assert.Equal("is required", SingleError(r, field).Message);
        }
    }

    [Theory]
    [InlineData("eventId", "EV 1")]
    [InlineData("eventId", "EV/1")]
    [InlineData("warehouseId", "WH#1")]
    [InlineData("warehouseId", "wärehouse")]
    [InlineData("sku", "SKU?A")]
    [InlineData("sku", " ")]
    public void Identifier_with_invalid_characters_is_rejected(string field, string value)
    {
        var error = SingleError(With(ValidRequest(WarehouseEventType.Received), field, value), field);
        Assert.Contains("characters", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Identifier_longer_than_the_maximum_is_rejected()
    {
        Assert.Empty(Validate(ValidRequest(WarehouseEventType.Received) with { EventId = new string('e', Identifiers.MaxLength) }, out _));
        SingleError(ValidRequest(WarehouseEventType.Received) with { EventId = new string('e', Identifiers.MaxLength + 1) }, "eventId");
    }

    [Theory]
    [InlineData("orderId")]
    [InlineData("lineId")]
    public void Optional_reference_with_invalid_characters_is_rejected(string field) =>
        SingleError(With(ValidRequest(WarehouseEventType.Received), field, "a b"), field);

    [Fact]
    public void Optional_transfer_and_purchase_order_ids_are_checked_when_present()
    {
        SingleError(ValidRequest(WarehouseEventType.Received) with { TransferId = "T 1" }, "transferId");
        SingleError(ValidRequest(WarehouseEventType.Received) with { PurchaseOrderId = "" }, "purchaseOrderId");
    }

    // ---- Quantity ----

    [Fact]
    public void Adjustment_of_zero_is_rejected_but_any_signed_change_is_allowed()
    {
        var error = SingleError(ValidRequest(WarehouseEventType.Adjusted) with { Quantity = 0 }, "quantity");
        Assert.Contains("0", error.Message, StringComparison.Ordinal);

        Assert.Empty(Validate(ValidRequest(WarehouseEventType.Adjusted) with { Quantity = -1 }, out _));
        Assert.Empty(Validate(ValidRequest(WarehouseEventType.Adjusted) with { Quantity = 1 }, out _));
    }

    [Fact]
    public void Negative_count_is_rejected_but_zero_is_allowed()
    {
        SingleError(ValidRequest(WarehouseEventType.Counted) with { Quantity = -1 }, "quantity");

        Assert.Empty(Validate(ValidRequest(WarehouseEventType.Counted) with { Quantity = 0 }, out var valid));
        Assert.Equal(0, valid?.Quantity);
    }

    [Theory]
    [InlineData(WarehouseEventType.Picked)]
    [InlineData(WarehouseEventType.Shipped)]
    [InlineData(WarehouseEventType.Received)]
    [InlineData(WarehouseEventType.TransferShipped)]
    [InlineData(WarehouseEventType.TransferReceived)]
    [InlineData(WarehouseEventType.PurchaseReceived)]
    public void Other_types_need_a_positive_quantity(WarehouseEventType type)
    {
        Assert.Equal("must be positive", SingleError(ValidRequest(type) with { Quantity = 0 }, "quantity").Message);
        Assert.Equal("must be positive", SingleError(ValidRequest(type) with { Quantity = -3 }, "quantity").Message);
        Assert.Empty(Validate(ValidRequest(type) with { Quantity = 1 }, out _));
    }

    // ---- References each type needs ----

    [Theory]
    [InlineData(WarehouseEventType.Picked, "orderId")]
    [InlineData(WarehouseEventType.Picked, "lineId")]
    [InlineData(WarehouseEventType.Shipped, "orderId")]
    [InlineData(WarehouseEventType.Shipped, "lineId")]
    [InlineData(WarehouseEventType.TransferShipped, "transferId")]
    [InlineData(WarehouseEventType.TransferReceived, "transferId")]
    [InlineData(WarehouseEventType.PurchaseReceived, "purchaseOrderId")]
    public void Type_specific_reference_is_required(WarehouseEventType type, string field)
    {
        var error = SingleError(With(ValidRequest(type), field, null), field);
        Assert.Equal("is required", error.Message);
    }

    [Fact]
    public void Picked_without_order_and_line_names_both()
    {
        var errors = Validate(ValidRequest(WarehouseEventType.Picked) with { OrderId = null, LineId = null }, out var valid);

        Assert.Null(valid);
        Assert.Equal([$"{Prefix}.lineId", $"{Prefix}.orderId"], errors.Select(e => e.Field).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Adjustment_without_reason_code_is_rejected(string? reasonCode)
    {
        var errors = Validate(ValidRequest(WarehouseEventType.Adjusted) with { ReasonCode = reasonCode }, out var valid);

        Assert.Null(valid);
        Assert.NotEmpty(errors);
        Assert.All(errors, e => Assert.Equal($"{Prefix}.reasonCode", e.Field));
        Assert.Contains(errors, e => e.Message == "is required for an adjustment");
    }

    // ---- Reason code ----

    [Fact]
    public void Reason_code_longer_than_50_characters_is_rejected()
    {
        Assert.Empty(Validate(ValidRequest(WarehouseEventType.Adjusted) with { ReasonCode = new string('r', EventValidation.MaxReasonCodeLength) }, out _));

        var error = SingleError(ValidRequest(WarehouseEventType.Adjusted) with { ReasonCode = new string('r', EventValidation.MaxReasonCodeLength + 1) }, "reasonCode");
        Assert.Contains("50", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reason_code_with_control_characters_is_rejected() =>
        SingleError(ValidRequest(WarehouseEventType.Received) with { ReasonCode = "LOST\n" }, "reasonCode");

    // ---- Occurred at ----

    [Fact]
    public void Missing_occurred_at_is_required() =>
        Assert.Equal("is required", SingleError(ValidRequest(WarehouseEventType.Received) with { OccurredAt = null }, "occurredAt").Message);

    [Fact]
    public void Occurred_at_more_than_a_day_in_the_future_is_rejected()
    {
        Assert.Empty(Validate(ValidRequest(WarehouseEventType.Received) with { OccurredAt = Now.AddDays(1) }, out _));

        var error = SingleError(ValidRequest(WarehouseEventType.Received) with { OccurredAt = Now.AddDays(1).AddSeconds(1) }, "occurredAt");
        Assert.Contains("future", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Occurred_at_older_than_the_dedupe_window_is_rejected()
    {
        Assert.Empty(Validate(ValidRequest(WarehouseEventType.Received) with { OccurredAt = Now - Window }, out _));

        var error = SingleError(ValidRequest(WarehouseEventType.Received) with { OccurredAt = Now - Window - TimeSpan.FromSeconds(1) }, "occurredAt");
        Assert.Contains("7-day", error.Message, StringComparison.Ordinal);
        Assert.Contains("adjustment", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Dedupe_window_is_the_one_passed_in()
    {
        var r = ValidRequest(WarehouseEventType.Received) with { OccurredAt = Now.AddDays(-3) };

        Assert.Empty(EventValidation.Validate(r, Prefix, Now, TimeSpan.FromDays(7), out _));
        var error = Assert.Single(EventValidation.Validate(r, Prefix, Now, TimeSpan.FromDays(2), out var valid));
        Assert.Equal($"{Prefix}.occurredAt", error.Field);
        Assert.Null(valid);
    }

    [Fact]
    public void Occurred_at_in_another_offset_is_compared_as_an_instant()
    {
        // 13:30 at +02:00 is 11:30 UTC: half an hour before now.
        var at = new DateTimeOffset(2025, 3, 3, 13, 30, 0, TimeSpan.FromHours(2));

        Assert.Empty(Validate(ValidRequest(WarehouseEventType.Received) with { OccurredAt = at }, out var valid));
        Assert.Equal(at, valid?.OccurredAt);
    }

    [Fact]
    public void Every_problem_of_one_event_is_reported_together()
    {
        var r = new WarehouseEventRequest
        {
            EventId = null,
            WarehouseId = "W H",
            Type = "Shipped",
            Sku = "",
            Quantity = 0,
            ReasonCode = new string('x', 51),
            OrderId = null,
            LineId = "L-1",
            OccurredAt = null,
        };

        var errors = Validate(r, out var valid);

        Assert.Null(valid);
        Assert.Equal(
            new[] { "eventId", "occurredAt", "orderId", "quantity", "reasonCode", "sku", "warehouseId" }.Select(f => $"{Prefix}.{f}"),
            errors.Select(e => e.Field).Order(StringComparer.Ordinal));
    }

    private static WarehouseEventRequest With(WarehouseEventRequest r, string field, string? value) => field switch
    {
        "eventId" => r with { EventId = value },
        "warehouseId" => r with { WarehouseId = value },
        "sku" => r with { Sku = value },
        "orderId" => r with { OrderId = value },
        "lineId" => r with { LineId = value },
        "transferId" => r with { TransferId = value },
        "purchaseOrderId" => r with { PurchaseOrderId = value },
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, null),
    };
}
