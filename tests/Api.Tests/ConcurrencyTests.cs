using System.Net;
using System.Text.Json;
using static Distribution.Tests.Api.ApiTestClient;

namespace Distribution.Tests.Api;

/// <summary>Invariants 1 and 3 through HTTP: no oversell and duplicates answered the same, under a burst.</summary>
public sealed class ConcurrencyTests(HubFactory factory) : IClassFixture<HubFactory>
{
    private const int Orders = 500;
    private const int Duplicates = 100;
    private static readonly DateTimeOffset AsOf = new(2025, 3, 3, 8, 0, 0, TimeSpan.Zero);

    private readonly HttpClient _client = factory.CreateClient();

    private sealed record Answer(int Order, bool Resent, HttpStatusCode Status, JsonElement Body);

    [Fact]
    public async Task Concurrent_orders_and_duplicates_allocate_exactly_the_stock_and_never_oversell()
    {
        var sku = Unique("HOT");
        var stock = new Dictionary<string, int> { [Unique("WH-A")] = 40, [Unique("WH-B")] = 35, [Unique("WH-C")] = 25 };
        await _client.PutItemAsync(sku);
        var position = 0;
        foreach (var (warehouse, onHand) in stock)
        {
            await _client.PutWarehouseAsync(warehouse, 50.0 + position++, 8.0);
            await _client.PostSnapshotAsync(warehouse, AsOf, (sku, onHand));
        }

        await _client.GetAvailabilityUntilAsync(sku, v => v.GetProperty("total").Int("onHand") == 100);
        var run = Unique("C");
        var bodies = Enumerable.Range(0, Orders)
            .Select(i => JsonSerializer.Serialize(Order($"{run}-{i:D3}", allowSplit: true, allowBackorder: false, lines: ("1", sku, 1)), JsonSerializerOptions.Web))
            .ToArray();
        var sends = Enumerable.Range(0, Orders).Select(i => (Order: i, Resent: false))
            .Concat(Enumerable.Range(0, Duplicates).Select(i => (Order: i * (Orders / Duplicates), Resent: true)))
            .OrderBy(_ => Random.Shared.Next())
            .ToList();

        var answers = await Task.WhenAll(sends.Select(async s =>
        {
            using var response = await _client.PostAsync("/v1/orders", RawJson(bodies[s.Order]));
            return new Answer(s.Order, s.Resent, response.StatusCode, await ReadJsonAsync(response));
        }));

        Assert.All(answers, a => Assert.True(a.Status is HttpStatusCode.Created or HttpStatusCode.OK, $"order {a.Order}: {(int)a.Status} {a.Body}"));
        var byOrder = answers.GroupBy(a => a.Order).ToDictionary(g => g.Key, g => g.ToList());
        Assert.Equal(Orders, byOrder.Count);
        foreach (var pair in byOrder.Values.Where(p => p.Count == 2))
        {
            // One of the two placed the order, the other was answered with its result.
            Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Created], pair.Select(a => a.Status).Order());
            Assert.Equal(pair[0].Body.Str("status"), pair[1].Body.Str("status"));
            Assert.Equal(pair[0].Body.GetProperty("lines").GetRawText(), pair[1].Body.GetProperty("lines").GetRawText());
        }

        var results = byOrder.Values.Select(p => p.Single(a => a.Status == HttpStatusCode.Created).Body).ToList();
        var statuses = results.GroupBy(r => r.Str("status")).ToDictionary(g => g.Key!, g => g.Count());
        var allocatedBy = results
            .SelectMany(r => r.GetProperty("lines").EnumerateArray())
            .SelectMany(l => l.GetProperty("allocations").EnumerateArray())
            .GroupBy(a => a.Str("warehouseId")!)
            .ToDictionary(g => g.Key, g => g.Sum(a => a.Int("quantity")));
        Assert.Equal(100, allocatedBy.Values.Sum());
        Assert.Equal(new Dictionary<string, int> { ["allocated"] = 100, ["rejected"] = 400 }, statuses);
        Assert.All(results.Where(r => r.Str("status") == "rejected"), r => Assert.False(string.IsNullOrWhiteSpace(r.Str("rejectionReason"))));

        var availability = await _client.GetAvailabilityUntilAsync(sku, v => v.GetProperty("total").Int("reserved") == 100);
        Assert.Equal(100, availability.GetProperty("total").Int("reserved"));
        Assert.Equal(0, availability.GetProperty("total").Int("available"));
        foreach (var (warehouse, onHand) in stock)
        {
            var location = availability.Location(warehouse);
            Assert.Equal(onHand, location.Int("onHand"));
            Assert.True(location.Int("reserved") <= location.Int("onHand"), location.GetRawText());
            Assert.Equal(allocatedBy.GetValueOrDefault(warehouse), location.Int("reserved"));
        }

        // What was answered is what is stored.
        var stored = await Task.WhenAll(Enumerable.Range(0, Orders).Select(i => _client.GetJsonAsync($"/v1/orders/{run}-{i:D3}")));
        for (var i = 0; i < Orders; i++)
        {
            var answered = byOrder[i][0].Body;
            Assert.Equal(answered.Str("status"), stored[i].Str("status"));
            Assert.Equal(answered.GetProperty("lines").GetRawText(), stored[i].GetProperty("lines").GetRawText());
        }
    }
}
