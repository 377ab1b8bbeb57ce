using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using static Distribution.Tests.Api.ApiTestClient;
using static Distribution.Tests.Api.EventTestClient;

namespace Distribution.Tests.Api;

/// <summary>GET /v1/finance/feed: applied stock movements in order, paged by cursor; also as webhook events.</summary>
public sealed class FinanceFeedTests(WebhookHubFactory factory) : IClassFixture<WebhookHubFactory>
{
    private static readonly DateTimeOffset AsOf = new(2025, 3, 3, 8, 0, 0, TimeSpan.Zero);

    private readonly HttpClient _client = factory.CreateClient();

    /// <summary>Reads the whole feed page by page (each page's next cursor is the next page's after).</summary>
    private async Task<List<JsonElement>> ReadAllAsync(int limit)
    {
        var items = new List<JsonElement>();
        string? after = null;
        while (true)
        {
            var page = await _client.GetJsonAsync($"/v1/finance/feed?limit={limit}" + (after is null ? "" : $"&after={after}"));
            var batch = page.GetProperty("items").EnumerateArray().ToList();
            Assert.True(batch.Count <= limit);
            items.AddRange(batch);
            if (batch.Count > 0)
            {
                Assert.Equal(batch[^1].Str("cursor"), page.Str("next"));
            }

            if (!page.GetProperty("hasMore").GetBoolean())
            {
                // Past the end: nothing, and the same cursor; unless entries were appended meanwhile
                // (events of this test still arriving), which are then read on.
                var end = await _client.GetJsonAsync($"/v1/finance/feed?limit={limit}&after={page.Str("next")}");
                if (end.GetProperty("items").GetArrayLength() == 0)
                {
                    Assert.Equal(page.Str("next"), end.Str("next"));
                    return items;
                }
            }

            after = page.Str("next");
        }
    }

    [Fact]
    public async Task Receipts_adjustments_and_shipments_are_exported_in_order_with_a_cursor_and_as_webhook_events()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using (var subscribed = await _client.PostAsJsonAsync("/v1/subscriptions", new { url = receiver.Url, eventTypes = new[] { "finance.receipt" }, secret = "whsec-feed-0123456789" }))
        {
            await EnsureAsync(subscribed, HttpStatusCode.Created);
        }

        var (sku, warehouse) = await _client.SeedOneSkuAsync(AsOf, 10);
        var orderId = Unique("ORD");
        using (var placed = await _client.PostOrderAsync(Order(orderId, lines: ("1", sku, 2))))
        {
            await EnsureAsync(placed, HttpStatusCode.Created);
        }

        var received = Event("Received", warehouse, sku, 5);
        var adjusted = Event("Adjusted", warehouse, sku, -1, reasonCode: "DAMAGE");
        var shipped = Event("Shipped", warehouse, sku, 2, orderId: orderId, lineId: "1");
        await _client.PostEventsAsync(received, adjusted, shipped);
        await _client.PostEventsAsync(received); // a duplicate adds nothing

        var mine = await EventuallyAsync(
            async () => JsonSerializer.SerializeToElement((await ReadAllAsync(limit: 2)).Where(i => i.Str("warehouseId") == warehouse).ToList()),
            list => list.GetArrayLength() >= 3,
            timeoutMs: 15_000);
        var entries = mine.EnumerateArray().ToList();
        Assert.Equal(
            [("finance.receipt", received.Id(), 5), ("finance.adjustment", adjusted.Id(), -1), ("finance.shipment", shipped.Id(), -2)],
            entries.Select(e => (e.Str("type"), e.GetProperty("data").Str("warehouseEventId"), e.GetProperty("data").Int("quantity"))));
        Assert.Equal(orderId, entries[2].GetProperty("data").Str("orderId"));
        Assert.Equal("DAMAGE", entries[1].GetProperty("data").Str("reasonCode"));
        var cursors = entries.Select(e => long.Parse(e.Str("cursor")!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(cursors.Order(), cursors);
        Assert.Equal(cursors.Count, cursors.Distinct().Count());

        // Reading after a cursor starts right behind it.
        var afterFirst = await _client.GetJsonAsync($"/v1/finance/feed?after={entries[0].Str("cursor")}&limit=1000");
        Assert.Contains(afterFirst.GetProperty("items").EnumerateArray(), i => i.Str("cursor") == entries[1].Str("cursor"));
        Assert.DoesNotContain(afterFirst.GetProperty("items").EnumerateArray(), i => i.Str("cursor") == entries[0].Str("cursor"));

        var delivered = await receiver.DeliveredUntilAsync(d => d.Any(x => x.Json.GetProperty("data").Str("warehouseEventId") == received.Id()));
        Assert.Single(delivered, x => x.Json.GetProperty("data").Str("warehouseEventId") == received.Id());
    }

    [Fact]
    public async Task A_count_is_exported_as_the_adjustment_it_implies_and_a_count_that_changes_nothing_is_not()
    {
        var (sku, warehouse) = await _client.SeedOneSkuAsync(AsOf, 10);
        var down = Event("Counted", warehouse, sku, 7);
        var same = Event("Counted", warehouse, sku, 7);
        var up = Event("Counted", warehouse, sku, 9, reasonCode: "CYCLE");
        var marker = Event("Adjusted", warehouse, sku, 1, reasonCode: "FOUND");
        await _client.PostEventsAsync(down, same, up, marker);
        await _client.PostEventsAsync(down); // a duplicate adds nothing

        var mine = await EventuallyAsync(
            async () => JsonSerializer.SerializeToElement((await ReadAllAsync(limit: 500)).Where(i => i.Str("warehouseId") == warehouse).ToList()),
            list => list.EnumerateArray().Any(i => i.GetProperty("data").Str("warehouseEventId") == marker.Id()),
            timeoutMs: 15_000);

        var entries = mine.EnumerateArray().ToList();
        Assert.Equal(
            [("finance.adjustment", down.Id(), -3), ("finance.adjustment", up.Id(), 2), ("finance.adjustment", marker.Id(), 1)],
            entries.Select(e => (e.Str("type"), e.GetProperty("data").Str("warehouseEventId"), e.GetProperty("data").Int("quantity"))));
        Assert.Equal((7, "COUNT"), (entries[0].GetProperty("data").Int("countedQuantity"), entries[0].GetProperty("data").Str("reasonCode")));
        Assert.Equal((9, "CYCLE"), (entries[1].GetProperty("data").Int("countedQuantity"), entries[1].GetProperty("data").Str("reasonCode")));
        Assert.False(entries[2].GetProperty("data").TryGetProperty("countedQuantity", out _));
    }

    [Fact]
    public async Task A_bad_cursor_or_limit_is_refused_naming_the_parameter()
    {
        using (var cursor = await _client.GetAsync("/v1/finance/feed?after=abc"))
        {
            await AssertProblemAsync(cursor, (HttpStatusCode)422, "after");
        }

        using var limit = await _client.GetAsync("/v1/finance/feed?limit=0");
        await AssertProblemAsync(limit, (HttpStatusCode)422, "limit");
    }
}
