using System.Net;
using System.Net.Http.Json;
using static Distribution.Tests.Api.ApiTestClient;
using static Distribution.Tests.Api.EventTestClient;

namespace Distribution.Tests.Api;

/// <summary>POST /v1/events/replay: re-delivering journaled events is harmless; open dead letters of the range are retried.</summary>
public sealed class EventReplayTests(HubFactory factory) : IClassFixture<HubFactory>
{
    private static readonly DateTimeOffset AsOf = new(2025, 3, 3, 8, 0, 0, TimeSpan.Zero);

    private readonly HttpClient _client = factory.CreateClient();

    private async Task<System.Text.Json.JsonElement> ReplayAsync(DateTimeOffset from, DateTimeOffset to, string? warehouseId)
    {
        using var response = await _client.PostAsJsonAsync("/v1/events/replay", new { from, to, warehouseId });
        await EnsureAsync(response, HttpStatusCode.OK);
        return await ReadJsonAsync(response);
    }

    [Fact]
    public async Task Replay_of_an_applied_range_leaves_stock_and_orders_unchanged()
    {
        var (sku, warehouse) = await _client.SeedOneSkuAsync(AsOf, 10);
        var orderId = Unique("ORD");
        await _client.PlaceOrderAsync(Order(orderId, lines: ("1", sku, 5)));
        await _client.GetSkuLocationUntilAsync(warehouse, sku, p => p.Int("reserved") == 5);
        var from = DateTimeOffset.UtcNow.AddSeconds(-1);
        var events = new[]
        {
            Event("Received", warehouse, sku, 3),
            Event("Picked", warehouse, sku, 2, orderId: orderId, lineId: "1"),
            Event("Adjusted", warehouse, sku, -1, reasonCode: "DAMAGE"),
        };
        Assert.Equal(["accepted", "accepted", "accepted"], (await _client.PostEventsAsync(events)).Verdicts());
        var before = await _client.GetSkuLocationAfterAsync(warehouse, sku, events[^1].Id());
        Assert.Equal((10, 3), (before.Int("onHand"), before.Int("reserved")));
        var orderBefore = await _client.GetOrderUntilAsync(orderId, o => o.Str("status") == "released");
        Assert.Equal("released", orderBefore.Str("status"));

        var report = await ReplayAsync(from, DateTimeOffset.UtcNow.AddSeconds(1), warehouse);

        Assert.True(report.Int("redelivered") >= events.Length, report.GetRawText());
        Assert.Equal(0, report.Int("deadLettersRetried"));
        var after = await _client.GetSkuLocationAsync(warehouse, sku);
        Assert.Equal(before.GetRawText(), after.GetRawText());
        var settled = await _client.SettleAsync(warehouse, sku);
        Assert.Equal((11, 3), (settled.Int("onHand"), settled.Int("reserved")));
        Assert.All(events.Where(e => (string)e["type"]! != "Picked"), e => Assert.Single(settled.MovementsOf(e.Id())));
        var fulfilment = Assert.Single(settled.GetProperty("fulfilments").EnumerateArray());
        Assert.Equal((2, 0), (fulfilment.Int("picked"), fulfilment.Int("shipped")));
        var orderAfter = await _client.GetOrderAsync(orderId);
        Assert.Equal(orderBefore.GetProperty("lines").GetRawText(), orderAfter.GetProperty("lines").GetRawText());
        Assert.Equal(orderBefore.GetProperty("timeline").GetArrayLength(), orderAfter.GetProperty("timeline").GetArrayLength());
        Assert.Empty((await _client.ListExceptionsAsync($"warehouseId={warehouse}")).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Replay_of_all_warehouses_twice_changes_nothing()
    {
        var (sku, warehouse) = await _client.SeedOneSkuAsync(AsOf, 10);
        var from = DateTimeOffset.UtcNow.AddSeconds(-1);
        var receipt = Event("Received", warehouse, sku, 4);
        await _client.PostEventsAsync(receipt);
        await _client.GetSkuLocationAfterAsync(warehouse, sku, receipt.Id());
        var to = DateTimeOffset.UtcNow.AddSeconds(1);

        var first = await ReplayAsync(from, to, null);
        var second = await ReplayAsync(from, to, null);

        Assert.True(first.Int("redelivered") >= 1, first.GetRawText());
        Assert.True(second.Int("redelivered") >= 1, second.GetRawText());
        var position = await _client.SettleAsync(warehouse, sku);
        Assert.Equal(15, position.Int("onHand"));
        Assert.Single(position.MovementsOf(receipt.Id()));
    }

    [Fact]
    public async Task Replay_retries_the_open_dead_letters_of_the_range_and_applies_them_once()
    {
        var warehouse = Unique("WH");
        var sku = Unique("SKU");
        await _client.PutWarehouseAsync(warehouse, 50.2, 8.7);
        var from = DateTimeOffset.UtcNow.AddSeconds(-1);
        var receipt = Event("Received", warehouse, sku, 6);
        await _client.PostEventsAsync(receipt);
        var id = EventExceptionId(receipt.Id());
        await _client.GetExceptionUntilAsync(id);
        await _client.PutItemAsync(sku);

        var report = await ReplayAsync(from, DateTimeOffset.UtcNow.AddSeconds(1), warehouse);

        Assert.True(report.Int("redelivered") >= 1, report.GetRawText());
        Assert.Equal(1, report.Int("deadLettersRetried"));
        var resolved = await _client.GetExceptionUntilAsync(id, e => e.Str("status") == "resolved");
        Assert.Equal(("resolved", 1), (resolved.Str("status"), resolved.Int("retries")));
        var position = await _client.SettleAsync(warehouse, sku);
        Assert.Equal(7, position.Int("onHand"));
        Assert.Single(position.MovementsOf(receipt.Id()));
    }

    [Fact]
    public async Task Replay_of_a_range_without_events_redelivers_nothing()
    {
        var report = await ReplayAsync(DateTimeOffset.UtcNow.AddDays(1), DateTimeOffset.UtcNow.AddDays(2), Unique("WH"));

        Assert.Equal((0, 0), (report.Int("redelivered"), report.Int("deadLettersRetried")));
    }

    [Theory]
    [InlineData("""{"from":"2025-03-03T10:00:00Z","to":"2025-03-03T09:00:00Z"}""")]
    [InlineData("""{"from":"2025-03-03T10:00:00Z","to":"2025-03-03T10:00:00Z"}""")]
    [InlineData("""{"from":"2025-03-03T10:00:00Z"}""")]
    [InlineData("""{}""")]
    public async Task Replay_without_a_forward_range_is_422_naming_to(string body)
    {
        using var response = await _client.PostAsync("/v1/events/replay", RawJson(body));

        await AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "to");
    }
}
