using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

using static Distribution.Tests.HubApi;

namespace Distribution.Tests;

/// <summary>
/// Durable mode with tracing on: events posted under a caller's trace go through the PostgreSQL
/// journal and its stream, and the webhook their shipment causes continues the caller's trace.
/// </summary>
public sealed class DurableEventTracingTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    private static readonly (string, double, double)[] Warehouses = [("W1", 51.0, 9.0)];
    private static readonly string[] Skus = ["S01"];

    [Fact]
    public async Task A_shipment_posted_under_a_trace_reaches_the_subscriber_in_that_trace()
    {
        var cluster = $"trace-{Guid.NewGuid():N}"[..17];
        using var receiver = WebhookReceiver.Start();
        await using var silo = await SiloProcess.StartAsync(database.ConnectionString, cluster, new Dictionary<string, string> { ["Telemetry__Tracing"] = "true" });
        var http = silo.Http;
        await SeedAsync(http, Warehouses, Skus, onHand: 10);
        using (var subscribed = await http.PostAsJsonAsync("/v1/subscriptions", new { url = receiver.Url, eventTypes = new[] { "order.shipped" }, secret = "whsec-durable-trace-0123456789" }))
        {
            Assert.True(subscribed.StatusCode == HttpStatusCode.Created, await subscribed.Content.ReadAsStringAsync());
        }

        using (var placed = await http.PostAsJsonAsync("/v1/orders", new
        {
            orderId = "o-traced",
            channel = "web",
            shipTo = new { latitude = 50.1, longitude = 8.7 },
            lines = new[] { new { lineId = "1", sku = "S01", quantity = 2 } },
        }))
        {
            Assert.True(placed.StatusCode == HttpStatusCode.Created, await placed.Content.ReadAsStringAsync());
        }

        var caller = ActivityTraceId.CreateRandom();
        var at = DateTimeOffset.UtcNow.AddMinutes(-1);
        using var post = new HttpRequestMessage(HttpMethod.Post, "/v1/events")
        {
            Content = JsonContent.Create(new
            {
                events = new object[]
                {
                    new { eventId = "pick-traced-1", warehouseId = "W1", type = "Picked", sku = "S01", quantity = 2, orderId = "o-traced", lineId = "1", occurredAt = at },
                    new { eventId = "ship-traced-1", warehouseId = "W1", type = "Shipped", sku = "S01", quantity = 2, orderId = "o-traced", lineId = "1", occurredAt = at },
                },
            }),
        };
        post.Headers.Add("traceparent", $"00-{caller.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        using (var accepted = await http.SendAsync(post))
        {
            Assert.True(accepted.StatusCode == HttpStatusCode.Accepted, await accepted.Content.ReadAsStringAsync());
        }

        var delivered = await UntilAsync(
            () => Task.FromResult(JsonSerializer.SerializeToElement(receiver.Delivered.Where(d => d.EventType == "order.shipped").Select(d => d.TraceParent).ToList())),
            t => t.GetArrayLength() >= 1,
            silo);
        Assert.All(delivered.EnumerateArray(), t => Assert.Equal(caller, ActivityContext.Parse(t.GetString()!, null).TraceId));
    }
}
