using System.Diagnostics;

namespace Distribution.Events;

/// <summary>
/// W3C trace context through the event journal: ingest stores the accepting call's traceparent
/// with each event, and the warehouse's consumer applies a batch under a span (source
/// <see cref="ActivitySourceName"/>) whose parent is the first traced event's context, linked to
/// the other traces in the batch. Grain calls and webhooks made inside that span continue the
/// trace of the request that posted the events. With nothing listening to the source no span is
/// started and no traceparent is parsed.
/// </summary>
public static class EventTracing
{
    public const string ActivitySourceName = "Distribution.Events";

    /// <summary>The gateway's correlation id key (attribute and baggage); the gateway is not referenced here.</summary>
    public const string CorrelationKey = "correlation.id";

    /// <summary>Links beyond this are dropped: a batch of thousands of posts would make a span no backend shows.</summary>
    public const int MaxLinks = 64;

    internal static readonly ActivitySource Source = new(ActivitySourceName);

    /// <summary>The current activity's W3C id (what a journaled event keeps), or null when nothing is traced.</summary>
    public static string? CurrentTraceParent() =>
        Activity.Current is { IdFormat: ActivityIdFormat.W3C, Id: { } id } ? id : null;

    /// <summary>
    /// The parent, links and correlation id of a batch's span. From the stream
    /// (<paramref name="underCaller"/> false) the parent is the first event with a valid
    /// traceparent and the correlation id is that event's; every other distinct trace context is a
    /// link. Called directly (a replay, <paramref name="underCaller"/> true) the caller's trace is
    /// the parent (default context: the current activity) and every event's trace is a link.
    /// </summary>
    public static BatchTrace Plan(IReadOnlyList<JournaledEvent> events, bool underCaller)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var contexts = new List<ActivityContext>();
        string? correlationId = null;
        foreach (var e in events)
        {
            if (e.TraceParent is not { } traceParent || !seen.Add(traceParent)
                || !ActivityContext.TryParse(traceParent, null, isRemote: true, out var context))
            {
                continue;
            }

            if (contexts.Count == 0)
            {
                correlationId = e.CorrelationId;
            }

            contexts.Add(context);
            if (contexts.Count > MaxLinks)
            {
                break;
            }
        }

        if (underCaller || contexts.Count == 0)
        {
            return new(default, [.. contexts.Take(MaxLinks).Select(c => new ActivityLink(c))], underCaller ? null : events.FirstOrDefault(e => e.CorrelationId is not null)?.CorrelationId);
        }

        return new(contexts[0], [.. contexts.Skip(1).Take(MaxLinks).Select(c => new ActivityLink(c))], correlationId);
    }

    /// <summary>
    /// Starts the span of applying <paramref name="events"/> at <paramref name="warehouseId"/>, or
    /// returns null when nothing listens (tracing off). Dispose it when the batch is done.
    /// </summary>
    public static Activity? StartApply(string warehouseId, IReadOnlyList<JournaledEvent> events, bool underCaller)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var plan = Plan(events, underCaller);
        var activity = Source.StartActivity($"warehouse-events apply {warehouseId}", ActivityKind.Consumer, plan.Parent, links: plan.Links);
        if (activity is null)
        {
            return null;
        }

        activity.SetTag("warehouse.id", warehouseId);
        activity.SetTag("messaging.batch.message_count", events.Count);
        if (plan.CorrelationId is { } correlationId)
        {
            // Baggage is what Orleans carries to the grain calls made inside the span.
            activity.AddBaggage(CorrelationKey, correlationId);
        }

        if (activity.GetBaggageItem(CorrelationKey) is { } carried)
        {
            activity.SetTag(CorrelationKey, carried);
        }

        return activity;
    }

    /// <summary>
    /// A SKU's events within a batch whose first traced event came in another trace than the
    /// batch's span (a batch mixes posts): that trace, and that event's correlation id; null when
    /// the group belongs to the batch's trace or has no traced event.
    /// </summary>
    public static SkuGroupTrace? PlanSkuGroup(IReadOnlyList<JournaledEvent> events, ActivityTraceId batchTrace)
    {
        foreach (var e in events)
        {
            if (e.TraceParent is { } traceParent && ActivityContext.TryParse(traceParent, null, isRemote: true, out var context))
            {
                return context.TraceId == batchTrace ? null : new SkuGroupTrace(context, e.CorrelationId);
            }
        }

        return null;
    }

    /// <summary>
    /// Starts the span of one SKU's events under their own trace (linked to the batch's span) when
    /// they came in another trace than the batch; null otherwise, and always when the batch has no span.
    /// </summary>
    public static Activity? StartSkuGroup(Activity? batch, string warehouseId, string sku, IReadOnlyList<JournaledEvent> events)
    {
        if (batch is null || PlanSkuGroup(events, batch.TraceId) is not { } plan)
        {
            return null;
        }

        var activity = Source.StartActivity($"warehouse-events apply {warehouseId} {sku}", ActivityKind.Consumer, plan.Parent, links: [new ActivityLink(batch.Context)]);
        if (activity is null)
        {
            return null;
        }

        activity.SetTag("warehouse.id", warehouseId);
        activity.SetTag("sku", sku);
        activity.SetTag("messaging.batch.message_count", events.Count);
        if (plan.CorrelationId is { } correlationId)
        {
            activity.AddBaggage(CorrelationKey, correlationId);
            activity.SetTag(CorrelationKey, correlationId);
        }

        return activity;
    }
}

/// <summary>Where a SKU group's span hangs when its events came in another trace than the batch's.</summary>
public readonly record struct SkuGroupTrace(ActivityContext Parent, string? CorrelationId);

/// <summary>Where a batch's span hangs: its parent (default: the current activity), its links and its correlation id.</summary>
public readonly record struct BatchTrace(ActivityContext Parent, IReadOnlyList<ActivityLink> Links, string? CorrelationId);
