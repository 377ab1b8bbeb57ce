namespace Distribution.Integration.Webhooks;

/// <summary>Stored state of the subscription registry.</summary>
[GenerateSerializer]
public sealed class SubscriptionRegistryState
{
    [Id(0)] public Dictionary<string, StoredSubscription> Subscriptions { get; set; } = new(StringComparer.Ordinal);
}

[GenerateSerializer, Immutable]
public sealed record StoredSubscription(
    [property: Id(0)] SubscriptionTarget Target,
    [property: Id(1)] DateTimeOffset CreatedAt);
