using System.Net;
using System.Net.Http.Json;
using static Distribution.Tests.Api.ApiTestClient;

namespace Distribution.Tests.Api;

/// <summary>Replenishment over HTTP: a policy, a pass, the recommendation listed, approved into a transfer or a sent purchase order.</summary>
public sealed class ReplenishmentApiTests(HubFactory factory) : IClassFixture<HubFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task A_pass_lists_a_transfer_recommendation_that_approving_turns_into_a_transfer()
    {
        var (destination, source, sku) = (Unique("DST"), Unique("SRC"), Unique("SKU"));
        await _client.PutWarehouseAsync(destination, 50.1, 8.7);
        await _client.PutWarehouseAsync(source, 50.9, 6.9);
        (await _client.PutAsJsonAsync($"/v1/lanes/{source}/{destination}", new { transitDays = 1, costPerUnit = 0.4 })).EnsureSuccessStatusCode();
        await _client.PutItemAsync(sku);
        var asOf = DateTimeOffset.UtcNow;
        await _client.PostSnapshotAsync(destination, asOf, (sku, 2));
        await _client.PostSnapshotAsync(source, asOf, (sku, 80));
        foreach (var (warehouse, reorderPoint) in new[] { (destination, 10), (source, 5) })
        {
            using var policy = await _client.PutAsJsonAsync($"/v1/warehouses/{warehouse}/skus/{sku}/policy", new { kind = "reorderPoint", reorderPoint, orderQuantity = 12, mode = "recommend" });
            Assert.True(policy.IsSuccessStatusCode, await policy.Content.ReadAsStringAsync());
        }

        var recommendation = await OpenRecommendationAsync(destination);
        Assert.Equal(("transfer", source, 12), (recommendation.Str("kind"), recommendation.Str("sourceId"), recommendation.Int("quantity")));
        // The open-recommendations gauge polls the boards every 10 s.
        const string open = "distribution_replenishment_recommendations_open";
        var scrape = await _client.ScrapeUntilAsync(t => MetricLines(t, open, destination).Any(), timeoutMs: 25_000);
        Assert.EndsWith(" 1", Assert.Single(MetricLines(scrape, open, destination)), StringComparison.Ordinal);

        var id = recommendation.Str("recommendationId");
        await ApproveAsync(id);

        var transfer = await _client.GetJsonAsync($"/v1/transfers/{id}");
        Assert.Equal((source, destination), (transfer.Str("fromWarehouseId"), transfer.Str("toWarehouseId")));
        using (var dismiss = await _client.PostAsJsonAsync($"/v1/replenishment/recommendations/{id}/dismiss", new { note = "too late" }))
        {
            Assert.Equal(HttpStatusCode.Conflict, dismiss.StatusCode);
        }
    }

    [Fact]
    public async Task Approving_a_purchase_recommendation_sends_a_purchase_order_that_shows_as_inbound_and_covers_the_need()
    {
        var (destination, supplier, sku) = (Unique("DST"), Unique("SUP"), Unique("SKU"));
        await _client.PutWarehouseAsync(destination, 50.1, 8.7);
        (await _client.PutAsJsonAsync($"/v1/suppliers/{supplier}", new { name = "Acme", leadTimeDays = 7, leadTimeStdDevDays = 1 })).EnsureSuccessStatusCode();
        (await _client.PutAsJsonAsync($"/v1/items/{sku}", new { description = "bought", unitOfMeasure = "EA", defaultSupplierId = supplier })).EnsureSuccessStatusCode();
        await _client.PostSnapshotAsync(destination, DateTimeOffset.UtcNow, (sku, 2));
        using (var policy = await _client.PutAsJsonAsync($"/v1/warehouses/{destination}/skus/{sku}/policy", new { kind = "reorderPoint", reorderPoint = 10, orderQuantity = 30, mode = "recommend" }))
        {
            Assert.True(policy.IsSuccessStatusCode, await policy.Content.ReadAsStringAsync());
        }

        var recommendation = await OpenRecommendationAsync(destination);
        Assert.Equal(("purchase", supplier, 30), (recommendation.Str("kind"), recommendation.Str("sourceId"), recommendation.Int("quantity")));
        var id = recommendation.Str("recommendationId");

        await ApproveAsync(id);

        var po = await _client.GetJsonAsync($"/v1/purchase-orders/{id}");
        Assert.Equal(("sent", supplier, destination), (po.Str("status"), po.Str("supplierId"), po.Str("warehouseId")));
        Assert.Equal(30, po.GetProperty("lines")[0].Int("orderedQuantity"));
        var availability = await _client.GetAvailabilityUntilAsync(sku, v => v.Location(destination).Int("inbound") == 30);
        var source = Assert.Single(availability.Location(destination).GetProperty("inboundSources").EnumerateArray());
        Assert.Equal(("purchaseOrder", id), (source.Str("sourceKind"), source.Str("sourceId")));

        // The position now counts the order: another pass proposes nothing new for this need.
        using (var pass = await _client.PostAsync("/v1/replenishment/review", null))
        {
            Assert.Equal(HttpStatusCode.OK, pass.StatusCode);
        }

        var all = await _client.GetJsonAsync($"/v1/replenishment/recommendations?warehouseId={destination}");
        Assert.Equal([id], all.GetProperty("items").EnumerateArray().Select(r => r.Str("recommendationId")));
    }

    [Fact]
    public async Task Bad_filters_and_unknown_ids_are_problems_naming_the_field()
    {
        using (var status = await _client.GetAsync("/v1/replenishment/recommendations?status=maybe"))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, status.StatusCode);
            Assert.Contains("status", await status.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var warehouse = await _client.GetAsync($"/v1/replenishment/recommendations?warehouseId={Unique("NOPE")}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, warehouse.StatusCode);
        }

        using var unknown = await _client.PostAsync($"/v1/replenishment/recommendations/{Unique("WH")}-R000001/approve", null);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("recommendationId", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>
    /// Runs passes until the warehouse has its one open recommendation: policies reach the SKU's
    /// view asynchronously, so a pass may run before it sees the need, and passes never propose
    /// the same need twice, so repeating them is safe.
    /// </summary>
    private async Task<System.Text.Json.JsonElement> OpenRecommendationAsync(string warehouseId)
    {
        var list = await EventuallyAsync(
            async () =>
            {
                using var pass = await _client.PostAsync("/v1/replenishment/review", null);
                Assert.Equal(HttpStatusCode.OK, pass.StatusCode);
                return await _client.GetJsonAsync($"/v1/replenishment/recommendations?warehouseId={warehouseId}&status=open");
            },
            l => l.GetProperty("items").GetArrayLength() > 0);
        return Assert.Single(list.GetProperty("items").EnumerateArray());
    }

    private async Task ApproveAsync(string? recommendationId)
    {
        using var approved = await _client.PostAsync($"/v1/replenishment/recommendations/{recommendationId}/approve", null);
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        Assert.Equal("approved", (await ReadJsonAsync(approved)).Str("status"));
    }
}
