using System.Net;
using System.Net.Http.Json;
using static Distribution.Tests.Api.ApiTestClient;

namespace Distribution.Tests.Api;

public sealed class AvailabilityTests(HubFactory factory) : IClassFixture<HubFactory>
{
    private static readonly DateTimeOffset AsOf = new(2025, 3, 3, 8, 0, 0, TimeSpan.Zero);

    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Availability_gives_numbers_per_warehouse_and_a_network_total()
    {
        var near = Unique("WH");
        var far = Unique("WH");
        var sku = Unique("SKU");
        await _client.PutWarehouseAsync(near, 50.2, 8.7);
        await _client.PutWarehouseAsync(far, 52.5, 13.4);
        await _client.PutItemAsync(sku);
        using (var policy = await _client.PutAsJsonAsync($"/v1/warehouses/{far}/skus/{sku}/policy", new { kind = "reorderPoint", safetyStock = 2, reorderPoint = 5, orderUpTo = 20 }))
        {
            await EnsureAsync(policy, HttpStatusCode.OK);
        }

        await _client.PostSnapshotAsync(near, AsOf, (sku, 10));
        await _client.PostSnapshotAsync(far, AsOf, (sku, 6));
        using (var order = await _client.PostOrderAsync(Order(Unique("ORD"), lines: ("1", sku, 3))))
        {
            await EnsureAsync(order, HttpStatusCode.Created);
        }

        var availability = await _client.GetAvailabilityUntilAsync(sku, v => v.GetProperty("total").Int("reserved") == 3);

        Assert.Equal(sku, availability.Str("sku"));
        Assert.Equal(2, availability.GetProperty("locations").GetArrayLength());
        var n = availability.Location(near);
        Assert.Equal((10, 3, 0, 7), (n.Int("onHand"), n.Int("reserved"), n.Int("safetyStock"), n.Int("available")));
        Assert.Equal(AsOf, n.GetProperty("lastSnapshotAt").GetDateTimeOffset());
        var f = availability.Location(far);
        Assert.Equal((6, 0, 2, 4), (f.Int("onHand"), f.Int("reserved"), f.Int("safetyStock"), f.Int("available")));
        var total = availability.GetProperty("total");
        Assert.Equal((16, 3, 11), (total.Int("onHand"), total.Int("reserved"), total.Int("available")));
        Assert.Equal(0, availability.Int("backordered"));
    }

    [Fact]
    public async Task Unknown_sku_is_404_problem()
    {
        using var response = await _client.GetAsync($"/v1/availability/{Unique("NOPE")}");

        await AssertProblemAsync(response, HttpStatusCode.NotFound, "sku");
    }

    [Fact]
    public async Task Query_ranks_locations_by_distance_to_the_ship_to()
    {
        var frankfurt = Unique("WH-FRA");
        var berlin = Unique("WH-BER");
        var munich = Unique("WH-MUC");
        var sku = Unique("SKU");
        var other = Unique("SKU");
        await _client.PutWarehouseAsync(frankfurt, 50.11, 8.68);
        await _client.PutWarehouseAsync(berlin, 52.52, 13.40);
        await _client.PutWarehouseAsync(munich, 48.14, 11.58);
        await _client.PutItemAsync(sku);
        await _client.PutItemAsync(other);
        await _client.PostSnapshotAsync(frankfurt, AsOf, (sku, 1), (other, 2));
        await _client.PostSnapshotAsync(berlin, AsOf, (sku, 1));
        await _client.PostSnapshotAsync(munich, AsOf, (sku, 1));
        await _client.GetAvailabilityUntilAsync(sku, v => v.GetProperty("locations").GetArrayLength() == 3);
        await _client.GetAvailabilityUntilAsync(other, v => v.GetProperty("locations").GetArrayLength() == 1);

        // Hamburg: Berlin (~255 km), Frankfurt (~395 km), Munich (~610 km).
        var fromHamburg = await QueryAsync(new { skus = new[] { sku, other }, shipTo = new { latitude = 53.55, longitude = 9.99 } });
        // Stuttgart: Frankfurt (~150 km), Munich (~190 km), Berlin (~510 km).
        var fromStuttgart = await QueryAsync(new { skus = new[] { sku }, shipTo = new { latitude = 48.78, longitude = 9.18 } });

        Assert.Equal([berlin, frankfurt, munich], Ranking(fromHamburg, sku));
        Assert.Equal([frankfurt], Ranking(fromHamburg, other));
        Assert.Equal([frankfurt, munich, berlin], Ranking(fromStuttgart, sku));
        Assert.Equal(0, fromHamburg.GetProperty("unknownSkus").GetArrayLength());
    }

    [Fact]
    public async Task Query_lists_unknown_skus_and_answers_the_known_ones()
    {
        var sku = Unique("SKU");
        var missing1 = Unique("NOPE");
        var missing2 = Unique("NOPE");
        await _client.PutItemAsync(sku);

        var answer = await QueryAsync(new { skus = new[] { missing1, sku, missing2 } });

        Assert.Equal([sku], answer.GetProperty("items").EnumerateArray().Select(i => i.Str("sku")));
        Assert.Equal([missing1, missing2], answer.GetProperty("unknownSkus").EnumerateArray().Select(s => s.GetString()));
    }

    [Fact]
    public async Task Query_of_more_than_1000_skus_is_422()
    {
        var skus = Enumerable.Range(0, 1001).Select(i => $"SKU-{i}").ToArray();

        using var response = await _client.PostAsJsonAsync("/v1/availability/query", new { skus });

        await AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "skus");
    }

    [Fact]
    public async Task Query_of_exactly_1000_skus_is_answered()
    {
        var skus = Enumerable.Range(0, 1000).Select(i => $"Q1000-{i}").ToArray();

        var answer = await QueryAsync(new { skus });

        Assert.Equal(1000, answer.GetProperty("unknownSkus").GetArrayLength());
    }

    private async Task<System.Text.Json.JsonElement> QueryAsync(object body)
    {
        using var response = await _client.PostAsJsonAsync("/v1/availability/query", body);
        await EnsureAsync(response, HttpStatusCode.OK);
        return await ReadJsonAsync(response);
    }

    private static List<string?> Ranking(System.Text.Json.JsonElement answer, string sku) =>
        answer.GetProperty("items").EnumerateArray().Single(i => i.Str("sku") == sku)
            .GetProperty("locations").EnumerateArray().Select(l => l.Str("warehouseId")).ToList();
}
