using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
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
        using var receiver = TraceReceiver.Start();
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
            () => Task.FromResult(JsonSerializer.SerializeToElement(receiver.Deliveries.Where(d => d.EventType == "order.shipped").Select(d => d.TraceParent).ToList())),
            t => t.GetArrayLength() >= 1,
            silo);
        Assert.All(delivered.EnumerateArray(), t => Assert.Equal(caller, ActivityContext.Parse(t.GetString()!, null).TraceId));
    }

    /// <summary>A subscriber on 127.0.0.1 (HttpListener on a free port) that keeps each delivery's type and traceparent.</summary>
    private sealed class TraceReceiver : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly CancellationTokenSource _stop = new();

        private TraceReceiver(int port)
        {
            Url = $"http://127.0.0.1:{port}/hooks/";
            _listener.Prefixes.Add(Url);
        }

        public string Url { get; }

        public ConcurrentQueue<(string EventType, string TraceParent)> Deliveries { get; } = new();

        public static TraceReceiver Start()
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            var receiver = new TraceReceiver(port);
            receiver._listener.Start();
            _ = receiver.ServeAsync();
            return receiver;
        }

        private async Task ServeAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception) when (_stop.IsCancellationRequested)
                {
                    return;
                }

                Deliveries.Enqueue((context.Request.Headers["X-Distribution-Event-Type"] ?? "", context.Request.Headers["traceparent"] ?? ""));
                context.Response.StatusCode = 200;
                context.Response.Close();
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Close();
        }
    }
}
