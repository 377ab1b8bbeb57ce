using Distribution.Common;

namespace Distribution.Integration.BusinessEvents;

/// <summary>
/// One shard of the business event bus (key "0".."7": an entity's events always go to the shard
/// its key hashes to, so they keep their order). Stores what it is given before answering, then
/// hands each event to the webhook subscriptions and in-hub consumers that want its type.
/// </summary>
public interface IBusinessEventBusGrain : IRecoverableGrain
{
    /// <summary>Answers once the events are durably queued for dispatch (or nobody wants them). Duplicates are dropped.</summary>
    Task Publish(IReadOnlyList<BusinessEvent> events);

    /// <summary>The webhook subscriptions changed: every shard is told before the change is acknowledged.</summary>
    Task SetSubscriptions(IReadOnlyList<Webhooks.SubscriptionTarget> subscriptions);

    /// <summary>What in-hub consumers want may have changed (e.g. trading partners): ask them again.</summary>
    Task RefreshConsumers();

    /// <summary>Events stored but not yet handed to every target.</summary>
    [ReadOnly, AlwaysInterleave]
    Task<int> CountPending();
}

/// <summary>
/// Something inside the hub that receives business events at least once, in publication order per
/// entity (the finance feed, a webhook subscription's delivery queue, the EDI outbound writer).
/// Must answer only after it has stored what it needs, and recognise events it has seen by id.
/// </summary>
public interface IBusinessEventConsumer : IGrain
{
    Task Consume(IReadOnlyList<BusinessEvent> events);
}

public static class BusinessEventBus
{
    public const int Shards = 8;

    /// <summary>Tells every shard to ask its in-hub consumers what they want now; answers once all did.</summary>
    public static Task RefreshConsumers(IGrainFactory grains) =>
        Task.WhenAll(Enumerable.Range(0, Shards).Select(i =>
            grains.GetGrain<IBusinessEventBusGrain>(i.ToString(System.Globalization.CultureInfo.InvariantCulture)).RefreshConsumers()));

    public static string ShardOf(string entityKey) => (StableHash(entityKey) % Shards).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Publishes events to their shards (one call per shard concerned), each stamped with the
    /// current activity's trace context when one is being traced.
    /// </summary>
    public static Task Publish(IGrainFactory grains, IReadOnlyList<BusinessEvent> events)
    {
        if (events.Count == 0)
        {
            return Task.CompletedTask;
        }

        events = WithTraceContext(events);
        var byShard = events.GroupBy(e => ShardOf(e.EntityKey)).ToList();
        return byShard.Count == 1
            ? grains.GetGrain<IBusinessEventBusGrain>(byShard[0].Key).Publish(events)
            : Task.WhenAll(byShard.Select(g => grains.GetGrain<IBusinessEventBusGrain>(g.Key).Publish([.. g])));
    }

    /// <summary>The events, each without a trace context stamped with the current activity's (when one is being traced).</summary>
    public static IReadOnlyList<BusinessEvent> WithTraceContext(IReadOnlyList<BusinessEvent> events) =>
        System.Diagnostics.Activity.Current is { IdFormat: System.Diagnostics.ActivityIdFormat.W3C, Id: { } traceParent }
            ? [.. events.Select(e => e.TraceParent is null ? e with { TraceParent = traceParent } : e)]
            : events;

    private static uint StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = unchecked((hash ^ c) * 16777619u);
        }

        return hash;
    }
}
