using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Distribution.Tests.Api;

/// <summary>
/// A subscriber's endpoint on 127.0.0.1 (real Kestrel on a free port) that records every delivery
/// attempt and answers what the test tells it to (2xx by default).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WebhookReceiver(WebApplication app) => _app = app;

    /// <summary>Every attempt, in arrival order, with the status it was answered.</summary>
    public ConcurrentQueue<(ReceivedDelivery Delivery, int Status)> Attempts { get; } = new();

    /// <summary>Decides the answer to an attempt (200 unless set).</summary>
    public Func<ReceivedDelivery, int> Answer { get; set; } = _ => 200;

    public string Url { get; private set; } = "";

    public IReadOnlyList<ReceivedDelivery> Delivered =>
        [.. Attempts.Where(a => a.Status is >= 200 and < 300).Select(a => a.Delivery)];

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hooks", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            var delivery = new ReceivedDelivery(
                context.Request.Headers["X-Distribution-Event-Id"].ToString(),
                context.Request.Headers["X-Distribution-Event-Type"].ToString(),
                context.Request.Headers["X-Correlation-Id"].ToString(),
                context.Request.Headers["X-Distribution-Signature"].ToString(),
                int.Parse(context.Request.Headers["X-Distribution-Delivery-Attempt"].ToString(), System.Globalization.CultureInfo.InvariantCulture),
                body)
            {
                TraceParent = context.Request.Headers["traceparent"].ToString(),
            };
            var status = receiver.Answer(delivery);
            receiver.Attempts.Enqueue((delivery, status));
            return Results.StatusCode(status);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Url = $"{address}/hooks";
        return receiver;
    }

    /// <summary>Polls until <paramref name="until"/> holds (the deliveries are asynchronous).</summary>
    public async Task<IReadOnlyList<ReceivedDelivery>> DeliveredUntilAsync(Func<IReadOnlyList<ReceivedDelivery>, bool> until, int timeoutMs = 15_000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (true)
        {
            var delivered = Delivered;
            if (until(delivered))
            {
                return delivered;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the deliveries expected did not arrive; received: {string.Join(", ", Attempts.Select(a => $"{a.Delivery.EventId}={a.Status}"))}");
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

public sealed record ReceivedDelivery(string EventId, string Type, string CorrelationId, string Signature, int Attempt, string Body)
{
    /// <summary>The W3C traceparent header as received ("" when absent).</summary>
    public string TraceParent { get; init; } = "";

    public JsonElement Json => JsonDocument.Parse(Body).RootElement.Clone();

    public string EntityId => Json.GetProperty("entityId").GetString()!;
}
