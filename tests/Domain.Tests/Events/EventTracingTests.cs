using System.Diagnostics;

namespace Distribution.Events.Tests;

/// <summary>Where the span of a warehouse's event batch hangs: the trace that posted the events.</summary>
public sealed class EventTracingTests
{
    private const string TraceA = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    private const string TraceB = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    private const string TraceC = "00-5c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f-1122334455667788-00";

    private static long _sequence;

    private static JournaledEvent Journaled(string? traceParent, string? correlationId = null) => new()
    {
        Sequence = Interlocked.Increment(ref _sequence),
        Event = new WarehouseEvent
        {
            EventId = $"EV-{_sequence}",
            WarehouseId = "WH-1",
            Type = WarehouseEventType.Received,
            Sku = "SKU-1",
            Quantity = 1,
            OccurredAt = new DateTimeOffset(2026, 11, 27, 8, 0, 0, TimeSpan.Zero),
        },
        CorrelationId = correlationId,
        TraceParent = traceParent,
    };

    private static ActivityContext Context(string traceParent) => ActivityContext.Parse(traceParent, null);

    [Fact]
    public void From_the_stream_the_first_traced_event_is_the_parent_and_the_other_traces_are_links()
    {
        var plan = EventTracing.Plan(
            [Journaled(null, "corr-untraced"), Journaled("not a traceparent", "corr-bad"), Journaled(TraceA, "corr-a"), Journaled(TraceB, "corr-b"), Journaled(TraceA, "corr-a2"), Journaled(TraceC)],
            underCaller: false);

        Assert.Equal(Context(TraceA).TraceId, plan.Parent.TraceId);
        Assert.Equal(Context(TraceA).SpanId, plan.Parent.SpanId);
        Assert.True(plan.Parent.IsRemote);
        Assert.Equal([Context(TraceB).TraceId, Context(TraceC).TraceId], plan.Links.Select(l => l.Context.TraceId));
        Assert.Equal("corr-a", plan.CorrelationId);
    }

    [Fact]
    public void A_batch_with_no_traced_event_has_no_parent_of_its_own_and_the_first_correlation_id()
    {
        var plan = EventTracing.Plan([Journaled(null), Journaled(null, "corr-2"), Journaled(null, "corr-3")], underCaller: false);

        Assert.Equal(default, plan.Parent);
        Assert.Empty(plan.Links);
        Assert.Equal("corr-2", plan.CorrelationId);
    }

    [Fact]
    public void Called_directly_the_caller_is_the_parent_and_every_event_trace_a_link()
    {
        var plan = EventTracing.Plan([Journaled(TraceA, "corr-a"), Journaled(TraceB, "corr-b"), Journaled(TraceB)], underCaller: true);

        Assert.Equal(default, plan.Parent);
        Assert.Equal([Context(TraceA).TraceId, Context(TraceB).TraceId], plan.Links.Select(l => l.Context.TraceId));
        Assert.Null(plan.CorrelationId);
    }

    [Fact]
    public void Links_stop_at_the_limit()
    {
        var events = Enumerable.Range(0, EventTracing.MaxLinks + 10)
            .Select(_ => Journaled($"00-{ActivityTraceId.CreateRandom().ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01"))
            .ToList();

        var plan = EventTracing.Plan(events, underCaller: false);

        Assert.Equal(Context(events[0].TraceParent!).TraceId, plan.Parent.TraceId);
        Assert.Equal(EventTracing.MaxLinks, plan.Links.Count);
        Assert.Equal(Context(events[1].TraceParent!).TraceId, plan.Links[0].Context.TraceId);
    }

    [Fact]
    public void A_sku_group_from_another_post_than_the_batch_gets_that_posts_trace_and_correlation_id()
    {
        var batchTrace = Context(TraceA).TraceId;

        var other = EventTracing.PlanSkuGroup([Journaled(null, "corr-none"), Journaled(TraceB, "corr-b"), Journaled(TraceA, "corr-a")], batchTrace);
        var same = EventTracing.PlanSkuGroup([Journaled(TraceA, "corr-a"), Journaled(TraceB, "corr-b")], batchTrace);
        var untraced = EventTracing.PlanSkuGroup([Journaled(null, "corr-none"), Journaled("garbage")], batchTrace);

        Assert.NotNull(other);
        Assert.Equal((Context(TraceB).TraceId, Context(TraceB).SpanId, "corr-b"), (other.Value.Parent.TraceId, other.Value.Parent.SpanId, other.Value.CorrelationId));
        Assert.Null(same);
        Assert.Null(untraced);
    }

    [Fact]
    public void The_span_continues_the_posting_trace_with_the_warehouse_count_and_correlation_id_and_there_is_none_without_a_listener()
    {
        IReadOnlyList<JournaledEvent> batch = [Journaled(TraceA, "corr-a"), Journaled(TraceB, "corr-b")];
        Assert.Null(EventTracing.StartApply("WH-1", batch, underCaller: false));

        using (var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == EventTracing.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        })
        {
            ActivitySource.AddActivityListener(listener);
            using var span = EventTracing.StartApply("WH-1", batch, underCaller: false);

            Assert.NotNull(span);
            Assert.Same(span, Activity.Current);
            Assert.Equal(ActivityKind.Consumer, span.Kind);
            Assert.Equal("warehouse-events apply WH-1", span.DisplayName);
            Assert.Equal(Context(TraceA).TraceId, span.TraceId);
            Assert.Equal(Context(TraceA).SpanId, span.ParentSpanId);
            Assert.Equal(Context(TraceB).TraceId, Assert.Single(span.Links).Context.TraceId);
            Assert.Equal("WH-1", span.GetTagItem("warehouse.id"));
            Assert.Equal(2, span.GetTagItem("messaging.batch.message_count"));
            Assert.Equal("corr-a", span.GetTagItem(EventTracing.CorrelationKey));
            Assert.Equal("corr-a", span.GetBaggageItem(EventTracing.CorrelationKey));
            Assert.Equal(span.Id, EventTracing.CurrentTraceParent());

            using var group = EventTracing.StartSkuGroup(span, "WH-1", "SKU-2", [Journaled(TraceB, "corr-b")]);
            Assert.NotNull(group);
            Assert.Equal(Context(TraceB).TraceId, group.TraceId);
            Assert.Equal(span.Context, Assert.Single(group.Links).Context);
            Assert.Equal(("SKU-2", "corr-b"), (group.GetTagItem("sku") as string, group.GetBaggageItem(EventTracing.CorrelationKey)));
            Assert.Null(EventTracing.StartSkuGroup(span, "WH-1", "SKU-1", [Journaled(TraceA, "corr-a")]));
            Assert.Null(EventTracing.StartSkuGroup(null, "WH-1", "SKU-2", [Journaled(TraceB, "corr-b")]));
        }

        Assert.Null(EventTracing.StartApply("WH-1", batch, underCaller: false));
    }
}
