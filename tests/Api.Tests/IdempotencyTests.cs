using System.Net;
using System.Net.Http.Json;
using static Distribution.Tests.Api.ApiTestClient;

namespace Distribution.Tests.Api;

public sealed class IdempotencyTests(HubFactory factory) : IClassFixture<HubFactory>
{
    private static readonly DateTimeOffset AsOf = new(2025, 3, 3, 8, 0, 0, TimeSpan.Zero);

    private readonly HttpClient _client = factory.CreateClient();

    private async Task<HttpResponseMessage> PostWithKeyAsync(string url, string key, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        var response = await _client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    [Fact]
    public async Task Snapshot_sent_twice_with_the_same_key_and_body_gets_the_same_answer_marked_replayed()
    {
        var warehouse = Unique("WH");
        var sku = Unique("SKU");
        await _client.PutWarehouseAsync(warehouse, 50, 8);
        await _client.PutItemAsync(sku);
        var key = Unique("key");
        var body = Snapshot(warehouse, AsOf, (sku, 12));

        using var first = await PostWithKeyAsync("/v1/inventory/snapshots", key, body);
        using var second = await PostWithKeyAsync("/v1/inventory/snapshots", key, body);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        var firstBody = await first.Content.ReadAsStringAsync();
        Assert.Equal(1, (await ReadJsonAsync(first)).Int("applied"));
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal("true", Assert.Single(second.Headers.GetValues("Idempotent-Replayed")));
        Assert.Equal(first.Content.Headers.ContentType?.MediaType, second.Content.Headers.ContentType?.MediaType);
        // Applied once: a second application would have reported the line as stale.
        Assert.Equal(firstBody, await second.Content.ReadAsStringAsync());
        var availability = await _client.GetAvailabilityUntilAsync(sku, v => v.GetProperty("locations").GetArrayLength() == 1);
        Assert.Equal(12, availability.Location(warehouse).Int("onHand"));
    }

    [Fact]
    public async Task Same_key_with_a_different_body_is_409_and_not_applied()
    {
        var warehouse = Unique("WH");
        var sku = Unique("SKU");
        await _client.PutWarehouseAsync(warehouse, 50, 8);
        await _client.PutItemAsync(sku);
        var key = Unique("key");

        using var first = await PostWithKeyAsync("/v1/inventory/snapshots", key, Snapshot(warehouse, AsOf, (sku, 12)));
        using var second = await PostWithKeyAsync("/v1/inventory/snapshots", key, Snapshot(warehouse, AsOf.AddHours(1), (sku, 99)));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        await AssertProblemAsync(second, HttpStatusCode.Conflict, "Idempotency-Key");
        Assert.False(second.Headers.Contains("Idempotent-Replayed"));
        await Task.Delay(200);
        var availability = await _client.GetAvailabilityAsync(sku);
        Assert.Equal(12, availability.Location(warehouse).Int("onHand"));
        Assert.Equal(AsOf, availability.Location(warehouse).GetProperty("lastSnapshotAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task Order_resent_with_the_same_key_replays_the_201_with_its_location()
    {
        var warehouse = Unique("WH");
        var sku = Unique("SKU");
        await _client.PutWarehouseAsync(warehouse, 50, 8);
        await _client.PutItemAsync(sku);
        await _client.PostSnapshotAsync(warehouse, AsOf, (sku, 5));
        var orderId = Unique("ORD");
        var key = Unique("key");
        var body = Order(orderId, lines: ("1", sku, 2));

        using var first = await PostWithKeyAsync("/v1/orders", key, body);
        using var second = await PostWithKeyAsync("/v1/orders", key, body);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal("true", Assert.Single(second.Headers.GetValues("Idempotent-Replayed")));
        Assert.Equal($"/v1/orders/{orderId}", second.Headers.Location?.OriginalString);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        await Task.Delay(200);
        Assert.Equal(2, (await _client.GetAvailabilityAsync(sku)).Location(warehouse).Int("reserved"));
    }

    [Fact]
    public async Task Refused_request_is_replayed_with_the_same_problem()
    {
        var key = Unique("key");
        var body = Snapshot(Unique("NOPE"), AsOf, ("X", 1));

        using var first = await PostWithKeyAsync("/v1/inventory/snapshots", key, body);
        using var second = await PostWithKeyAsync("/v1/inventory/snapshots", key, body);

        await AssertProblemAsync(first, HttpStatusCode.UnprocessableEntity, "warehouseId");
        await AssertProblemAsync(second, HttpStatusCode.UnprocessableEntity, "warehouseId");
        Assert.Equal("true", Assert.Single(second.Headers.GetValues("Idempotent-Replayed")));
    }
}
