using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using static Distribution.Tests.Api.ApiTestClient;

namespace Distribution.Tests.Api;

/// <summary>
/// Deliveries carry a W3C traceparent: with tracing on, a span in the trace of the request that
/// caused the event; with tracing off, still a valid one (a trace of its own).
/// </summary>
public sealed partial class WebhookTracingTests(TracingHubFactory tracing, WebhookHubFactory plain) : IClassFixture<TracingHubFactory>, IClassFixture<WebhookHubFactory>
{
    private static readonly DateTimeOffset AsOf = new(2025, 3, 3, 8, 0, 0, TimeSpan.Zero);

    [GeneratedRegex("^00-(?<trace>[0-9a-f]{32})-(?<span>[0-9a-f]{16})-(?<flags>[0-9a-f]{2})$")]
    private static partial Regex TraceParent();

    private static async Task<ReceivedDelivery> DeliveryOfAnOrderAsync(HttpClient client, WebhookReceiver receiver, string? traceParent)
    {
        using (var subscribed = await client.PostAsJsonAsync("/v1/subscriptions", new { url = receiver.Url, eventTypes = new[] { "order.allocated" }, secret = "whsec-trace-0123456789" }))
        {
            await EnsureAsync(subscribed, HttpStatusCode.Created);
        }

        var (sku, _) = await client.SeedOneSkuAsync(AsOf, 10);
        var orderId = Unique("ORD");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/orders") { Content = JsonContent.Create(Order(orderId, lines: ("1", sku, 1))) };
        if (traceParent is not null)
        {
            request.Headers.Add("traceparent", traceParent);
        }

        using (var placed = await client.SendAsync(request))
        {
            await EnsureAsync(placed, HttpStatusCode.Created);
        }

        var delivered = await receiver.DeliveredUntilAsync(d => d.Any(x => x.Type == "order.allocated" && x.EntityId == orderId));
        return delivered.Single(x => x.EntityId == orderId);
    }

    [Fact]
    public async Task With_tracing_on_a_delivery_continues_the_trace_of_the_request_that_caused_it()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var client = tracing.CreateClient();
        var caller = ActivityTraceId.CreateRandom().ToHexString();
        var callerSpan = ActivitySpanId.CreateRandom().ToHexString();

        var delivery = await DeliveryOfAnOrderAsync(client, receiver, $"00-{caller}-{callerSpan}-01");

        var header = TraceParent().Match(delivery.TraceParent);
        Assert.True(header.Success, $"not a W3C traceparent: '{delivery.TraceParent}'");
        Assert.Equal(caller, header.Groups["trace"].Value);
        Assert.NotEqual(callerSpan, header.Groups["span"].Value);
        Assert.Equal("01", header.Groups["flags"].Value);
    }

    [Fact]
    public async Task With_tracing_off_a_delivery_still_carries_a_valid_traceparent()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var client = plain.CreateClient();

        var delivery = await DeliveryOfAnOrderAsync(client, receiver, traceParent: null);

        var header = TraceParent().Match(delivery.TraceParent);
        Assert.True(header.Success, $"not a W3C traceparent: '{delivery.TraceParent}'");
        Assert.NotEqual(new string('0', 32), header.Groups["trace"].Value);
    }
}
