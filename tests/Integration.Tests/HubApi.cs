using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Distribution.Tests;

/// <summary>Calls of the public API the tests need.</summary>
public static class HubApi
{
    public static async Task SeedAsync(HttpClient http, IReadOnlyList<(string Id, double Lat, double Lon)> warehouses, IReadOnlyList<string> skus, int onHand)
    {
        foreach (var (id, lat, lon) in warehouses)
        {
            (await http.PutAsJsonAsync($"/v1/warehouses/{id}", new
            {
                name = id,
                latitude = lat,
                longitude = lon,
                status = "active",
                cutoffLocalTime = "23:59:59",
                timeZone = "UTC",
            })).EnsureSuccessStatusCode();
        }

        foreach (var sku in skus)
        {
            (await http.PutAsJsonAsync($"/v1/items/{sku}", new { description = sku, unitOfMeasure = "EA" })).EnsureSuccessStatusCode();
        }

        foreach (var (id, _, _) in warehouses)
        {
            (await http.PostAsJsonAsync("/v1/inventory/snapshots", new
            {
                warehouseId = id,
                asOf = DateTimeOffset.UtcNow,
                items = skus.Select(s => new { sku = s, onHand }),
            })).EnsureSuccessStatusCode();
        }
    }

    /// <summary>Posts warehouse events and expects them accepted (202).</summary>
    public static async Task PostEventsAsync(HttpClient http, params object[] events)
    {
        using var response = await http.PostAsJsonAsync("/v1/events", new { events });
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
    }

    /// <summary>A GET expected to answer 200, as JSON.</summary>
    public static async Task<JsonElement> GetAsync(HttpClient http, string url)
    {
        using var response = await http.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url}: {(int)response.StatusCode} {text}");
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    public static JsonElement Location(JsonElement availability, string warehouseId) =>
        availability.GetProperty("locations").EnumerateArray().Single(l => l.GetProperty("warehouseId").GetString() == warehouseId);

    public static int? Inbound(JsonElement availability, string warehouseId) =>
        availability.GetProperty("locations").EnumerateArray()
            .Where(l => l.GetProperty("warehouseId").GetString() == warehouseId)
            .Select(l => (int?)l.GetProperty("inbound").GetInt32())
            .FirstOrDefault();

    /// <summary>
    /// Activations of <paramref name="grainType"/> over the silos of a GET /v1/operations/silos answer;
    /// null when a silo listed there did not answer with its counts in time.
    /// </summary>
    public static int? ActivationsOf(JsonElement silos, string grainType)
    {
        var total = 0;
        foreach (var silo in silos.EnumerateArray())
        {
            if (silo.GetProperty("activationsByGrainType") is not { ValueKind: JsonValueKind.Object } byType)
            {
                return null;
            }

            total += byType.TryGetProperty(grainType, out var count) ? count.GetInt32() : 0;
        }

        return total;
    }

    /// <summary>Reads until the condition holds (<paramref name="timeout"/>, 20 s if not given; the silo's output is shown on failure).</summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> until, HubProcess silo, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var value = await read();
            if (until(value))
            {
                return value;
            }

            Assert.True(DateTime.UtcNow < deadline, $"timed out; last read {value}\n{silo.Output}");
            await Task.Delay(100);
        }
    }
}
