using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using static Distribution.Tests.Api.ApiTestClient;

namespace Distribution.Tests.Api;

/// <summary>
/// Posting warehouse events and reading what they did (SKU-locations, orders, exceptions) through
/// the public HTTP API only. Events are applied asynchronously, so every read of an effect polls.
/// </summary>
public static class EventTestClient
{
    /// <summary>How long to wait for an asynchronous effect of an event.</summary>
    public const int TimeoutMs = 10_000;

    /// <summary>Business time for events: the current second (inside the duplicate window, never in the future).</summary>
    public static DateTimeOffset Now()
    {
        var now = DateTimeOffset.UtcNow;
        return new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
    }

    /// <summary>One event as a warehouse posts it; absent (null) optional fields are left out of the JSON.</summary>
    public static Dictionary<string, object?> Event(
        string type,
        string warehouseId,
        string sku,
        int quantity,
        string? eventId = null,
        DateTimeOffset? occurredAt = null,
        string? reasonCode = null,
        string? orderId = null,
        string? lineId = null,
        string? transferId = null,
        string? purchaseOrderId = null,
        long? sequence = null)
    {
        var e = new Dictionary<string, object?>
        {
            ["eventId"] = eventId ?? Unique("EV"),
            ["warehouseId"] = warehouseId,
            ["type"] = type,
            ["sku"] = sku,
            ["quantity"] = quantity,
            ["occurredAt"] = occurredAt ?? Now(),
        };
        Optional(e, "reasonCode", reasonCode);
        Optional(e, "orderId", orderId);
        Optional(e, "lineId", lineId);
        Optional(e, "transferId", transferId);
        Optional(e, "purchaseOrderId", purchaseOrderId);
        if (sequence is not null)
        {
            e["sequence"] = sequence;
        }

        return e;
    }

    public static string Id(this Dictionary<string, object?> e) => (string)e["eventId"]!;

    public static object Batch(params IEnumerable<Dictionary<string, object?>> events) => new { events = events.ToArray() };

    /// <summary>POST /v1/events, optionally with an <c>X-Correlation-Id</c>; the raw answer.</summary>
    public static async Task<HttpResponseMessage> SendEventsAsync(this HttpClient client, object body, string? correlationId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/events") { Content = JsonContent.Create(body) };
        if (correlationId is not null)
        {
            request.Headers.Add("X-Correlation-Id", correlationId);
        }

        return await client.SendAsync(request);
    }

    /// <summary>POST /v1/events expecting 202; the batch result.</summary>
    public static async Task<JsonElement> PostEventsAsync(this HttpClient client, params IEnumerable<Dictionary<string, object?>> events) =>
        await client.PostEventsAsync(correlationId: null, events);

    public static async Task<JsonElement> PostEventsAsync(this HttpClient client, string? correlationId, params IEnumerable<Dictionary<string, object?>> events)
    {
        using var response = await client.SendEventsAsync(Batch(events), correlationId);
        await EnsureAsync(response, HttpStatusCode.Accepted);
        return await ReadJsonAsync(response);
    }

    /// <summary>The verdict statuses of a batch result, in the order posted.</summary>
    public static string[] Verdicts(this JsonElement result) =>
        [.. result.GetProperty("results").EnumerateArray().Select(r => r.Str("status") ?? "(none)")];

    public static Task<JsonElement> GetSkuLocationAsync(this HttpClient client, string warehouseId, string sku) =>
        client.GetJsonAsync($"/v1/warehouses/{warehouseId}/skus/{sku}");

    public static Task<JsonElement> GetSkuLocationUntilAsync(this HttpClient client, string warehouseId, string sku, Func<JsonElement, bool> until) =>
        EventuallyAsync(() => client.GetSkuLocationAsync(warehouseId, sku), until, TimeoutMs);

    /// <summary>Waits until the SKU-location recorded a movement for <paramref name="eventId"/> (fails if it never does).</summary>
    public static async Task<JsonElement> GetSkuLocationAfterAsync(this HttpClient client, string warehouseId, string sku, string eventId)
    {
        var position = await client.GetSkuLocationUntilAsync(warehouseId, sku, p => p.MovementsOf(eventId).Count > 0);
        Assert.True(position.MovementsOf(eventId).Count > 0, $"event '{eventId}' was not applied within {TimeoutMs} ms: {position}");
        return position;
    }

    /// <summary>
    /// Posts a receipt of one unit and waits until it is applied. A warehouse's events are applied
    /// in acceptance order, so once it shows, everything posted before it for this SKU-location has
    /// been processed: what has not changed by then will not change.
    /// </summary>
    public static async Task<JsonElement> SettleAsync(this HttpClient client, string warehouseId, string sku)
    {
        var marker = Event("Received", warehouseId, sku, 1, eventId: Unique("SETTLE"));
        var result = await client.PostEventsAsync(marker);
        Assert.Equal(["accepted"], result.Verdicts());
        return await client.GetSkuLocationAfterAsync(warehouseId, sku, marker.Id());
    }

    public static List<JsonElement> MovementsOf(this JsonElement position, string eventId) =>
        [.. position.GetProperty("recentMovements").EnumerateArray().Where(m => m.Str("eventId") == eventId)];

    public static Task<JsonElement> GetOrderAsync(this HttpClient client, string orderId) =>
        client.GetJsonAsync($"/v1/orders/{orderId}");

    public static Task<JsonElement> GetOrderUntilAsync(this HttpClient client, string orderId, Func<JsonElement, bool> until) =>
        EventuallyAsync(() => client.GetOrderAsync(orderId), until, TimeoutMs);

    /// <summary>Places an order expecting 201; the order.</summary>
    public static async Task<JsonElement> PlaceOrderAsync(this HttpClient client, object order)
    {
        using var response = await client.PostOrderAsync(order);
        await EnsureAsync(response, HttpStatusCode.Created);
        return await ReadJsonAsync(response);
    }

    /// <summary>GET /v1/exceptions/{id}: the exception, or a JSON null while it does not exist.</summary>
    public static async Task<JsonElement> GetExceptionOrNullAsync(this HttpClient client, string id)
    {
        using var response = await client.GetAsync($"/v1/exceptions/{Uri.EscapeDataString(id)}");
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return JsonDocument.Parse("null").RootElement.Clone();
        }

        await EnsureAsync(response, HttpStatusCode.OK);
        return await ReadJsonAsync(response);
    }

    /// <summary>Waits until exception <paramref name="id"/> exists and satisfies <paramref name="until"/> (fails if it never exists).</summary>
    public static async Task<JsonElement> GetExceptionUntilAsync(this HttpClient client, string id, Func<JsonElement, bool>? until = null)
    {
        var exception = await EventuallyAsync(
            () => client.GetExceptionOrNullAsync(id),
            e => e.ValueKind == JsonValueKind.Object && (until is null || until(e)),
            TimeoutMs);
        Assert.True(exception.ValueKind == JsonValueKind.Object, $"exception '{id}' was not raised within {TimeoutMs} ms");
        return exception;
    }

    public static Task<JsonElement> ListExceptionsAsync(this HttpClient client, string query) =>
        client.GetJsonAsync($"/v1/exceptions?{query}");

    public static async Task<HttpResponseMessage> RetryExceptionAsync(this HttpClient client, string id, string? correlationId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/exceptions/{Uri.EscapeDataString(id)}/retry");
        if (correlationId is not null)
        {
            request.Headers.Add("X-Correlation-Id", correlationId);
        }

        return await client.SendAsync(request);
    }

    public static async Task<HttpResponseMessage> ResolveExceptionAsync(this HttpClient client, string id, string? note, string? correlationId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/exceptions/{Uri.EscapeDataString(id)}/resolve")
        {
            Content = JsonContent.Create(new { note }),
        };
        if (correlationId is not null)
        {
            request.Headers.Add("X-Correlation-Id", correlationId);
        }

        return await client.SendAsync(request);
    }

    public static string EventExceptionId(string eventId) => $"event:{eventId}";

    public static string NegativeExceptionId(string eventId) => $"negative:{eventId}";

    private static void Optional(Dictionary<string, object?> e, string name, string? value)
    {
        if (value is not null)
        {
            e[name] = value;
        }
    }
}
