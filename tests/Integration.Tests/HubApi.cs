using System.Net.Http.Json;

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
}
