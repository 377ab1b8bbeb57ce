using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Distribution.Events;
using Distribution.Events.Streaming;
using Distribution.Gateway.Operations;
using Distribution.Integration.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using static Distribution.Tests.Api.ApiTestClient;
using static Distribution.Tests.Api.EventTestClient;

namespace Distribution.Tests.Api;

/// <summary>
/// One trace from POST /v1/events through the journal and the warehouse's stream consumer to the
/// grains it tells and the webhook they publish, each span carrying the request's correlation id.
/// </summary>
public sealed class EventTracingTests : IClassFixture<TracingHubFactory>, IDisposable
{
    private static readonly DateTimeOffset AsOf = new(2025, 3, 3, 8, 0, 0, TimeSpan.Zero);

    private readonly TracingHubFactory _factory;
    private readonly ConcurrentBag<Activity> _stopped = [];
    private readonly ActivityListener _listener;

    // Every test records the spans that end while it runs (xUnit makes an instance per test).
    public EventTracingTests(TracingHubFactory factory)
    {
        _factory = factory;
        _listener = new()
        {
            ShouldListenTo = s => s.Name is Telemetry.OrleansApplicationSource or Telemetry.EventsSource or "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Add,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    [Fact]
    public void The_gateway_exports_the_source_and_correlation_key_the_grains_use()
    {
        Assert.Equal(EventTracing.ActivitySourceName, Telemetry.EventsSource);
        Assert.Equal(EventTracing.CorrelationKey, Telemetry.CorrelationKey);
        Assert.Equal(WebhookTracing.ActivitySourceName, Telemetry.WebhooksSource);
    }

    [Fact]
    public async Task Shipping_events_continue_the_trace_of_their_post_through_the_consumer_and_the_order_to_the_webhook()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var client = _factory.CreateClient();
        using (var subscribed = await client.PostAsJsonAsync("/v1/subscriptions", new { url = receiver.Url, eventTypes = new[] { "order.shipped" }, secret = "whsec-events-trace-0123456789" }))
        {
            await EnsureAsync(subscribed, HttpStatusCode.Created);
        }

        var (sku, warehouse) = await client.SeedOneSkuAsync(AsOf, 10);
        var orderId = Unique("ORD");
        Assert.Equal("allocated", (await client.PlaceOrderAsync(Order(orderId, lines: ("1", sku, 3)))).Str("status"));
        await client.GetSkuLocationUntilAsync(warehouse, sku, p => p.Int("reserved") == 3);

        var correlationId = Unique("corr-ship");
        var picked = Event("Picked", warehouse, sku, 3, orderId: orderId, lineId: "1");
        var shipped = Event("Shipped", warehouse, sku, 3, orderId: orderId, lineId: "1");
        Assert.Equal(["accepted", "accepted"], (await client.PostEventsAsync(correlationId, picked, shipped)).Verdicts());

        var delivery = (await receiver.DeliveredUntilAsync(d => d.Any(x => x.Type == "order.shipped" && x.EntityId == orderId)))
            .First(x => x.Type == "order.shipped" && x.EntityId == orderId);
        var trace = RequestSpan(correlationId).TraceId;

        // The webhook's traceparent names a span in the POST's trace.
        Assert.Equal(trace, ActivityContext.Parse(delivery.TraceParent, null).TraceId);

        // The consumer spans and the grain calls under them stop around the delivery: wait until
        // every call to the order is seen under a consumer span.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        List<Activity> inTrace;
        do
        {
            inTrace = [.. _stopped.Where(a => a.TraceId == trace)];
            var seen = inTrace;
            var calls = seen.Where(IsOrderCall).ToList();
            if (calls.Count > 0 && calls.All(a => seen.Any(c => c.Source.Name == Telemetry.EventsSource && IsAncestor(c, a, seen))))
            {
                break;
            }

            await Task.Delay(50);
        }
        while (DateTime.UtcNow < deadline);

        var consumers = inTrace.Where(a => a.Source.Name == Telemetry.EventsSource).ToList();
        Assert.NotEmpty(consumers);
        Assert.All(consumers, c =>
        {
            Assert.Equal(ActivityKind.Consumer, c.Kind);
            Assert.Equal($"warehouse-events apply {warehouse}", c.DisplayName);
            Assert.Equal(warehouse, c.GetTagItem("warehouse.id"));
            Assert.Equal(correlationId, c.GetTagItem(Telemetry.CorrelationKey));
        });
        var orderCalls = inTrace.Where(IsOrderCall).ToList();
        Assert.NotEmpty(orderCalls);
        Assert.All(orderCalls, a => Assert.Equal(correlationId, a.GetBaggageItem(Telemetry.CorrelationKey)));
        // The order was told by the consumer: its call hangs under a consumer span, not under the POST's ingest call.
        Assert.All(orderCalls, a => Assert.Contains(consumers, c => IsAncestor(c, a, inTrace)));
    }

    [Fact]
    public async Task A_re_driven_dead_letter_is_applied_in_the_trace_of_the_retry_not_of_the_first_post()
    {
        using var client = _factory.CreateClient();
        var warehouse = Unique("WH");
        var sku = Unique("SKU");
        await client.PutWarehouseAsync(warehouse, 50.2, 8.7);
        var postCorrelation = Unique("corr-post");
        var receipt = Event("Received", warehouse, sku, 4);
        Assert.Equal(["accepted"], (await client.PostEventsAsync(postCorrelation, receipt)).Verdicts());
        var id = (await client.GetExceptionUntilAsync(EventExceptionId(receipt.Id()))).Str("id")!;
        await client.PutItemAsync(sku);

        var retryCorrelation = Unique("corr-retry");
        using (var retry = await client.RetryExceptionAsync(id, retryCorrelation))
        {
            await EnsureAsync(retry, HttpStatusCode.OK);
        }

        await client.GetSkuLocationAfterAsync(warehouse, sku, receipt.Id());
        var applied = await ConsumerSpanAsync(warehouse, retryCorrelation);

        var post = RequestSpan(postCorrelation);
        var retried = RequestSpan(retryCorrelation);
        Assert.Equal(retried.TraceId, applied.TraceId);
        Assert.NotEqual(post.TraceId, applied.TraceId);
    }

    [Fact]
    public async Task In_a_batch_mixing_two_posts_each_skus_events_continue_their_own_posts_trace()
    {
        using var client = _factory.CreateClient();
        var (first, warehouse) = await client.SeedOneSkuAsync(AsOf, 10);
        var second = Unique("SKU");
        await client.PutItemAsync(second);
        var (traceA, traceB) = (ActivityTraceId.CreateRandom(), ActivityTraceId.CreateRandom());
        var queue = _factory.Services.GetRequiredService<EventStreams>().QueueOf(warehouse);
        JournalEntry Posted(string sku, ActivityTraceId trace, string correlationId)
        {
            var e = new WarehouseEvent { EventId = Unique("EV"), WarehouseId = warehouse, Type = WarehouseEventType.Received, Sku = sku, Quantity = 1, OccurredAt = Now() };
            return new(e.EventId, queue, warehouse, JournalCodec.Encode(e), e.OccurredAt, DateTimeOffset.UtcNow, correlationId, null,
                $"00-{trace.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        }

        // One append: the queue's reader hands both to the consumer in one batch.
        var entries = new[] { Posted(first, traceA, Unique("corr-a")), Posted(second, traceB, Unique("corr-b")) };
        Assert.All(await _factory.Services.GetRequiredService<IEventJournal>().AppendAsync(entries), r => Assert.Equal(JournalAppendStatus.Appended, r.Status));
        await client.GetSkuLocationAfterAsync(warehouse, first, entries[0].Key);
        await client.GetSkuLocationAfterAsync(warehouse, second, entries[1].Key);

        bool Applied(Activity a, ActivityTraceId trace) => a.TraceId == trace && a.Source.Name == Telemetry.OrleansApplicationSource
            && a.DisplayName.Contains("ISkuLocationGrain/", StringComparison.Ordinal) && a.DisplayName.Contains("ApplyEvents", StringComparison.Ordinal);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline && !(_stopped.Any(a => Applied(a, traceA)) && _stopped.Any(a => Applied(a, traceB))
            && _stopped.Any(a => a.Source.Name == Telemetry.EventsSource && a.TraceId == traceA)))
        {
            await Task.Delay(50);
        }

        var batch = Assert.Single(_stopped, a => a.Source.Name == Telemetry.EventsSource && a.TraceId == traceA);
        Assert.Equal((warehouse, 2, entries[0].CorrelationId), (batch.GetTagItem("warehouse.id") as string, batch.GetTagItem("messaging.batch.message_count") as int?, batch.GetTagItem(Telemetry.CorrelationKey) as string));
        Assert.Equal(traceB, Assert.Single(batch.Links).Context.TraceId);
        var group = Assert.Single(_stopped, a => a.Source.Name == Telemetry.EventsSource && a.TraceId == traceB);
        Assert.Equal((second, entries[1].CorrelationId), (group.GetTagItem("sku") as string, group.GetTagItem(Telemetry.CorrelationKey) as string));
        Assert.Equal(batch.SpanId, Assert.Single(group.Links).Context.SpanId);
        Assert.Contains(_stopped, a => Applied(a, traceA));
        Assert.Contains(_stopped, a => Applied(a, traceB) && a.GetBaggageItem(Telemetry.CorrelationKey) == entries[1].CorrelationId);
    }

    [Fact]
    public async Task A_replay_applies_in_the_trace_of_the_replay_request_linked_to_the_posts_trace()
    {
        using var client = _factory.CreateClient();
        var (sku, warehouse) = await client.SeedOneSkuAsync(AsOf, 10);
        var postCorrelation = Unique("corr-post");
        var receipt = Event("Received", warehouse, sku, 1);
        Assert.Equal(["accepted"], (await client.PostEventsAsync(postCorrelation, receipt)).Verdicts());
        await client.GetSkuLocationAfterAsync(warehouse, sku, receipt.Id());

        var replayCorrelation = Unique("corr-replay");
        using (var replay = new HttpRequestMessage(HttpMethod.Post, "/v1/events/replay")
        {
            Content = JsonContent.Create(new { from = DateTimeOffset.UtcNow.AddMinutes(-5), to = DateTimeOffset.UtcNow.AddMinutes(1), warehouseId = warehouse }),
        })
        {
            replay.Headers.Add("X-Correlation-Id", replayCorrelation);
            using var replayed = await client.SendAsync(replay);
            await EnsureAsync(replayed, HttpStatusCode.OK);
        }

        // The replay answers once its batches were applied; the consumer span stops just before.
        var applied = await ConsumerSpanAsync(warehouse, replayCorrelation);

        var post = RequestSpan(postCorrelation);
        var replayRequest = RequestSpan(replayCorrelation);
        Assert.Equal(replayRequest.TraceId, applied.TraceId);
        Assert.Contains(applied.Links, l => l.Context.TraceId == post.TraceId);
    }

    /// <summary>The one request span that carried <paramref name="correlationId"/>.</summary>
    private Activity RequestSpan(string correlationId) =>
        Assert.Single(_stopped, a => a.Source.Name == "Microsoft.AspNetCore" && a.GetTagItem(Telemetry.CorrelationKey) as string == correlationId);

    /// <summary>
    /// The one consumer span that applied <paramref name="warehouse"/>'s events under
    /// <paramref name="correlationId"/>, waited for: it can stop just after the answer that followed it.
    /// </summary>
    private async Task<Activity> ConsumerSpanAsync(string warehouse, string correlationId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline && !_stopped.Any(a => IsConsumerOf(a, warehouse, correlationId)))
        {
            await Task.Delay(50);
        }

        return Assert.Single(_stopped, a => IsConsumerOf(a, warehouse, correlationId));
    }

    private static bool IsConsumerOf(Activity a, string warehouse, string correlationId) =>
        a.Source.Name == Telemetry.EventsSource
        && a.GetTagItem("warehouse.id") as string == warehouse
        && a.GetTagItem(Telemetry.CorrelationKey) as string == correlationId;

    private static bool IsOrderCall(Activity a) =>
        a.Source.Name == Telemetry.OrleansApplicationSource && a.DisplayName.Contains("IOrderGrain/", StringComparison.Ordinal)
        && a.DisplayName.Contains("RecordFulfilment", StringComparison.Ordinal);

    private static bool IsAncestor(Activity ancestor, Activity span, List<Activity> trace)
    {
        var bySpan = trace.GroupBy(a => a.SpanId).ToDictionary(g => g.Key, g => g.First());
        for (var parent = span.ParentSpanId; bySpan.TryGetValue(parent, out var next); parent = next.ParentSpanId)
        {
            if (next.SpanId == ancestor.SpanId)
            {
                return true;
            }
        }

        return false;
    }

    public void Dispose() => _listener.Dispose();
}
