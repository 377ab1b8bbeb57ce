using System.Net;
using System.Text;
using static Distribution.Tests.Api.ApiTestClient;

namespace Distribution.Tests.Api;

/// <summary>The body limit is Kestrel's, so these run against real Kestrel on a loopback port.</summary>
public sealed class RequestLimitTests(KestrelHubFactory factory) : IClassFixture<KestrelHubFactory>
{
    private static readonly DateTimeOffset AsOf = new(2025, 3, 3, 8, 0, 0, TimeSpan.Zero);

    private readonly HttpClient _client = factory.CreateClient();

    private Task<(string Sku, string Warehouse)> SeedAsync() => _client.SeedOneSkuAsync(AsOf, onHand: 10);

    [Fact]
    public async Task Body_over_4_MB_is_413()
    {
        var (sku, _) = await SeedAsync();
        var orderId = Unique("ORD");
        var body = new StringBuilder();
        body.Append($$"""{"orderId":"{{orderId}}","shipTo":{"latitude":50,"longitude":8},"lines":[""");
        for (var i = 0; body.Length <= 4_500_000; i++)
        {
            body.Append(i == 0 ? "" : ",").Append($$"""{"lineId":"L{{i}}","sku":"{{sku}}","quantity":1}""");
        }

        body.Append("]}");
        Assert.True(body.Length > 4 * 1024 * 1024);

        // Expect: 100-continue lets the server refuse before the body is sent, as a well-behaved
        // client would; without it the server's early 413 can race the upload into a broken pipe.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/orders") { Content = RawJson(body.ToString()) };
        request.Headers.ExpectContinue = true;
        using var response = await _client.SendAsync(request);

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        using var order = await _client.GetAsync($"/v1/orders/{orderId}");
        Assert.Equal(HttpStatusCode.NotFound, order.StatusCode);
        await Task.Delay(100);
        Assert.Equal(0, (await _client.GetAvailabilityAsync(sku)).GetProperty("total").Int("reserved"));
    }
}
