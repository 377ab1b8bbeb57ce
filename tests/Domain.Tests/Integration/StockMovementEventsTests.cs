using System.Text.Json;
using Distribution.Events;
using Distribution.Integration.BusinessEvents;

namespace Distribution.Tests.Integration;

public sealed class StockMovementEventsTests
{
    private static readonly DateTimeOffset At = new(2025, 3, 3, 9, 15, 30, TimeSpan.Zero);

    private static JournaledEvent Journaled(WarehouseEventType type, bool withOptionals) => new()
    {
        Sequence = 9_007_199_254_740_993,
        CorrelationId = "corr-1",
        Event = new WarehouseEvent
        {
            EventId = "EV-<1>\u00e9",
            WarehouseId = "WH-1",
            Type = type,
            Sku = "SKU-\"A\"",
            Quantity = type == WarehouseEventType.Adjusted ? -3 : 4,
            OccurredAt = At,
            ReasonCode = withOptionals ? "DAMAGE" : null,
            OrderId = withOptionals ? "ORD-1" : null,
            LineId = withOptionals ? "L-1" : null,
            TransferId = withOptionals ? "TR-1" : null,
            PurchaseOrderId = withOptionals ? "PO-1" : null,
        },
    };

    /// <summary>
    /// The payload as it was written before it had a type of its own: an anonymous object through the
    /// reflection-based serializer with the business events' options. Subscribers read this JSON.
    /// </summary>
    private static string AsWrittenBefore(JournaledEvent journaled, int? counted)
    {
        var e = journaled.Event;
        return BusinessEventPayload.Of(new
        {
            warehouseEventId = e.EventId,
            warehouseEventType = e.Type,
            e.WarehouseId,
            e.Sku,
            quantity = counted ?? (e.Type is WarehouseEventType.Shipped or WarehouseEventType.TransferShipped ? -e.Quantity : e.Quantity),
            countedQuantity = counted is null ? (int?)null : e.Quantity,
            reasonCode = counted is null ? e.ReasonCode : e.ReasonCode ?? "COUNT",
            e.OrderId,
            e.LineId,
            e.TransferId,
            e.PurchaseOrderId,
            journalSequence = journaled.Sequence,
        });
    }

    public static TheoryData<WarehouseEventType, bool> MovingTypes()
    {
        var data = new TheoryData<WarehouseEventType, bool>();
        foreach (var type in Enum.GetValues<WarehouseEventType>().Where(t => t != WarehouseEventType.Picked))
        {
            data.Add(type, false);
            data.Add(type, true);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(MovingTypes))]
    public void A_movement_payload_is_the_json_subscribers_have_always_read(WarehouseEventType type, bool withOptionals)
    {
        var journaled = Journaled(type, withOptionals);
        int? counted = type == WarehouseEventType.Counted ? -2 : null;

        var movement = StockMovementEvents.Of(journaled, counted);

        Assert.NotNull(movement);
        Assert.Equal(AsWrittenBefore(journaled, counted), movement.Payload);
        using var payload = JsonDocument.Parse(movement.Payload);
        Assert.Equal(JsonNamingPolicy.CamelCase.ConvertName(type.ToString()), payload.RootElement.GetProperty("warehouseEventType").GetString());
    }

    [Fact]
    public void A_pick_or_a_count_that_changed_nothing_moves_no_value()
    {
        Assert.Null(StockMovementEvents.Of(Journaled(WarehouseEventType.Picked, withOptionals: true)));
        Assert.Null(StockMovementEvents.Of(Journaled(WarehouseEventType.Counted, withOptionals: false), countDifference: 0));
        Assert.Null(StockMovementEvents.Of(Journaled(WarehouseEventType.Counted, withOptionals: false), countDifference: null));
    }
}
