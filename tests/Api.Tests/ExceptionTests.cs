using System.Net;
using System.Text.Json;
using static Distribution.Tests.Api.ApiTestClient;
using static Distribution.Tests.Api.EventTestClient;

namespace Distribution.Tests.Api;

/// <summary>
/// The exception queue as an operator uses it: accepted events that cannot be applied become dead
/// letters holding the event, a retry re-drives them exactly once, a resolve closes them with a note.
/// </summary>
public sealed class ExceptionTests(HubFactory factory) : IClassFixture<HubFactory>
{
    private static readonly DateTimeOffset AsOf = new(2025, 3, 3, 8, 0, 0, TimeSpan.Zero);

    private readonly HttpClient _client = factory.CreateClient();

    /// <summary>A new warehouse and a SKU id that is not (yet) an item.</summary>
    private async Task<(string Warehouse, string UnknownSku)> SeedWarehouseAsync()
    {
        var warehouse = Unique("WH");
        await _client.PutWarehouseAsync(warehouse, 50.2, 8.7);
        return (warehouse, Unique("SKU"));
    }

    /// <summary>A receipt for a SKU that is not an item yet, dead-lettered.</summary>
    private async Task<(string Warehouse, string Sku, Dictionary<string, object?> Event, JsonElement Exception)> DeadLetterUnknownSkuAsync(int quantity)
    {
        var (warehouse, sku) = await SeedWarehouseAsync();
        var receipt = Event("Received", warehouse, sku, quantity);
        Assert.Equal(["accepted"], (await _client.PostEventsAsync(receipt)).Verdicts());
        var exception = await _client.GetExceptionUntilAsync(EventExceptionId(receipt.Id()));
        return (warehouse, sku, receipt, exception);
    }

    [Fact]
    public async Task Event_for_an_unknown_sku_is_accepted_then_dead_lettered_with_its_payload()
    {
        var (warehouse, sku, receipt, exception) = await DeadLetterUnknownSkuAsync(quantity: 6);

        Assert.Equal((EventExceptionId(receipt.Id()), "deadLetter", "open"), (exception.Str("id"), exception.Str("kind"), exception.Str("status")));
        Assert.Equal((warehouse, sku), (exception.Str("warehouseId"), exception.Str("sku")));
        Assert.Contains(sku, exception.Str("reason"), StringComparison.Ordinal);
        Assert.True(exception.GetProperty("retryable").GetBoolean());
        Assert.Equal((1, 0), (exception.Int("occurrences"), exception.Int("retries")));
        var payload = exception.GetProperty("event");
        Assert.Equal((receipt.Id(), warehouse, sku, 6), (payload.Str("eventId"), payload.Str("warehouseId"), payload.Str("sku"), payload.Int("quantity")));
        Assert.Equal((DateTimeOffset)receipt["occurredAt"]!, payload.GetProperty("occurredAt").GetDateTimeOffset());
        using var position = await _client.GetAsync($"/v1/warehouses/{warehouse}/skus/{sku}");
        Assert.Equal(HttpStatusCode.NotFound, position.StatusCode);
    }

    [Fact]
    public async Task Unknown_sku_dead_letter_is_applied_once_after_the_item_is_created_and_retried()
    {
        var (warehouse, sku, receipt, exception) = await DeadLetterUnknownSkuAsync(quantity: 6);
        var id = exception.Str("id")!;
        await _client.PutItemAsync(sku);
        var correlationId = Unique("corr-retry");

        using var retry = await _client.RetryExceptionAsync(id, correlationId);

        await EnsureAsync(retry, HttpStatusCode.OK);
        var retried = await ReadJsonAsync(retry);
        Assert.Contains(retried.Str("status"), new[] { "retrying", "resolved" });
        Assert.Equal(1, retried.Int("retries"));
        var resolved = await _client.GetExceptionUntilAsync(id, e => e.Str("status") == "resolved");
        Assert.Equal("resolved", resolved.Str("status"));
        Assert.False(string.IsNullOrWhiteSpace(resolved.Str("resolutionNote")));
        var history = resolved.GetProperty("history").EnumerateArray().ToList();
        Assert.Equal("raised", history[0].Str("action"));
        Assert.Contains(history, h => h.Str("action") == "retried" && h.Str("correlationId") == correlationId);
        Assert.Equal("resolved", history[^1].Str("action"));

        var position = await _client.GetSkuLocationAfterAsync(warehouse, sku, receipt.Id());
        Assert.Equal(6, position.Int("onHand"));
        position = await _client.SettleAsync(warehouse, sku);
        Assert.Equal(7, position.Int("onHand"));
        Assert.Single(position.MovementsOf(receipt.Id()));

        using var again = await _client.RetryExceptionAsync(id);
        await AssertProblemAsync(again, HttpStatusCode.Conflict, "status");
        position = await _client.SettleAsync(warehouse, sku);
        Assert.Equal(8, position.Int("onHand"));
        Assert.Single(position.MovementsOf(receipt.Id()));
    }

    [Fact]
    public async Task Retrying_twice_at_once_applies_the_event_once()
    {
        var (warehouse, sku, receipt, exception) = await DeadLetterUnknownSkuAsync(quantity: 6);
        var id = exception.Str("id")!;
        await _client.PutItemAsync(sku);

        var responses = await Task.WhenAll(_client.RetryExceptionAsync(id), _client.RetryExceptionAsync(id));

        try
        {
            Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.Conflict }));
            var succeeded = responses.Count(r => r.StatusCode == HttpStatusCode.OK);
            Assert.True(succeeded >= 1, "at least one retry must go through");
            var resolved = await _client.GetExceptionUntilAsync(id, e => e.Str("status") == "resolved");
            Assert.Equal("resolved", resolved.Str("status"));
            Assert.Equal(succeeded, resolved.Int("retries"));
            var position = await _client.SettleAsync(warehouse, sku);
            Assert.Equal(6 + 1, position.Int("onHand"));
            Assert.Single(position.MovementsOf(receipt.Id()));
        }
        finally
        {
            foreach (var response in responses)
            {
                response.Dispose();
            }
        }
    }

    [Fact]
    public async Task Retry_that_fails_again_reopens_the_exception_and_changes_nothing()
    {
        var (warehouse, sku, _, exception) = await DeadLetterUnknownSkuAsync(quantity: 6);
        var id = exception.Str("id")!;

        using var retry = await _client.RetryExceptionAsync(id);

        await EnsureAsync(retry, HttpStatusCode.OK);
        var reopened = await _client.GetExceptionUntilAsync(id, e => e.Str("status") == "open" && e.Int("retries") == 1);
        Assert.Equal(("open", 1), (reopened.Str("status"), reopened.Int("retries")));
        Assert.Contains(reopened.GetProperty("history").EnumerateArray(), h => h.Str("action") == "reopened");
        // Still retryable once the cause is fixed.
        await _client.PutItemAsync(sku);
        using var second = await _client.RetryExceptionAsync(id);
        await EnsureAsync(second, HttpStatusCode.OK);
        await _client.GetExceptionUntilAsync(id, e => e.Str("status") == "resolved");
        var position = await _client.SettleAsync(warehouse, sku);
        Assert.Equal(7, position.Int("onHand"));
    }

    [Fact]
    public async Task Resolve_closes_an_exception_with_a_note_and_resolving_twice_is_harmless()
    {
        var (sku, warehouse) = await _client.SeedOneSkuAsync(AsOf, 10);
        var transfer = Event("TransferReceived", warehouse, sku, 3, transferId: Unique("TR"));
        await _client.PostEventsAsync(transfer);
        var id = EventExceptionId(transfer.Id());
        var exception = await _client.GetExceptionUntilAsync(id);
        Assert.Equal(("deadLetter", "open"), (exception.Str("kind"), exception.Str("status")));
        Assert.Contains("unknown transfer", exception.Str("reason"), StringComparison.OrdinalIgnoreCase);
        var correlationId = Unique("corr-resolve");

        using var resolve = await _client.ResolveExceptionAsync(id, "booked by hand in the WMS", correlationId);

        await EnsureAsync(resolve, HttpStatusCode.OK);
        var resolved = await ReadJsonAsync(resolve);
        Assert.Equal(("resolved", "booked by hand in the WMS"), (resolved.Str("status"), resolved.Str("resolutionNote")));
        var last = resolved.GetProperty("history").EnumerateArray().Last();
        Assert.Equal(("resolved", "booked by hand in the WMS", correlationId), (last.Str("action"), last.Str("note"), last.Str("correlationId")));
        Assert.Equal(resolved.GetRawText(), (await _client.GetJsonAsync($"/v1/exceptions/{id}")).GetRawText());

        using var twice = await _client.ResolveExceptionAsync(id, "another note");
        await EnsureAsync(twice, HttpStatusCode.OK);
        var after = await _client.GetJsonAsync($"/v1/exceptions/{id}");
        Assert.Equal(("resolved", "booked by hand in the WMS"), (after.Str("status"), after.Str("resolutionNote")));
        Assert.Single(after.GetProperty("history").EnumerateArray(), h => h.Str("action") == "resolved");

        using var retry = await _client.RetryExceptionAsync(id);
        await AssertProblemAsync(retry, HttpStatusCode.Conflict, "status");
        Assert.Equal(11, (await _client.SettleAsync(warehouse, sku)).Int("onHand"));
        var open = await _client.ListExceptionsAsync($"warehouseId={warehouse}&status=open");
        Assert.DoesNotContain(open.GetProperty("items").EnumerateArray(), e => e.Str("id") == id);
        var closed = await _client.ListExceptionsAsync($"warehouseId={warehouse}&status=resolved");
        Assert.Contains(closed.GetProperty("items").EnumerateArray(), e => e.Str("id") == id);
    }

    [Fact]
    public async Task Resolve_without_a_body_is_200()
    {
        var (sku, warehouse) = await _client.SeedOneSkuAsync(AsOf, 10);
        var purchase = Event("PurchaseReceived", warehouse, sku, 3, purchaseOrderId: Unique("PO"));
        await _client.PostEventsAsync(purchase);
        var id = EventExceptionId(purchase.Id());
        await _client.GetExceptionUntilAsync(id);

        using var response = await _client.PostAsync($"/v1/exceptions/{id}/resolve", RawJson("{}"));

        await EnsureAsync(response, HttpStatusCode.OK);
        Assert.Equal("resolved", (await ReadJsonAsync(response)).Str("status"));
    }

    [Fact]
    public async Task Transfer_and_purchase_receipts_are_dead_lettered_naming_the_unknown_reference()
    {
        var (sku, warehouse) = await _client.SeedOneSkuAsync(AsOf, 10);
        var transferId = Unique("TR");
        var purchaseOrderId = Unique("PO");
        var shipped = Event("TransferShipped", warehouse, sku, 2, transferId: transferId);
        var received = Event("TransferReceived", warehouse, sku, 2, transferId: transferId);
        var purchase = Event("PurchaseReceived", warehouse, sku, 5, purchaseOrderId: purchaseOrderId);

        Assert.Equal(["accepted", "accepted", "accepted"], (await _client.PostEventsAsync(shipped, received, purchase)).Verdicts());

        foreach (var e in new[] { shipped, received })
        {
            var exception = await _client.GetExceptionUntilAsync(EventExceptionId(e.Id()));
            Assert.Equal("deadLetter", exception.Str("kind"));
            Assert.Contains("unknown transfer", exception.Str("reason"), StringComparison.OrdinalIgnoreCase);
            Assert.Contains(transferId, exception.Str("reason"), StringComparison.Ordinal);
            Assert.Equal(transferId, exception.GetProperty("event").Str("transferId"));
        }

        var po = await _client.GetExceptionUntilAsync(EventExceptionId(purchase.Id()));
        Assert.Equal("deadLetter", po.Str("kind"));
        Assert.Contains("unknown purchase order", po.Str("reason"), StringComparison.OrdinalIgnoreCase);
        Assert.Contains(purchaseOrderId, po.Str("reason"), StringComparison.Ordinal);
        var position = await _client.SettleAsync(warehouse, sku);
        Assert.Equal(11, position.Int("onHand"));
    }

    [Fact]
    public async Task Event_for_an_unknown_warehouse_is_accepted_then_dead_lettered()
    {
        var (sku, _) = await _client.SeedOneSkuAsync(AsOf, 10);
        var warehouse = Unique("NOWH");
        var receipt = Event("Received", warehouse, sku, 4);

        Assert.Equal(["accepted"], (await _client.PostEventsAsync(receipt)).Verdicts());

        var exception = await _client.GetExceptionUntilAsync(EventExceptionId(receipt.Id()));
        Assert.Equal(("deadLetter", "open", warehouse, sku), (exception.Str("kind"), exception.Str("status"), exception.Str("warehouseId"), exception.Str("sku")));
        Assert.Contains(warehouse, exception.Str("reason"), StringComparison.Ordinal);
        Assert.Equal(receipt.Id(), exception.GetProperty("event").Str("eventId"));
        var listed = await _client.ListExceptionsAsync($"warehouseId={warehouse}");
        Assert.Equal(1, listed.Int("total"));
        var availability = await _client.GetAvailabilityAsync(sku);
        Assert.DoesNotContain(availability.GetProperty("locations").EnumerateArray(), l => l.Str("warehouseId") == warehouse);
    }

    [Fact]
    public async Task Unknown_warehouse_dead_letter_applies_once_after_the_warehouse_is_created_and_retried()
    {
        var (sku, _) = await _client.SeedOneSkuAsync(AsOf, 10);
        var warehouse = Unique("LATEWH");
        var receipt = Event("Received", warehouse, sku, 4);
        await _client.PostEventsAsync(receipt);
        var id = EventExceptionId(receipt.Id());
        await _client.GetExceptionUntilAsync(id);
        await _client.PutWarehouseAsync(warehouse, 52.5, 13.4);

        using var retry = await _client.RetryExceptionAsync(id);

        await EnsureAsync(retry, HttpStatusCode.OK);
        var resolved = await _client.GetExceptionUntilAsync(id, e => e.Str("status") != "retrying");
        Assert.Equal("resolved", resolved.Str("status"));
        var position = await _client.SettleAsync(warehouse, sku);
        Assert.Equal(5, position.Int("onHand"));
        Assert.Single(position.MovementsOf(receipt.Id()));
        var availability = await _client.GetAvailabilityUntilAsync(sku, v => v.GetProperty("locations").EnumerateArray().Any(l => l.Str("warehouseId") == warehouse), TimeoutMs);
        Assert.Equal(5, availability.Location(warehouse).Int("onHand"));
    }

    [Fact]
    public async Task Adjustment_below_zero_is_applied_and_raises_a_negative_stock_exception()
    {
        var (sku, warehouse) = await _client.SeedOneSkuAsync(AsOf, 3);
        var loss = Event("Adjusted", warehouse, sku, -5, reasonCode: "THEFT");

        await _client.PostEventsAsync(loss);

        var position = await _client.GetSkuLocationAfterAsync(warehouse, sku, loss.Id());
        Assert.Equal((-2, 0), (position.Int("onHand"), position.Int("available")));
        var exception = await _client.GetExceptionUntilAsync(NegativeExceptionId(loss.Id()));
        Assert.Equal(("negativeStock", "open", warehouse, sku), (exception.Str("kind"), exception.Str("status"), exception.Str("warehouseId"), exception.Str("sku")));
        Assert.False(exception.GetProperty("retryable").GetBoolean());
        Assert.Equal(loss.Id(), exception.GetProperty("event").Str("eventId"));
        Assert.Equal(JsonValueKind.Null, (await _client.GetExceptionOrNullAsync(EventExceptionId(loss.Id()))).ValueKind);

        using var retry = await _client.RetryExceptionAsync(NegativeExceptionId(loss.Id()));
        await AssertProblemAsync(retry, HttpStatusCode.Conflict);
        using var resolve = await _client.ResolveExceptionAsync(NegativeExceptionId(loss.Id()), "recount scheduled");
        await EnsureAsync(resolve, HttpStatusCode.OK);
        Assert.Equal("resolved", (await ReadJsonAsync(resolve)).Str("status"));
        // Resolving is bookkeeping: the stock stays where the adjustment put it.
        Assert.Equal(-2, (await _client.GetSkuLocationAsync(warehouse, sku)).Int("onHand"));
    }

    [Fact]
    public async Task Counted_brings_negative_stock_back_to_the_counted_figure()
    {
        var (sku, warehouse) = await _client.SeedOneSkuAsync(AsOf, 3);
        var loss = Event("Adjusted", warehouse, sku, -5, reasonCode: "THEFT");
        var count = Event("Counted", warehouse, sku, 4);

        await _client.PostEventsAsync(loss, count);

        var position = await _client.GetSkuLocationAfterAsync(warehouse, sku, count.Id());
        Assert.Equal((4, 4), (position.Int("onHand"), position.Int("available")));
        Assert.Equal((6, 4), (Assert.Single(position.MovementsOf(count.Id())).Int("delta"), Assert.Single(position.MovementsOf(count.Id())).Int("onHandAfter")));
    }

    [Fact]
    public async Task Receipt_while_stock_is_negative_is_applied()
    {
        var (sku, warehouse) = await _client.SeedOneSkuAsync(AsOf, 3);
        var loss = Event("Adjusted", warehouse, sku, -5, reasonCode: "THEFT");
        var receipt = Event("Received", warehouse, sku, 1);

        await _client.PostEventsAsync(loss, receipt);

        var position = await _client.GetSkuLocationUntilAsync(warehouse, sku, p => p.MovementsOf(receipt.Id()).Count > 0);
        Assert.Equal(-1, position.Int("onHand"));
        Assert.Single(position.MovementsOf(receipt.Id()));
        Assert.Equal(JsonValueKind.Null, (await _client.GetExceptionOrNullAsync(EventExceptionId(receipt.Id()))).ValueKind);
    }

    [Fact]
    public async Task Pick_taking_on_hand_below_zero_without_a_reason_is_dead_lettered_as_negative_stock_and_applies_on_retry_after_a_receipt()
    {
        var (sku, warehouse, orderId) = await SeedShortStockOrderAsync();
        var pick = Event("Picked", warehouse, sku, 5, orderId: orderId, lineId: "1");

        await _client.PostEventsAsync(pick);

        var id = EventExceptionId(pick.Id());
        var exception = await _client.GetExceptionUntilAsync(id);
        Assert.Equal(("negativeStock", "open"), (exception.Str("kind"), exception.Str("status")));
        Assert.True(exception.GetProperty("retryable").GetBoolean());
        Assert.Equal((orderId, "1"), (exception.Str("orderId"), exception.Str("lineId")));
        var position = await _client.SettleAsync(warehouse, sku);
        Assert.Equal((3 + 1, 5), (position.Int("onHand"), position.Int("reserved")));
        Assert.Empty(position.MovementsOf(pick.Id()));
        Assert.Equal(JsonValueKind.Null, (await _client.GetExceptionOrNullAsync(NegativeExceptionId(pick.Id()))).ValueKind);

        var receipt = Event("Received", warehouse, sku, 4);
        await _client.PostEventsAsync(receipt);
        await _client.GetSkuLocationAfterAsync(warehouse, sku, receipt.Id());
        using var retry = await _client.RetryExceptionAsync(id);
        await EnsureAsync(retry, HttpStatusCode.OK);

        await _client.GetExceptionUntilAsync(id, e => e.Str("status") == "resolved");
        position = await _client.GetSkuLocationAfterAsync(warehouse, sku, pick.Id());
        Assert.Equal((8 - 5, 0), (position.Int("onHand"), position.Int("reserved")));
        var order = await _client.GetOrderUntilAsync(orderId, o => o.Str("status") == "released");
        Assert.Equal(("released", 5), (order.Str("status"), order.GetProperty("lines")[0].Int("pickedQuantity")));
    }

    [Fact]
    public async Task Pick_taking_on_hand_below_zero_with_a_reason_is_applied_and_raises_negative_stock()
    {
        var (sku, warehouse, orderId) = await SeedShortStockOrderAsync();
        var pick = Event("Picked", warehouse, sku, 5, orderId: orderId, lineId: "1", reasonCode: "SHORT-PICK");

        await _client.PostEventsAsync(pick);

        var position = await _client.GetSkuLocationAfterAsync(warehouse, sku, pick.Id());
        Assert.Equal((-2, 0), (position.Int("onHand"), position.Int("reserved")));
        var exception = await _client.GetExceptionUntilAsync(NegativeExceptionId(pick.Id()));
        Assert.Equal(("negativeStock", "open", orderId), (exception.Str("kind"), exception.Str("status"), exception.Str("orderId")));
        Assert.Equal(JsonValueKind.Null, (await _client.GetExceptionOrNullAsync(EventExceptionId(pick.Id()))).ValueKind);
        var order = await _client.GetOrderUntilAsync(orderId, o => o.Str("status") == "released");
        Assert.Equal("released", order.Str("status"));
    }

    [Fact]
    public async Task Shipping_units_already_picked_into_negative_stock_completes_the_order()
    {
        var (sku, warehouse, orderId) = await SeedShortStockOrderAsync();
        var pick = Event("Picked", warehouse, sku, 5, orderId: orderId, lineId: "1", reasonCode: "SHORT-PICK");
        var ship = Event("Shipped", warehouse, sku, 5, orderId: orderId, lineId: "1");

        await _client.PostEventsAsync(pick, ship);

        var order = await _client.GetOrderUntilAsync(orderId, o => o.Str("status") == "shipped");
        var deadLetter = await _client.GetExceptionOrNullAsync(EventExceptionId(ship.Id()));
        Assert.True(deadLetter.ValueKind == JsonValueKind.Null, $"the shipment was refused: {deadLetter}");
        Assert.Equal(("shipped", 5, 5), (order.Str("status"), order.GetProperty("lines")[0].Int("pickedQuantity"), order.GetProperty("lines")[0].Int("shippedQuantity")));
        var position = await _client.GetSkuLocationAsync(warehouse, sku);
        Assert.Equal(-2, position.Int("onHand"));
    }

    [Fact]
    public async Task Unknown_exception_is_404_for_get_retry_and_resolve()
    {
        var id = $"event:{Unique("NOPE")}";

        using var get = await _client.GetAsync($"/v1/exceptions/{id}");
        using var retry = await _client.RetryExceptionAsync(id);
        using var resolve = await _client.ResolveExceptionAsync(id, "nothing");

        await AssertProblemAsync(get, HttpStatusCode.NotFound, "id");
        await AssertProblemAsync(retry, HttpStatusCode.NotFound, "id");
        await AssertProblemAsync(resolve, HttpStatusCode.NotFound, "id");
    }

    [Theory]
    [InlineData("kind=bogus", "kind")]
    [InlineData("kind=1", "kind")]
    [InlineData("kind=%2B1", "kind")]
    [InlineData("kind=deadLetter,promiseBreach", "kind")]
    [InlineData("status=open,resolved", "status")]
    [InlineData("status=closed", "status")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=501", "limit")]
    [InlineData("offset=-1", "offset")]
    public async Task Bad_list_parameter_is_422_naming_it(string query, string parameter)
    {
        using var response = await _client.GetAsync($"/v1/exceptions?{query}");

        await AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, parameter);
    }

    [Fact]
    public async Task List_filters_by_warehouse_kind_and_status_and_pages_newest_first()
    {
        var (sku, warehouse) = await _client.SeedOneSkuAsync(AsOf, 1);
        var transfers = new List<Dictionary<string, object?>>();
        for (var i = 0; i < 3; i++)
        {
            // One at a time, so they are raised in this order.
            var transfer = Event("TransferShipped", warehouse, sku, 1, transferId: Unique("TR"));
            await _client.PostEventsAsync(transfer);
            await _client.GetExceptionUntilAsync(EventExceptionId(transfer.Id()));
            transfers.Add(transfer);
            await Task.Delay(20);
        }

        var loss = Event("Adjusted", warehouse, sku, -2, reasonCode: "LOSS");
        await _client.PostEventsAsync(loss);
        await _client.GetExceptionUntilAsync(NegativeExceptionId(loss.Id()));

        var all = await _client.ListExceptionsAsync($"warehouseId={warehouse}");
        Assert.Equal(4, all.Int("total"));
        Assert.All(all.GetProperty("items").EnumerateArray(), e => Assert.Equal(warehouse, e.Str("warehouseId")));
        var raisedAt = all.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("raisedAt").GetDateTimeOffset()).ToList();
        Assert.Equal(raisedAt.OrderByDescending(t => t), raisedAt);

        var deadLetters = await _client.ListExceptionsAsync($"warehouseId={warehouse}&kind=deadLetter&status=open");
        Assert.Equal(3, deadLetters.Int("total"));
        Assert.Equal(
            transfers.Select(t => EventExceptionId(t.Id())).Reverse(),
            deadLetters.GetProperty("items").EnumerateArray().Select(e => e.Str("id")));
        var negative = await _client.ListExceptionsAsync($"warehouseId={warehouse}&kind=NEGATIVESTOCK");
        Assert.Equal(NegativeExceptionId(loss.Id()), Assert.Single(negative.GetProperty("items").EnumerateArray()).Str("id"));

        var page1 = await _client.ListExceptionsAsync($"warehouseId={warehouse}&kind=deadLetter&limit=2");
        var page2 = await _client.ListExceptionsAsync($"warehouseId={warehouse}&kind=deadLetter&offset=2&limit=2");
        Assert.Equal((3, 0, 2, 2), (page1.Int("total"), page1.Int("offset"), page1.Int("limit"), page1.GetProperty("items").GetArrayLength()));
        Assert.Equal((3, 2, 2, 1), (page2.Int("total"), page2.Int("offset"), page2.Int("limit"), page2.GetProperty("items").GetArrayLength()));
        Assert.Equal(
            deadLetters.GetProperty("items").EnumerateArray().Select(e => e.Str("id")),
            page1.GetProperty("items").EnumerateArray().Concat(page2.GetProperty("items").EnumerateArray()).Select(e => e.Str("id")));

        var none = await _client.ListExceptionsAsync($"warehouseId={warehouse}&status=resolved");
        Assert.Equal(0, none.Int("total"));
    }

    /// <summary>10 on hand, an order reserving 5, then a newer snapshot counts only 3.</summary>
    private async Task<(string Sku, string Warehouse, string OrderId)> SeedShortStockOrderAsync()
    {
        var (sku, warehouse) = await _client.SeedOneSkuAsync(AsOf, 10);
        var orderId = Unique("ORD");
        var order = await _client.PlaceOrderAsync(Order(orderId, lines: ("1", sku, 5)));
        Assert.Equal("allocated", order.Str("status"));
        await _client.PostSnapshotAsync(warehouse, AsOf.AddHours(1), (sku, 3));
        var position = await _client.GetSkuLocationUntilAsync(warehouse, sku, p => p.Int("onHand") == 3);
        Assert.Equal((3, 5), (position.Int("onHand"), position.Int("reserved")));
        return (sku, warehouse, orderId);
    }
}
