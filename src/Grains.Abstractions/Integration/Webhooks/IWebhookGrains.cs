using Distribution.Common;
using Distribution.Integration.BusinessEvents;

namespace Distribution.Integration.Webhooks;

/// <summary>The webhook subscriptions (key 0), stored durably.</summary>
public interface ISubscriptionRegistryGrain : IGrainWithIntegerKey
{
    /// <param name="createdByKeyId">The id of the API key of the request, recorded with the subscription.</param>
    Task<SubscriptionCommandResult> Create(SubscriptionRequest request, string? createdByKeyId);

    /// <summary>Changes url, event types, secret or active (fields left out keep their value), checked as a creation is.</summary>
    Task<SubscriptionCommandResult> Update(string id, SubscriptionRequest changes);

    Task<SubscriptionCommandResult> Delete(string id);

    [ReadOnly, AlwaysInterleave]
    Task<SubscriptionView?> Get(string id);

    [ReadOnly, AlwaysInterleave]
    Task<IReadOnlyList<SubscriptionView>> List();

    /// <summary>Every active subscription with its target (bus shards ask when they activate).</summary>
    [ReadOnly, AlwaysInterleave]
    Task<IReadOnlyList<SubscriptionTarget>> Targets();
}

/// <summary>
/// The delivery queue of one subscription (key = subscription id): events of one entity are
/// delivered in order, each signed, retried with backoff and jitter, dead-lettered into the
/// exception queue after the last attempt (which holds back that entity's later events until it
/// is retried or resolved).
/// </summary>
public interface IWebhookDeliveryGrain : IBusinessEventConsumer, IRecoverableGrain
{
    Task Configure(SubscriptionTarget target);

    /// <summary>The subscription was deleted: its queue is dropped.</summary>
    Task Remove();

    /// <summary>Tries a dead-lettered event again from its first attempt; false if it is not dead-lettered here.</summary>
    Task<bool> Redrive(string eventId);

    /// <summary>Drops a dead-lettered event (its exception was resolved), releasing the entity's later events.</summary>
    Task Discard(string eventId);

    [ReadOnly, AlwaysInterleave]
    Task<DeliveryStatus> Status();
}

public static class WebhookExceptionIds
{
    private const string Prefix = "webhook:";

    public static string For(string subscriptionId, string eventId) => $"{Prefix}{subscriptionId}:{eventId}";

    /// <summary>The subscription and event of a webhook exception id (subscription ids contain no ':').</summary>
    public static (string SubscriptionId, string EventId)? Parse(string exceptionId)
    {
        if (!exceptionId.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var rest = exceptionId[Prefix.Length..];
        var colon = rest.IndexOf(':', StringComparison.Ordinal);
        return colon <= 0 ? null : (rest[..colon], rest[(colon + 1)..]);
    }
}
