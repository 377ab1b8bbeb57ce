using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Distribution.Benchmark;

/// <summary>Thin client over the public HTTP API; one pooled connection set for the whole run.</summary>
internal sealed class ApiClient : IDisposable
{
    private const int SetupAttempts = 5;
    private readonly HttpClient http;

    public ApiClient(Uri baseUrl, int maxConnections, string? apiKey = null)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = maxConnections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(10),
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            UseProxy = false,
        };
        http = new HttpClient(handler) { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) };
        if (apiKey is not null)
            http.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
    }

    public Uri BaseAddress => http.BaseAddress!;

    /// <summary>Polls GET /health/ready until it answers 200 or <paramref name="timeout"/> passes.</summary>
    public async Task<bool> WaitReadyAsync(TimeSpan timeout, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            try
            {
                using var response = await http.GetAsync("health/ready", ct);
                if (response.StatusCode == HttpStatusCode.OK)
                    return true;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
            }

            if (Stopwatch.GetElapsedTime(started) >= timeout)
                return false;
            await Task.Delay(TimeSpan.FromMilliseconds(500), ct);
        }
    }

    public Task PutWarehouseAsync(string id, WarehouseBody body, CancellationToken ct) =>
        SendSetupAsync(() => new HttpRequestMessage(HttpMethod.Put, "v1/warehouses/" + Uri.EscapeDataString(id))
        {
            Content = Json(body, ApiJson.Default.WarehouseBody),
        }, $"PUT warehouse {id}", ct);

    /// <summary>A setup POST of a JSON text (master data import, a replenishment pass); returns the 2xx body.</summary>
    public Task<byte[]> PostSetupAsync(string path, string json, string what, CancellationToken ct) =>
        SendSetupAsync(() => new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json"),
        }, what, ct);

    public Task PutItemAsync(string sku, ItemBody body, CancellationToken ct) =>
        SendSetupAsync(() => new HttpRequestMessage(HttpMethod.Put, "v1/items/" + Uri.EscapeDataString(sku))
        {
            Content = Json(body, ApiJson.Default.ItemBody),
        }, $"PUT item {sku}", ct);

    public async Task<SnapshotResult> PostSnapshotAsync(SnapshotBody body, CancellationToken ct)
    {
        var what = $"POST snapshot for {body.WarehouseId}";
        var bytes = await SendSetupAsync(() => new HttpRequestMessage(HttpMethod.Post, "v1/inventory/snapshots")
        {
            Content = Json(body, ApiJson.Default.SnapshotBody),
        }, what, ct);
        try
        {
            return JsonSerializer.Deserialize(bytes, ApiJson.Default.SnapshotResult)
                ?? throw new SetupException($"{what}: empty response");
        }
        catch (JsonException e)
        {
            throw new SetupException($"{what}: unreadable response: {e.Message}");
        }
    }

    /// <summary>One attempt at POST /v1/orders; never throws except on cancellation of <paramref name="ct"/>.</summary>
    public async Task<OrderAttempt> PostOrderAsync(OrderBody order, CancellationToken ct)
    {
        using var content = Json(order, ApiJson.Default.OrderBody);
        var status = 0;
        try
        {
            using var response = await http.PostAsync("v1/orders", content, ct);
            status = (int)response.StatusCode;
            if (!response.IsSuccessStatusCode)
                return new OrderAttempt(status, null, null);
            var result = await response.Content.ReadFromJsonAsync(ApiJson.Default.OrderResult, ct);
            return new OrderAttempt(status, result is null ? "bad-response" : null, result);
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return new OrderAttempt(0, "timeout", null);
        }
        catch (HttpRequestException)
        {
            return new OrderAttempt(0, "connection", null);
        }
        catch (JsonException)
        {
            return new OrderAttempt(status, "bad-response", null);
        }
    }

    /// <summary>
    /// One GET /v1/availability/{sku} for the availability probe, body read and parsed; null when
    /// it succeeded, else the error key (status code, "timeout", "connection" or "bad-response").
    /// Never throws except on cancellation of <paramref name="ct"/>.
    /// </summary>
    public Task<string?> ProbeAvailabilityAsync(string sku, CancellationToken ct) =>
        ProbeAsync(
            () => new HttpRequestMessage(HttpMethod.Get, "v1/availability/" + Uri.EscapeDataString(sku)),
            async (content, token) => await content.ReadFromJsonAsync(ApiJson.Default.AvailabilityResult, token) is { Sku: not null },
            ct);

    /// <summary>One POST /v1/availability/query for the availability probe; see <see cref="ProbeAvailabilityAsync"/>.</summary>
    public Task<string?> ProbeAvailabilityQueryAsync(AvailabilityQueryBody body, CancellationToken ct) =>
        ProbeAsync(
            () => new HttpRequestMessage(HttpMethod.Post, "v1/availability/query") { Content = Json(body, ApiJson.Default.AvailabilityQueryBody) },
            async (content, token) => await content.ReadFromJsonAsync(ApiJson.Default.AvailabilityQueryResult, token)
                is { Items: not null, UnknownSkus: not null },
            ct);

    /// <summary>GET /v1/availability/{sku} with a few retries; null with the reason when it cannot be read.</summary>
    /// <summary>GET /v1/orders/{id}, retrying 503 and transport failures; the failure is the status or error otherwise.</summary>
    public Task<(OrderResult? Result, string? Failure)> GetOrderAsync(string orderId, CancellationToken ct) =>
        GetWithRetriesAsync($"v1/orders/{Uri.EscapeDataString(orderId)}", ApiJson.Default.OrderResult, ct);

    public Task<(AvailabilityResult? Result, string? Failure)> GetAvailabilityAsync(string sku, CancellationToken ct) =>
        GetWithRetriesAsync("v1/availability/" + Uri.EscapeDataString(sku), ApiJson.Default.AvailabilityResult, ct);

    /// <summary>GET /v1/warehouses/{warehouseId}/skus/{sku} with a few retries; null with the reason when it cannot be read.</summary>
    public Task<(SkuLocationResult? Result, string? Failure)> GetSkuLocationAsync(string warehouseId, string sku, CancellationToken ct) =>
        GetWithRetriesAsync(
            "v1/warehouses/" + Uri.EscapeDataString(warehouseId) + "/skus/" + Uri.EscapeDataString(sku), ApiJson.Default.SkuLocationResult, ct);

    /// <summary>One attempt at POST /v1/events; never throws except on cancellation of <paramref name="ct"/>.</summary>
    public async Task<EventAttempt> PostEventsAsync(EventBatchBody batch, CancellationToken ct)
    {
        using var content = Json(batch, ApiJson.Default.EventBatchBody);
        var status = 0;
        try
        {
            using var response = await http.PostAsync("v1/events", content, ct);
            status = (int)response.StatusCode;
            if (!response.IsSuccessStatusCode)
                return new EventAttempt(status, null, null);
            var result = await response.Content.ReadFromJsonAsync(ApiJson.Default.EventBatchResult, ct);
            return new EventAttempt(status, result?.Results is null ? "bad-response" : null, result?.Results is null ? null : result);
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return new EventAttempt(0, "timeout", null);
        }
        catch (HttpRequestException)
        {
            return new EventAttempt(0, "connection", null);
        }
        catch (JsonException)
        {
            return new EventAttempt(status, "bad-response", null);
        }
    }

    /// <summary>The Prometheus text of GET /metrics, or null when it cannot be read (no endpoint, error, timeout).</summary>
    public async Task<string?> GetMetricsTextAsync(CancellationToken ct)
    {
        try
        {
            using var response = await http.GetAsync("metrics", ct);
            return response.IsSuccessStatusCode ? await response.Content.ReadAsStringAsync(ct) : null;
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return null;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    public void Dispose() => http.Dispose();

    /// <summary>A GET read as <typeparamref name="T"/>, retrying 503 and transport failures a few times.</summary>
    private async Task<(T? Result, string? Failure)> GetWithRetriesAsync<T>(string path, JsonTypeInfo<T> type, CancellationToken ct)
        where T : class
    {
        string failure = "unknown";
        for (var attempt = 1; attempt <= SetupAttempts; attempt++)
        {
            try
            {
                using var response = await http.GetAsync(path, ct);
                if (response.IsSuccessStatusCode)
                {
                    var result = await response.Content.ReadFromJsonAsync(type, ct);
                    return result is null ? (null, "empty response") : (result, null);
                }

                failure = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
                if (response.StatusCode != HttpStatusCode.ServiceUnavailable)
                    return (null, failure);
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
                failure = "timeout";
            }
            catch (HttpRequestException e)
            {
                failure = e.Message;
            }
            catch (JsonException e)
            {
                return (null, "bad response: " + e.Message);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), ct);
        }

        return (null, failure);
    }

    /// <summary>Sends a setup request, retrying 503 and transport failures; returns the 2xx body.</summary>
    private async Task<byte[]> SendSetupAsync(Func<HttpRequestMessage> request, string what, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            string failure;
            try
            {
                using var message = request();
                using var response = await http.SendAsync(message, ct);
                if (response.IsSuccessStatusCode)
                    return await response.Content.ReadAsByteArrayAsync(ct);

                var body = await response.Content.ReadAsStringAsync(ct);
                failure = $"{(int)response.StatusCode} {Truncate(body, 300)}";
                if (response.StatusCode != HttpStatusCode.ServiceUnavailable)
                    throw new SetupException($"{what}: {failure}");
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
                failure = "timeout";
            }
            catch (HttpRequestException e)
            {
                failure = e.Message;
            }

            if (attempt >= SetupAttempts)
                throw new SetupException($"{what}: {failure} (after {attempt} attempts)");
            await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), ct);
        }
    }

    private async Task<string?> ProbeAsync(
        Func<HttpRequestMessage> request, Func<HttpContent, CancellationToken, Task<bool>> wellFormed, CancellationToken ct)
    {
        var status = 0;
        try
        {
            using var message = request();
            using var response = await http.SendAsync(message, ct);
            status = (int)response.StatusCode;
            if (!response.IsSuccessStatusCode)
                return status.ToString(CultureInfo.InvariantCulture);
            return await wellFormed(response.Content, ct) ? null : "bad-response";
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return "timeout";
        }
        catch (HttpRequestException)
        {
            return "connection";
        }
        catch (JsonException)
        {
            return "bad-response";
        }
    }

    private static ByteArrayContent Json<T>(T value, JsonTypeInfo<T> type)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(value, type));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max] + "...";
}

/// <summary>Outcome of one POST /v1/orders: acknowledged (2xx with a readable body) or an error.</summary>
internal readonly record struct OrderAttempt(int Status, string? Failure, OrderResult? Result)
{
    public bool Acknowledged => Result is not null;

    /// <summary>503 and transport failures; the same order id is resent (the API is idempotent on it).</summary>
    public bool Retriable => !Acknowledged && (Status == 503 || Failure is "timeout" or "connection");

    public string ErrorKey => Failure ?? Status.ToString(CultureInfo.InvariantCulture);
}

/// <summary>Outcome of one POST /v1/events: answered (2xx with verdicts) or an error.</summary>
internal readonly record struct EventAttempt(int Status, string? Failure, EventBatchResult? Result)
{
    public bool Answered => Result is not null;

    /// <summary>
    /// Unanswered, and the batch may have been journaled all the same (5xx, a timeout, a dropped
    /// connection, an unreadable 2xx): it is resent as it is, and its events' verdicts then say
    /// "duplicate" for what landed. A 4xx refuses the batch as a whole, before the journal.
    /// </summary>
    public bool MayHaveLanded => !Answered && Status is not (>= 400 and < 500);

    /// <summary>429: the hub is behind applying events and took none of the batch; resend after <see cref="ThrottleWait"/>.</summary>
    public bool Throttled => Status == 429;

    /// <summary>The hub's Retry-After for a throttled batch (1 s).</summary>
    public static readonly TimeSpan ThrottleWait = TimeSpan.FromSeconds(1);

    public string ErrorKey => Failure ?? Status.ToString(CultureInfo.InvariantCulture);
}

internal sealed class SetupException(string message) : Exception(message);
