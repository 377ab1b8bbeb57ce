namespace Distribution.Integration.Webhooks;

/// <summary>Stored state of the subscription registry.</summary>
[GenerateSerializer]
public sealed class SubscriptionRegistryState
{
    [Id(0)] public Dictionary<string, StoredSubscription> Subscriptions { get; set; } = new(StringComparer.Ordinal);
}

/// <param name="Paused">Set by <c>active: false</c>; stored as "paused" so that subscriptions stored before it existed read as active.</param>
[GenerateSerializer, Immutable]
public sealed record StoredSubscription(
    [property: Id(0)] SubscriptionTarget Target,
    [property: Id(1)] DateTimeOffset CreatedAt,
    [property: Id(2)] bool Paused = false,
    [property: Id(3)] string? CreatedByKeyId = null,
    [property: Id(4)] DateTimeOffset? UpdatedAt = null);
