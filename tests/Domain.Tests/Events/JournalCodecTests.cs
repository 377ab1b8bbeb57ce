using System.Text.Json;

namespace Distribution.Events.Tests;

public sealed class JournalCodecTests
{
    private static readonly DateTimeOffset At = new(2025, 3, 3, 9, 15, 30, 123, TimeSpan.Zero);

    private static WarehouseEvent Minimal(WarehouseEventType type) => new()
    {
        EventId = "EV-1",
        WarehouseId = "WH-1",
        Type = type,
        Sku = "SKU-A",
        Quantity = type == WarehouseEventType.Adjusted ? -3 : 4,
        OccurredAt = At,
    };

    private static WarehouseEvent Full(WarehouseEventType type) => Minimal(type) with
    {
        ReasonCode = "DAMAGE",
        OrderId = "ORD-1",
        LineId = "L-1",
        TransferId = "TR-1",
        PurchaseOrderId = "PO-1",
        Sequence = 9_007_199_254_740_993,
    };

    public static TheoryData<WarehouseEventType, bool> TypesWithAndWithoutOptionals()
    {
        var data = new TheoryData<WarehouseEventType, bool>();
        foreach (var type in Enum.GetValues<WarehouseEventType>())
        {
            data.Add(type, false);
            data.Add(type, true);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(TypesWithAndWithoutOptionals))]
    public void Every_event_round_trips(WarehouseEventType type, bool withOptionals)
    {
        var e = withOptionals ? Full(type) : Minimal(type);

        var payload = JournalCodec.Encode(e);
        var decoded = JournalCodec.Decode(payload);

        Assert.Equal(e, decoded);
        Assert.Equal(e.OccurredAt.Offset, decoded.OccurredAt.Offset);
        Assert.Equal(payload, JournalCodec.Encode(decoded));
    }

    [Fact]
    public void Absent_optional_fields_stay_absent()
    {
        var decoded = JournalCodec.Decode(JournalCodec.Encode(Minimal(WarehouseEventType.Received)));

        Assert.Null(decoded.ReasonCode);
        Assert.Null(decoded.OrderId);
        Assert.Null(decoded.LineId);
        Assert.Null(decoded.TransferId);
        Assert.Null(decoded.PurchaseOrderId);
        Assert.Null(decoded.Sequence);
    }

    [Fact]
    public void Zero_quantity_survives_the_round_trip() =>
        Assert.Equal(0, JournalCodec.Decode(JournalCodec.Encode(Minimal(WarehouseEventType.Counted) with { Quantity = 0 })).Quantity);

    [Fact]
    public void Occurred_at_keeps_its_offset()
    {
        var e = Minimal(WarehouseEventType.Received) with { OccurredAt = new DateTimeOffset(2025, 3, 3, 10, 0, 0, TimeSpan.FromHours(-5)) };

        var decoded = JournalCodec.Decode(JournalCodec.Encode(e));

        Assert.Equal(e.OccurredAt, decoded.OccurredAt);
        Assert.Equal(TimeSpan.FromHours(-5), decoded.OccurredAt.Offset);
    }

    [Fact]
    public void Same_event_encodes_to_the_same_text()
    {
        foreach (var type in Enum.GetValues<WarehouseEventType>())
        {
            // Two separately built, equal events (as a retry of the same post would produce).
            Assert.Equal(JournalCodec.Encode(Full(type)), JournalCodec.Encode(Full(type)));
            Assert.Equal(JournalCodec.Encode(Minimal(type)), JournalCodec.Encode(Minimal(type)));
        }
    }

    [Fact]
    public void Different_events_encode_to_different_text()
    {
        var e = Full(WarehouseEventType.Picked);
        var encoded = JournalCodec.Encode(e);

        Assert.NotEqual(encoded, JournalCodec.Encode(e with { Quantity = 5 }));
        Assert.NotEqual(encoded, JournalCodec.Encode(e with { Type = WarehouseEventType.Shipped }));
        Assert.NotEqual(encoded, JournalCodec.Encode(e with { Sku = "SKU-B" }));
        Assert.NotEqual(encoded, JournalCodec.Encode(e with { OrderId = "ORD-2" }));
        Assert.NotEqual(encoded, JournalCodec.Encode(e with { ReasonCode = null }));
        Assert.NotEqual(encoded, JournalCodec.Encode(e with { OccurredAt = e.OccurredAt.AddMilliseconds(1) }));
    }

    [Fact]
    public void Payload_is_compact_camel_case_json_with_the_type_by_name()
    {
        var payload = JournalCodec.Encode(Minimal(WarehouseEventType.PurchaseReceived));

        Assert.DoesNotContain('\n', payload);
        Assert.DoesNotContain("null", payload, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(payload);
        var root = doc.RootElement;
        Assert.Equal("EV-1", root.GetProperty("eventId").GetString());
        Assert.Equal("WH-1", root.GetProperty("warehouseId").GetString());
        Assert.Equal("PurchaseReceived", root.GetProperty("type").GetString());
        Assert.Equal(4, root.GetProperty("quantity").GetInt32());
        Assert.False(root.TryGetProperty("reasonCode", out _));
    }

    [Fact]
    public void Payload_without_an_event_cannot_be_decoded() =>
        Assert.Throws<InvalidDataException>(() => JournalCodec.Decode("null"));

    [Fact]
    public void Journaled_event_keeps_sequence_acceptance_correlation_and_redrive()
    {
        var e = Full(WarehouseEventType.Shipped);
        var acceptedAt = At.AddSeconds(5);
        var stored = new StoredJournalEntry(
            1234,
            new JournalEntry("EV-1", 3, "WH-1", JournalCodec.Encode(e), e.OccurredAt, acceptedAt, "corr-7", "EXC-9", TraceParent));

        var journaled = JournalCodec.ToJournaled(stored);

        Assert.Equal(1234, journaled.Sequence);
        Assert.Equal(e, journaled.Event);
        Assert.Equal(acceptedAt, journaled.AcceptedAt);
        Assert.Equal("corr-7", journaled.CorrelationId);
        Assert.Equal("EXC-9", journaled.RedriveOf);
        Assert.Equal(TraceParent, journaled.TraceParent);
    }

    private const string TraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    [Fact]
    public void Journaled_event_without_correlation_or_redrive_has_neither()
    {
        var e = Minimal(WarehouseEventType.Received);
        var stored = new StoredJournalEntry(1, new JournalEntry("EV-1", 0, "WH-1", JournalCodec.Encode(e), e.OccurredAt, At, null, null));

        var journaled = JournalCodec.ToJournaled(stored);

        Assert.Equal(1, journaled.Sequence);
        Assert.Equal(e, journaled.Event);
        Assert.Null(journaled.CorrelationId);
        Assert.Null(journaled.RedriveOf);
        Assert.Null(journaled.TraceParent);
    }
}
