using System.Net;
using System.Text.Json;
using static Distribution.Tests.Api.ApiTestClient;

namespace Distribution.Tests.Api;

/// <summary>Every refused order gets a clear problem+json and changes nothing: no order, no reservation.</summary>
public sealed class BadInputTests(HubFactory factory) : IClassFixture<HubFactory>
{
    private static readonly DateTimeOffset AsOf = new(2025, 3, 3, 8, 0, 0, TimeSpan.Zero);

    private readonly HttpClient _client = factory.CreateClient();

    private Task<(string Sku, string Warehouse)> SeedAsync() => _client.SeedOneSkuAsync(AsOf, onHand: 10);

    private async Task AssertNothingChangedAsync(string orderId, string sku)
    {
        using var order = await _client.GetAsync($"/v1/orders/{orderId}");
        Assert.Equal(HttpStatusCode.NotFound, order.StatusCode);
        await Task.Delay(100);
        var availability = await _client.GetAvailabilityAsync(sku);
        Assert.Equal((10, 0, 10), (availability.GetProperty("total").Int("onHand"), availability.GetProperty("total").Int("reserved"), availability.GetProperty("total").Int("available")));
        Assert.Equal(0, availability.Int("backordered"));
    }

    private static string Json(object value) => JsonSerializer.Serialize(value, JsonSerializerOptions.Web);

    [Fact]
    public async Task Malformed_json_is_400_problem()
    {
        var (sku, _) = await SeedAsync();
        var orderId = Unique("ORD");
        var body = $$"""{"orderId":"{{orderId}}","shipTo":{"latitude":50,"longitude":8},"lines":[{"lineId":"1","sku":"{{sku}}","quantity":1}""";

        using var response = await _client.PostAsync("/v1/orders", RawJson(body));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        await AssertNothingChangedAsync(orderId, sku);
    }

    [Fact]
    public async Task Wrong_type_for_a_field_is_400_naming_it()
    {
        var (sku, _) = await SeedAsync();
        var orderId = Unique("ORD");
        var body = $$"""{"orderId":"{{orderId}}","shipTo":{"latitude":50,"longitude":8},"lines":[{"lineId":"1","sku":"{{sku}}","quantity":"abc"}]}""";

        using var response = await _client.PostAsync("/v1/orders", RawJson(body));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "lines[0].quantity");
        await AssertNothingChangedAsync(orderId, sku);
    }

    [Fact]
    public async Task Unknown_field_is_400_naming_it()
    {
        var (sku, _) = await SeedAsync();
        var orderId = Unique("ORD");
        var body = $$"""{"orderId":"{{orderId}}","shipTo":{"latitude":50,"longitude":8},"lines":[{"lineId":"1","sku":"{{sku}}","quantty":1}]}""";

        using var response = await _client.PostAsync("/v1/orders", RawJson(body));

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("quantty", problem.GetRawText(), StringComparison.Ordinal);
        await AssertNothingChangedAsync(orderId, sku);
    }

    [Fact]
    public async Task Order_without_lines_is_422_naming_lines()
    {
        var (sku, _) = await SeedAsync();
        var orderId = Unique("ORD");

        using var response = await _client.PostOrderAsync(Order(orderId, lines: []));

        await AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "lines");
        await AssertNothingChangedAsync(orderId, sku);
    }

    [Fact]
    public async Task Order_with_1001_lines_is_422_naming_lines()
    {
        var (sku, _) = await SeedAsync();
        var orderId = Unique("ORD");
        var lines = Enumerable.Range(1, 1001).Select(i => ($"L{i}", sku, 1)).ToArray();

        using var response = await _client.PostOrderAsync(Order(orderId, lines: lines));

        await AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "lines");
        await AssertNothingChangedAsync(orderId, sku);
    }

    [Fact]
    public async Task Duplicate_line_id_is_422_naming_it()
    {
        var (sku, _) = await SeedAsync();
        var orderId = Unique("ORD");

        using var response = await _client.PostOrderAsync(Order(orderId, lines: [("A", sku, 1), ("B", sku, 1), ("A", sku, 2)]));

        var problem = await AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "lines[2].lineId");
        Assert.Contains("'A'", problem.GetProperty("errors").GetProperty("lines[2].lineId")[0].GetString(), StringComparison.Ordinal);
        await AssertNothingChangedAsync(orderId, sku);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public async Task Quantity_zero_or_negative_is_422_naming_it(int quantity)
    {
        var (sku, _) = await SeedAsync();
        var orderId = Unique("ORD");

        using var response = await _client.PostOrderAsync(Order(orderId, lines: [("1", sku, 1), ("2", sku, quantity)]));

        await AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "lines[1].quantity");
        await AssertNothingChangedAsync(orderId, sku);
    }

    [Fact]
    public async Task Unknown_sku_is_422_naming_the_line()
    {
        var (sku, _) = await SeedAsync();
        var orderId = Unique("ORD");
        var missing = Unique("NOPE");

        using var response = await _client.PostOrderAsync(Order(orderId, lines: [("1", sku, 1), ("2", missing, 1)]));

        var problem = await AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "lines[1].sku");
        Assert.Contains(missing, problem.GetProperty("errors").GetProperty("lines[1].sku")[0].GetString(), StringComparison.Ordinal);
        await AssertNothingChangedAsync(orderId, sku);
    }

    [Fact]
    public async Task Missing_shipTo_is_422_naming_it()
    {
        var (sku, _) = await SeedAsync();
        var orderId = Unique("ORD");
        var body = Json(new { orderId, channel = "web", lines = new[] { new { lineId = "1", sku, quantity = 1 } } });

        using var response = await _client.PostAsync("/v1/orders", RawJson(body));

        await AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "shipTo");
        await AssertNothingChangedAsync(orderId, sku);
    }
}
