using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Distribution.Tests.Api;

/// <summary>Seeding and reading through the public HTTP API only, as an integrator would.</summary>
public static class ApiTestClient
{
    /// <summary>One new SKU stocked at one new warehouse, visible in availability before it returns.</summary>
    public static async Task<(string Sku, string Warehouse)> SeedOneSkuAsync(this HttpClient client, DateTimeOffset asOf, int onHand)
    {
        var sku = Unique("SKU");
        var warehouse = Unique("WH");
        await client.PutItemAsync(sku);
        await client.PutWarehouseAsync(warehouse, 50.2, 8.7);
        await client.PostSnapshotAsync(warehouse, asOf, (sku, onHand));
        await client.GetAvailabilityUntilAsync(sku, v => v.GetProperty("total").Int("onHand") == onHand);
        return (sku, warehouse);
    }

    /// <summary>A ship-to in Frankfurt; the warehouse positions below are ranked from it.</summary>
    public static readonly object ShipTo = new { latitude = 50.11, longitude = 8.68 };

    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..10]}";

    public static object Warehouse(double latitude, double longitude, int? dailyOrderCapacity = null, string name = "Test warehouse") => new
    {
        name,
        latitude,
        longitude,
        status = "active",
        dailyOrderCapacity,
        cutoffLocalTime = "23:59:59",
        timeZone = "UTC",
    };

    public static async Task PutWarehouseAsync(this HttpClient client, string warehouseId, double latitude, double longitude)
    {
        using var response = await client.PutAsJsonAsync($"/v1/warehouses/{warehouseId}", Warehouse(latitude, longitude));
        await EnsureAsync(response, HttpStatusCode.Created, HttpStatusCode.OK);
    }

    public static async Task PutItemAsync(this HttpClient client, string sku)
    {
        using var response = await client.PutAsJsonAsync($"/v1/items/{sku}", new { description = $"Item {sku}", unitOfMeasure = "EA" });
        await EnsureAsync(response, HttpStatusCode.Created, HttpStatusCode.OK);
    }

    public static object Snapshot(string warehouseId, DateTimeOffset asOf, params (string Sku, int OnHand)[] items) => new
    {
        warehouseId,
        asOf,
        items = items.Select(i => new { sku = i.Sku, onHand = i.OnHand }).ToArray(),
    };

    public static async Task<JsonElement> PostSnapshotAsync(this HttpClient client, string warehouseId, DateTimeOffset asOf, params (string Sku, int OnHand)[] items)
    {
        using var response = await client.PostAsJsonAsync("/v1/inventory/snapshots", Snapshot(warehouseId, asOf, items));
        await EnsureAsync(response, HttpStatusCode.OK);
        return await ReadJsonAsync(response);
    }

    public static object Order(string orderId, bool allowSplit = true, bool allowBackorder = false, object? shipTo = null, params (string LineId, string Sku, int Quantity)[] lines) => new
    {
        orderId,
        channel = "web",
        shipTo = shipTo ?? ShipTo,
        lines = lines.Select(l => new { lineId = l.LineId, sku = l.Sku, quantity = l.Quantity }).ToArray(),
        priority = "normal",
        allowSplit,
        allowBackorder,
    };

    public static Task<HttpResponseMessage> PostOrderAsync(this HttpClient client, object order) =>
        client.PostAsJsonAsync("/v1/orders", order);

    public static async Task<JsonElement> GetJsonAsync(this HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        await EnsureAsync(response, HttpStatusCode.OK);
        return await ReadJsonAsync(response);
    }

    public static Task<JsonElement> GetAvailabilityAsync(this HttpClient client, string sku) =>
        client.GetJsonAsync($"/v1/availability/{sku}");

    /// <summary>The availability view is fed asynchronously by the SKU-locations: read until it shows what is expected.</summary>
    public static async Task<JsonElement> GetAvailabilityUntilAsync(this HttpClient client, string sku, Func<JsonElement, bool> until, int timeoutMs = 5000) =>
        await EventuallyAsync(() => client.GetAvailabilityAsync(sku), until, timeoutMs);

    public static async Task<JsonElement> EventuallyAsync(Func<Task<JsonElement>> read, Func<JsonElement, bool> until, int timeoutMs = 5000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (true)
        {
            var value = await read();
            if (until(value) || DateTime.UtcNow > deadline)
            {
                return value;
            }

            await Task.Delay(50);
        }
    }

    /// <summary>
    /// Scrapes <c>/metrics</c> until <paramref name="until"/> holds or <paramref name="timeoutMs"/>
    /// passes (the exporter may serve a cached scrape for a moment; gauges poll the cluster).
    /// </summary>
    public static async Task<string> ScrapeUntilAsync(this HttpClient client, Func<string, bool> until, int timeoutMs = 10_000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (true)
        {
            using var response = await client.GetAsync("/metrics");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var text = await response.Content.ReadAsStringAsync();
            if (until(text) || DateTime.UtcNow > deadline)
            {
                return text;
            }

            await Task.Delay(200);
        }
    }

    /// <summary>The lines of a Prometheus scrape for <paramref name="metric"/> tagged <paramref name="warehouseId"/>.</summary>
    public static IEnumerable<string> MetricLines(string scrape, string metric, string warehouseId) => scrape.Split('\n').Where(l =>
        l.StartsWith(metric + "{", StringComparison.Ordinal) && l.Contains($"warehouse=\"{warehouseId}\"", StringComparison.Ordinal));

    /// <summary>The entry of <paramref name="warehouseId"/> in an availability answer (fails if absent).</summary>
    public static JsonElement Location(this JsonElement availability, string warehouseId) =>
        availability.GetProperty("locations").EnumerateArray().Single(l => l.GetProperty("warehouseId").GetString() == warehouseId);

    public static int Int(this JsonElement element, string property) => element.GetProperty(property).GetInt32();

    public static string? Str(this JsonElement element, string property) => element.GetProperty(property).GetString();

    public static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    /// <summary>Asserts an RFC 9457 problem+json answer with this status whose <c>errors</c> names each field.</summary>
    public static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, params string[] fields)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(text);
        var problem = document.RootElement.Clone();
        Assert.Equal((int)status, problem.Int("status"));
        Assert.False(string.IsNullOrEmpty(problem.Str("title")));
        if (fields.Length > 0)
        {
            Assert.True(problem.TryGetProperty("errors", out var errors), $"no 'errors' in {text}");
            foreach (var field in fields)
            {
                Assert.True(errors.TryGetProperty(field, out var messages), $"'errors' should name '{field}': {errors}");
                Assert.True(messages.GetArrayLength() > 0);
            }
        }

        return problem;
    }

    public static async Task EnsureAsync(HttpResponseMessage response, params HttpStatusCode[] expected)
    {
        if (!expected.Contains(response.StatusCode))
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.Fail($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: expected {string.Join("/", expected.Select(s => (int)s))}, got {(int)response.StatusCode}: {text}");
        }
    }

    public static StringContent RawJson(string json) => new(json, Encoding.UTF8, "application/json");
}
