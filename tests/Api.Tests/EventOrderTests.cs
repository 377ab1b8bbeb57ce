using System.Text.Json;
using static Distribution.Tests.Api.ApiTestClient;
using static Distribution.Tests.Api.EventTestClient;

namespace Distribution.Tests.Api;

/// <summary>Picks, shipments and receipts as they reach orders: status, totals, timeline and reservations.</summary>
public sealed class EventOrderTests(HubFactory factory) : IClassFixture<HubFactory>
{
    private static readonly DateTimeOffset AsOf = new(2025, 3, 3, 8, 0, 0, TimeSpan.Zero);

    private readonly HttpClient _client = factory.CreateClient();

    /// <summary>One SKU stocked only at one warehouse, and an order for <paramref name="quantity"/> of it allocated there.</summary>
    private async Task<(string Sku, string Warehouse, string OrderId)> SeedOrderAsync(int onHand, int quantity)
    {
        var (sku, warehouse) = await _client.SeedOneSkuAsync(AsOf, onHand);
        var orderId = Unique("ORD");
        var order = await _client.PlaceOrderAsync(Order(orderId, lines: ("1", sku, quantity)));
        Assert.Equal("allocated", order.Str("status"));
        var allocation = Assert.Single(order.GetProperty("lines")[0].GetProperty("allocations").EnumerateArray());
        Assert.Equal((warehouse, quantity), (allocation.Str("warehouseId"), allocation.Int("quantity")));
        await _client.GetSkuLocationUntilAsync(warehouse, sku, p => p.Int("reserved") == quantity);
        return (sku, warehouse, orderId);
    }

    private static Dictionary<string, object?> Pick(string warehouse, string sku, string orderId, int quantity, DateTimeOffset? at = null) =>
        Event("Picked", warehouse, sku, quantity, occurredAt: at, orderId: orderId, lineId: "1");

    private static Dictionary<string, object?> Ship(string warehouse, string sku, string orderId, int quantity, DateTimeOffset? at = null) =>
        Event("Shipped", warehouse, sku, quantity, occurredAt: at, orderId: orderId, lineId: "1");

    private static JsonElement LastTimelineEntry(JsonElement order) => order.GetProperty("timeline").EnumerateArray().Last();

    [Fact]
    public async Task Pick_and_ship_walk_the_order_released_partiallyShipped_shipped_with_correlation_ids_on_the_timeline()
    {
        var (sku, warehouse, orderId) = await SeedOrderAsync(onHand: 10, quantity: 5);
        var t0 = Now().AddMinutes(-10);

        var pickedAt = t0;
        var pickCorrelation = Unique("corr-pick");
        var pick = Pick(warehouse, sku, orderId, 5, pickedAt);
        Assert.Equal(["accepted"], (await _client.PostEventsAsync(pickCorrelation, pick)).Verdicts());
        var order = await _client.GetOrderUntilAsync(orderId, o => o.Str("status") == "released");
        Assert.Equal("released", order.Str("status"));
        Assert.Equal((5, 0), (order.GetProperty("lines")[0].Int("pickedQuantity"), order.GetProperty("lines")[0].Int("shippedQuantity")));
        var entry = LastTimelineEntry(order);
        Assert.Equal(("released", pickCorrelation), (entry.Str("status"), entry.Str("correlationId")));
        Assert.Equal(pickedAt, entry.GetProperty("at").GetDateTimeOffset());
        var position = await _client.GetSkuLocationAfterAsync(warehouse, sku, pick.Id());
        Assert.Equal((5, 0, 5), (position.Int("onHand"), position.Int("reserved"), position.Int("available")));
        Assert.Equal(0, position.GetProperty("reservations").GetArrayLength());

        var firstShipAt = t0.AddMinutes(2);
        var firstShipCorrelation = Unique("corr-ship1");
        Assert.Equal(["accepted"], (await _client.PostEventsAsync(firstShipCorrelation, Ship(warehouse, sku, orderId, 2, firstShipAt))).Verdicts());
        order = await _client.GetOrderUntilAsync(orderId, o => o.Str("status") == "partiallyShipped");
        Assert.Equal("partiallyShipped", order.Str("status"));
        Assert.Equal((5, 2), (order.GetProperty("lines")[0].Int("pickedQuantity"), order.GetProperty("lines")[0].Int("shippedQuantity")));
        entry = LastTimelineEntry(order);
        Assert.Equal(("partiallyShipped", firstShipCorrelation), (entry.Str("status"), entry.Str("correlationId")));
        Assert.Equal(firstShipAt, entry.GetProperty("at").GetDateTimeOffset());

        var lastShipAt = t0.AddMinutes(3);
        var lastShipCorrelation = Unique("corr-ship2");
        var lastShip = Ship(warehouse, sku, orderId, 3, lastShipAt);
        Assert.Equal(["accepted"], (await _client.PostEventsAsync(lastShipCorrelation, lastShip)).Verdicts());
        order = await _client.GetOrderUntilAsync(orderId, o => o.Str("status") == "shipped");
        Assert.Equal("shipped", order.Str("status"));
        Assert.Equal((5, 5), (order.GetProperty("lines")[0].Int("pickedQuantity"), order.GetProperty("lines")[0].Int("shippedQuantity")));
        entry = LastTimelineEntry(order);
        Assert.Equal(("shipped", lastShipCorrelation), (entry.Str("status"), entry.Str("correlationId")));
        Assert.Equal(lastShipAt, entry.GetProperty("at").GetDateTimeOffset());
        var statuses = order.GetProperty("timeline").EnumerateArray().Select(e => e.Str("status") ?? "(none)").ToList();
        Assert.Equal(["released", "partiallyShipped", "shipped"], statuses.Skip(statuses.IndexOf("released")));

        // Picking took the units off on-hand; shipping what was picked takes nothing more.
        position = await _client.SettleAsync(warehouse, sku);
        Assert.Equal((6, 0), (position.Int("onHand"), position.Int("reserved")));
        var fulfilment = Assert.Single(position.GetProperty("fulfilments").EnumerateArray());
        Assert.Equal((orderId, "1", warehouse, 5, 5), (fulfilment.Str("orderId"), fulfilment.Str("lineId"), fulfilment.Str("warehouseId"), fulfilment.Int("picked"), fulfilment.Int("shipped")));
    }

    [Fact]
    public async Task Shipped_before_Picked_ends_with_the_same_stock_and_order_as_Picked_then_Shipped()
    {
        var (skuA, warehouseA, orderA) = await SeedOrderAsync(onHand: 10, quantity: 4);
        var (skuB, warehouseB, orderB) = await SeedOrderAsync(onHand: 10, quantity: 4);
        var at = Now().AddMinutes(-5);

        await _client.PostEventsAsync(Pick(warehouseA, skuA, orderA, 4, at));
        await _client.PostEventsAsync(Ship(warehouseA, skuA, orderA, 4, at.AddMinutes(1)));
        await _client.PostEventsAsync(Ship(warehouseB, skuB, orderB, 4, at.AddMinutes(1)));
        await _client.PostEventsAsync(Pick(warehouseB, skuB, orderB, 4, at));

        var a = await _client.SettleAsync(warehouseA, skuA);
        var b = await _client.SettleAsync(warehouseB, skuB);
        Assert.Equal((7, 0, 7), (a.Int("onHand"), a.Int("reserved"), a.Int("available")));
        Assert.Equal((a.Int("onHand"), a.Int("reserved"), a.Int("available")), (b.Int("onHand"), b.Int("reserved"), b.Int("available")));
        foreach (var (position, orderId) in new[] { (a, orderA), (b, orderB) })
        {
            var fulfilment = Assert.Single(position.GetProperty("fulfilments").EnumerateArray());
            Assert.Equal((4, 4), (fulfilment.Int("picked"), fulfilment.Int("shipped")));
            var order = await _client.GetOrderUntilAsync(orderId, o => o.Str("status") == "shipped" && o.GetProperty("lines")[0].Int("pickedQuantity") == 4);
            Assert.Equal("shipped", order.Str("status"));
            Assert.Equal((4, 4), (order.GetProperty("lines")[0].Int("pickedQuantity"), order.GetProperty("lines")[0].Int("shippedQuantity")));
        }

        Assert.DoesNotContain(
            (await _client.ListExceptionsAsync($"warehouseId={warehouseB}")).GetProperty("items").EnumerateArray(),
            e => e.Str("kind") is "deadLetter" or "negativeStock");
    }

    [Fact]
    public async Task Partial_pick_leaves_the_rest_reserved_and_releases_the_order()
    {
        var (sku, warehouse, orderId) = await SeedOrderAsync(onHand: 10, quantity: 5);

        var pick = Pick(warehouse, sku, orderId, 2);
        await _client.PostEventsAsync(pick);

        var position = await _client.GetSkuLocationAfterAsync(warehouse, sku, pick.Id());
        Assert.Equal((8, 3, 5), (position.Int("onHand"), position.Int("reserved"), position.Int("available")));
        var reservation = Assert.Single(position.GetProperty("reservations").EnumerateArray());
        Assert.Equal((orderId, "1", 3), (reservation.Str("orderId"), reservation.Str("lineId"), reservation.Int("quantity")));
        var order = await _client.GetOrderUntilAsync(orderId, o => o.Str("status") == "released");
        Assert.Equal(("released", 2, 0), (order.Str("status"), order.GetProperty("lines")[0].Int("pickedQuantity"), order.GetProperty("lines")[0].Int("shippedQuantity")));
    }

    [Fact]
    public async Task Shipping_more_than_reserved_is_dead_lettered_with_the_original_payload_and_changes_nothing()
    {
        var (sku, warehouse, orderId) = await SeedOrderAsync(onHand: 10, quantity: 3);
        var occurredAt = Now().AddMinutes(-1);
        var correlationId = Unique("corr-overship");
        var ship = Event("Shipped", warehouse, sku, 5, occurredAt: occurredAt, orderId: orderId, lineId: "1", sequence: 42);

        Assert.Equal(["accepted"], (await _client.PostEventsAsync(correlationId, ship)).Verdicts());

        var exception = await _client.GetExceptionUntilAsync(EventExceptionId(ship.Id()));
        Assert.Equal((EventExceptionId(ship.Id()), "deadLetter", "open"), (exception.Str("id"), exception.Str("kind"), exception.Str("status")));
        Assert.Equal((warehouse, sku, orderId, "1"), (exception.Str("warehouseId"), exception.Str("sku"), exception.Str("orderId"), exception.Str("lineId")));
        Assert.True(exception.GetProperty("retryable").GetBoolean());
        Assert.Equal(correlationId, exception.Str("correlationId"));
        Assert.Equal(occurredAt, exception.GetProperty("occurredAt").GetDateTimeOffset());
        Assert.True(exception.GetProperty("journalSequence").GetInt64() > 0);
        Assert.False(string.IsNullOrWhiteSpace(exception.Str("reason")));
        var payload = exception.GetProperty("event");
        Assert.Equal((ship.Id(), warehouse, sku, 5), (payload.Str("eventId"), payload.Str("warehouseId"), payload.Str("sku"), payload.Int("quantity")));
        Assert.Equal("shipped", payload.Str("type"), ignoreCase: true);
        Assert.Equal((orderId, "1"), (payload.Str("orderId"), payload.Str("lineId")));
        Assert.Equal(occurredAt, payload.GetProperty("occurredAt").GetDateTimeOffset());
        Assert.Equal(42, payload.GetProperty("sequence").GetInt64());
        Assert.Equal("raised", exception.GetProperty("history")[0].Str("action"));

        var position = await _client.SettleAsync(warehouse, sku);
        Assert.Equal((11, 3, 8), (position.Int("onHand"), position.Int("reserved"), position.Int("available")));
        Assert.Empty(position.MovementsOf(ship.Id()));
        Assert.Empty(position.GetProperty("fulfilments").EnumerateArray());
        var order = await _client.GetOrderAsync(orderId);
        Assert.Equal(("allocated", 0, 0), (order.Str("status"), order.GetProperty("lines")[0].Int("pickedQuantity"), order.GetProperty("lines")[0].Int("shippedQuantity")));
    }

    [Fact]
    public async Task Picking_for_an_order_line_without_a_reservation_at_the_warehouse_is_dead_lettered()
    {
        var (sku, warehouse) = await _client.SeedOneSkuAsync(AsOf, 10);
        var pick = Event("Picked", warehouse, sku, 1, orderId: Unique("ORD"), lineId: "1");

        await _client.PostEventsAsync(pick);

        var exception = await _client.GetExceptionUntilAsync(EventExceptionId(pick.Id()));
        Assert.Equal(("deadLetter", "open"), (exception.Str("kind"), exception.Str("status")));
        var position = await _client.SettleAsync(warehouse, sku);
        Assert.Equal(11, position.Int("onHand"));
    }

    [Fact]
    public async Task Received_stock_wakes_a_backordered_order()
    {
        var (sku, warehouse) = await _client.SeedOneSkuAsync(AsOf, onHand: 0);
        var orderId = Unique("ORD");
        var placed = await _client.PlaceOrderAsync(Order(orderId, allowBackorder: true, lines: ("1", sku, 4)));
        Assert.Equal("backordered", placed.Str("status"));
        await _client.GetAvailabilityUntilAsync(sku, v => v.Int("backordered") == 4, TimeoutMs);

        var receipt = Event("Received", warehouse, sku, 10);
        Assert.Equal(["accepted"], (await _client.PostEventsAsync(receipt)).Verdicts());

        var order = await _client.GetOrderUntilAsync(orderId, o => o.Str("status") == "allocated");
        Assert.Equal("allocated", order.Str("status"));
        var line = order.GetProperty("lines")[0];
        Assert.Equal(0, line.Int("backorderedQuantity"));
        var allocation = Assert.Single(line.GetProperty("allocations").EnumerateArray());
        Assert.Equal((warehouse, 4), (allocation.Str("warehouseId"), allocation.Int("quantity")));
        var position = await _client.GetSkuLocationUntilAsync(warehouse, sku, p => p.Int("reserved") == 4);
        Assert.Equal((10, 4, 6), (position.Int("onHand"), position.Int("reserved"), position.Int("available")));
        var availability = await _client.GetAvailabilityUntilAsync(sku, v => v.Int("backordered") == 0, TimeoutMs);
        Assert.Equal(0, availability.Int("backordered"));
    }

    [Fact]
    public async Task Allocation_woken_by_a_receipt_carries_the_correlation_id_of_the_events_request()
    {
        var (sku, warehouse) = await _client.SeedOneSkuAsync(AsOf, onHand: 0);
        var orderId = Unique("ORD");
        Assert.Equal("backordered", (await _client.PlaceOrderAsync(Order(orderId, allowBackorder: true, lines: ("1", sku, 4)))).Str("status"));
        await _client.GetAvailabilityUntilAsync(sku, v => v.Int("backordered") == 4, TimeoutMs);
        var correlationId = Unique("corr-receipt");

        await _client.PostEventsAsync(correlationId, Event("Received", warehouse, sku, 10));

        var order = await _client.GetOrderUntilAsync(orderId, o => o.Str("status") == "allocated");
        var last = order.GetProperty("timeline").EnumerateArray().Last();
        Assert.Equal(("allocated", correlationId), (last.Str("status"), last.Str("correlationId")));
    }
}
