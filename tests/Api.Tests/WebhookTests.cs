using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using static Distribution.Tests.Api.ApiTestClient;
using static Distribution.Tests.Api.EventTestClient;

namespace Distribution.Tests.Api;

/// <summary>
/// Webhooks through the public API and a real receiver on 127.0.0.1: signed deliveries, retries
/// after failures, order per entity, dead letters in the exception queue re-driven by retry,
/// duplicates delivered once; subscription management.
/// </summary>
public sealed class WebhookTests(WebhookHubFactory factory) : IClassFixture<WebhookHubFactory>, IAsyncLifetime
{
    private const string Secret = "whsec-0123456789abcdef";
    private static readonly DateTimeOffset AsOf = new(2025, 3, 3, 8, 0, 0, TimeSpan.Zero);

    private readonly HttpClient _client = factory.CreateClient();
    private WebhookReceiver _receiver = null!;
    private string? _subscriptionId;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync()
    {
        if (_subscriptionId is not null)
        {
            using var _ = await _client.DeleteAsync($"/v1/subscriptions/{_subscriptionId}");
        }

        await _receiver.DisposeAsync();
    }

    private async Task<JsonElement> SubscribeAsync(params string[] eventTypes)
    {
        using var response = await _client.PostAsJsonAsync("/v1/subscriptions", new { url = _receiver.Url, eventTypes, secret = Secret });
        await EnsureAsync(response, HttpStatusCode.Created);
        var subscription = await ReadJsonAsync(response);
        _subscriptionId = subscription.Str("id");
        Assert.Equal($"/v1/subscriptions/{_subscriptionId}", response.Headers.Location?.OriginalString);
        return subscription;
    }

    private async Task<string> PlaceOrderAsync(string sku, int quantity = 1, string? correlationId = null)
    {
        var orderId = Unique("ORD");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/orders") { Content = JsonContent.Create(Order(orderId, lines: ("1", sku, quantity))) };
        if (correlationId is not null)
        {
            request.Headers.Add("X-Correlation-Id", correlationId);
        }

        using var response = await _client.SendAsync(request);
        await EnsureAsync(response, HttpStatusCode.Created);
        return orderId;
    }

    private static bool Has(IReadOnlyList<ReceivedDelivery> delivered, string type, string entityId) =>
        delivered.Any(d => d.Type == type && d.EntityId == entityId);

    [Fact]
    public async Task A_delivery_is_signed_with_the_secret_and_carries_the_event_and_correlation_ids()
    {
        await SubscribeAsync("order.allocated");
        var (sku, warehouse) = await _client.SeedOneSkuAsync(AsOf, 10);
        var orderId = await PlaceOrderAsync(sku, 2, correlationId: "corr-webhook-1");

        var delivery = (await _receiver.DeliveredUntilAsync(d => Has(d, "order.allocated", orderId))).Single(d => d.EntityId == orderId);

        // What a subscriber does: HMAC-SHA256 over "{t}.{body}" with the secret, compared with v1.
        var parts = delivery.Signature.Split(',').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes($"{parts["t"]}.{delivery.Body}")));
        Assert.Equal(expected, parts["v1"]);
        var wrongKey = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes("another-secret-0000"), Encoding.UTF8.GetBytes($"{parts["t"]}.{delivery.Body}")));
        Assert.NotEqual(wrongKey, parts["v1"]);

        Assert.Equal("corr-webhook-1", delivery.CorrelationId);
        var body = delivery.Json;
        Assert.Equal(delivery.EventId, body.Str("id"));
        Assert.Equal(("order.allocated", "order", orderId, "corr-webhook-1"), (body.Str("type"), body.Str("entityKind"), body.Str("entityId"), body.Str("correlationId")));
        var line = Assert.Single(body.GetProperty("data").GetProperty("lines").EnumerateArray());
        var allocation = Assert.Single(line.GetProperty("allocations").EnumerateArray());
        Assert.Equal((warehouse, 2), (allocation.Str("warehouseId"), allocation.Int("quantity")));
        Assert.Equal("allocated", body.GetProperty("data").Str("status"));
    }

    [Fact]
    public async Task A_receiver_that_fails_and_recovers_gets_the_event_after_retries_once()
    {
        await SubscribeAsync("order.allocated");
        var (sku, _) = await _client.SeedOneSkuAsync(AsOf, 10);
        _receiver.Answer = d => d.Attempt <= 2 ? 503 : 200;

        var orderId = await PlaceOrderAsync(sku);

        var delivered = await _receiver.DeliveredUntilAsync(d => Has(d, "order.allocated", orderId));
        var delivery = Assert.Single(delivered, d => d.EntityId == orderId);
        Assert.Equal(3, delivery.Attempt);
        var attempts = _receiver.Attempts.Where(a => a.Delivery.EntityId == orderId).ToList();
        Assert.Equal([503, 503, 200], attempts.Select(a => a.Status));
        Assert.Single(attempts.Select(a => a.Delivery.EventId).Distinct());
    }

    [Fact]
    public async Task A_failing_event_holds_back_its_entity_only_is_dead_lettered_and_retry_delivers_it_then_the_rest_in_order()
    {
        await SubscribeAsync("order.allocated", "order.cancelled");
        var (sku, _) = await _client.SeedOneSkuAsync(AsOf, 10);
        var failing = Unique("ORD");
        _receiver.Answer = d => d.EntityId == failing ? 500 : 200;

        using (var placed = await _client.PostOrderAsync(Order(failing, lines: ("1", sku, 1))))
        {
            await EnsureAsync(placed, HttpStatusCode.Created);
        }

        using (var cancelled = await _client.PostAsync($"/v1/orders/{failing}/cancel", null))
        {
            await EnsureAsync(cancelled, HttpStatusCode.OK);
        }

        // Every attempt fails: the event is dead-lettered into the exception queue.
        var exception = await EventuallyAsync(
            () => _client.GetJsonAsync("/v1/exceptions?kind=webhookFailed&limit=500"),
            page => page.GetProperty("items").EnumerateArray().Any(e => e.Str("orderId") == failing),
            timeoutMs: 15_000);
        var raised = exception.GetProperty("items").EnumerateArray().Single(e => e.Str("orderId") == failing);
        Assert.Equal(("open", true), (raised.Str("status"), raised.GetProperty("retryable").GetBoolean()));

        // Another order's events are not held up by it.
        var other = await PlaceOrderAsync(sku);
        await _receiver.DeliveredUntilAsync(d => Has(d, "order.allocated", other));

        // The failing order's cancellation waits behind its allocation: never even attempted.
        var attempted = _receiver.Attempts.Where(a => a.Delivery.EntityId == failing).Select(a => (a.Delivery.Type, a.Status)).ToList();
        Assert.Equal(Enumerable.Repeat(("order.allocated", 500), WebhookHubFactory.MaxAttempts), attempted);

        // The subscriber is back; retry re-drives the event, and the held-back one follows in order.
        _receiver.Answer = _ => 200;
        using (var retry = await _client.PostAsync($"/v1/exceptions/{Uri.EscapeDataString(raised.Str("id")!)}/retry", null))
        {
            await EnsureAsync(retry, HttpStatusCode.OK);
        }

        var delivered = await _receiver.DeliveredUntilAsync(d => Has(d, "order.cancelled", failing));
        Assert.Equal(["order.allocated", "order.cancelled"], delivered.Where(d => d.EntityId == failing).Select(d => d.Type));
        var resolved = await EventuallyAsync(
            () => _client.GetJsonAsync($"/v1/exceptions/{Uri.EscapeDataString(raised.Str("id")!)}"),
            e => e.Str("status") == "resolved");
        Assert.Equal("resolved", resolved.Str("status"));
    }

    [Fact]
    public async Task A_transition_published_twice_is_delivered_once()
    {
        await SubscribeAsync("order.allocated", "order.cancelled");
        var (sku, _) = await _client.SeedOneSkuAsync(AsOf, 10);
        var orderId = Unique("ORD");
        var order = Order(orderId, lines: ("1", sku, 1));
        using (var first = await _client.PostOrderAsync(order))
        {
            await EnsureAsync(first, HttpStatusCode.Created);
        }

        await _receiver.DeliveredUntilAsync(d => Has(d, "order.allocated", orderId));

        // The same order again publishes its transitions again (a retry cannot know whether the first publication got out).
        using (var replay = await _client.PostOrderAsync(order))
        {
            await EnsureAsync(replay, HttpStatusCode.OK);
        }

        // A later event of the same entity is delivered after anything queued before it.
        using (var cancel = await _client.PostAsync($"/v1/orders/{orderId}/cancel", null))
        {
            await EnsureAsync(cancel, HttpStatusCode.OK);
        }

        var delivered = await _receiver.DeliveredUntilAsync(d => Has(d, "order.cancelled", orderId));
        Assert.Equal(["order.allocated", "order.cancelled"], delivered.Where(d => d.EntityId == orderId).Select(d => d.Type));
    }

    [Fact]
    public async Task Subscriptions_are_listed_read_and_deleted_and_bad_ones_are_refused_naming_the_field()
    {
        var created = await SubscribeAsync("order.shipped", "transfer.received");
        var id = created.Str("id")!;
        Assert.Equal(_receiver.Url, created.Str("url"));
        Assert.False(created.TryGetProperty("secret", out _));

        var list = await _client.GetJsonAsync("/v1/subscriptions");
        Assert.Contains(list.GetProperty("items").EnumerateArray(), s => s.Str("id") == id);
        var one = await _client.GetJsonAsync($"/v1/subscriptions/{id}");
        Assert.Equal(["order.shipped", "transfer.received"], one.GetProperty("eventTypes").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(0, one.GetProperty("delivery").Int("deadLettered"));

        using (var deleted = await _client.DeleteAsync($"/v1/subscriptions/{id}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        _subscriptionId = null;
        using (var gone = await _client.GetAsync($"/v1/subscriptions/{id}"))
        {
            await AssertProblemAsync(gone, HttpStatusCode.NotFound, "id");
        }

        using (var again = await _client.DeleteAsync($"/v1/subscriptions/{id}"))
        {
            await AssertProblemAsync(again, HttpStatusCode.NotFound, "id");
        }

        using var bad = await _client.PostAsJsonAsync("/v1/subscriptions", new { url = "ftp://example.test/x", eventTypes = new[] { "order.allocated", "order.teleported" }, secret = "short" });
        await AssertProblemAsync(bad, (HttpStatusCode)422, "url", "eventTypes[1]", "secret");
    }

    [Fact]
    public async Task A_subscription_changed_with_put_delivers_to_its_new_url_and_an_inactive_one_gets_nothing_meanwhile()
    {
        await using var other = await WebhookReceiver.StartAsync();
        var id = (await SubscribeAsync("order.allocated")).Str("id")!;
        var (sku, _) = await _client.SeedOneSkuAsync(AsOf, 10);

        using (var moved = await _client.PutAsJsonAsync($"/v1/subscriptions/{id}", new { url = other.Url, eventTypes = new[] { "order.allocated", "order.cancelled" } }))
        {
            await EnsureAsync(moved, HttpStatusCode.OK);
            var view = await ReadJsonAsync(moved);
            Assert.Equal((other.Url, true), (view.Str("url"), view.GetProperty("active").GetBoolean()));
            Assert.Equal(["order.allocated", "order.cancelled"], view.GetProperty("eventTypes").EnumerateArray().Select(t => t.GetString()));
            Assert.NotNull(view.Str("updatedAt"));
        }

        var first = await PlaceOrderAsync(sku);
        var atNewUrl = await other.DeliveredUntilAsync(d => Has(d, "order.allocated", first));
        Assert.Single(atNewUrl, d => d.EntityId == first);
        // Signed with the secret it kept (left out of the PUT).
        var delivery = atNewUrl.Single(d => d.EntityId == first);
        var parts = delivery.Signature.Split(',').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        Assert.Equal(Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes($"{parts["t"]}.{delivery.Body}"))), parts["v1"]);

        using (var paused = await _client.PutAsJsonAsync($"/v1/subscriptions/{id}", new { active = false }))
        {
            await EnsureAsync(paused, HttpStatusCode.OK);
            Assert.False((await ReadJsonAsync(paused)).GetProperty("active").GetBoolean());
        }

        var whilePaused = await PlaceOrderAsync(sku);

        using (var resumed = await _client.PutAsJsonAsync($"/v1/subscriptions/{id}", new { active = true }))
        {
            await EnsureAsync(resumed, HttpStatusCode.OK);
        }

        var afterwards = await PlaceOrderAsync(sku);
        var delivered = await other.DeliveredUntilAsync(d => Has(d, "order.allocated", afterwards));
        Assert.False(Has(delivered, "order.allocated", whilePaused));
        Assert.Empty(_receiver.Delivered);
    }

    [Fact]
    public async Task A_bad_change_is_refused_naming_the_field_and_changes_nothing()
    {
        var id = (await SubscribeAsync("order.allocated")).Str("id")!;

        using (var bad = await _client.PutAsJsonAsync($"/v1/subscriptions/{id}", new { url = "ftp://example.test/x", eventTypes = new[] { "order.allocated", "order.teleported" }, secret = "short" }))
        {
            await AssertProblemAsync(bad, (HttpStatusCode)422, "url", "eventTypes[1]", "secret");
        }

        using (var empty = await _client.PutAsJsonAsync($"/v1/subscriptions/{id}", new { eventTypes = Array.Empty<string>() }))
        {
            await AssertProblemAsync(empty, (HttpStatusCode)422, "eventTypes");
        }

        var unchanged = await _client.GetJsonAsync($"/v1/subscriptions/{id}");
        Assert.Equal((_receiver.Url, "order.allocated"), (unchanged.Str("url"), unchanged.GetProperty("eventTypes")[0].GetString()));

        using var unknown = await _client.PutAsJsonAsync("/v1/subscriptions/sub_nosuch", new { active = false });
        await AssertProblemAsync(unknown, HttpStatusCode.NotFound, "id");
    }

    [Fact]
    public async Task A_subscription_records_the_api_key_that_created_it()
    {
        var byBootstrap = await SubscribeAsync("order.shipped");
        Assert.Equal("admin", byBootstrap.Str("createdByKeyId"));

        using var keyResponse = await _client.PostAsJsonAsync("/v1/api-keys", new { name = "erp integration", scopes = new[] { "admin" } });
        await EnsureAsync(keyResponse, HttpStatusCode.Created);
        var key = await ReadJsonAsync(keyResponse);
        using var integrator = factory.CreateClient();
        integrator.DefaultRequestHeaders.Remove("X-Api-Key");
        integrator.DefaultRequestHeaders.Add("X-Api-Key", key.Str("key"));

        using var created = await integrator.PostAsJsonAsync("/v1/subscriptions", new { url = _receiver.Url, eventTypes = new[] { "order.cancelled" }, secret = Secret });
        await EnsureAsync(created, HttpStatusCode.Created);
        var id = (await ReadJsonAsync(created)).Str("id");

        var listed = (await _client.GetJsonAsync("/v1/subscriptions")).GetProperty("items").EnumerateArray().Single(i => i.Str("id") == id);
        Assert.Equal(key.Str("id"), listed.Str("createdByKeyId"));
        using var _ = await _client.DeleteAsync($"/v1/subscriptions/{id}");
    }
}
