using Distribution.Common;

namespace Distribution.Integration.Webhooks;

/// <summary>
/// The body of <c>POST /v1/subscriptions</c> and of <c>PUT /v1/subscriptions/{id}</c> (where a
/// field left out keeps its value).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record SubscriptionRequest
{
    [Id(0)] public string? Url { get; init; }
    [Id(1)] public IReadOnlyList<string>? EventTypes { get; init; }
    /// <summary>The key deliveries are signed with (HMAC-SHA256); never shown again.</summary>
    [Id(2)] public string? Secret { get; init; }
    /// <summary>False: events published meanwhile are not delivered to it (default true).</summary>
    [Id(3)] public bool? Active { get; init; }
}

/// <summary>A subscription as the API shows it (without its secret).</summary>
[GenerateSerializer, Immutable]
public sealed record SubscriptionView
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required string Url { get; init; }
    [Id(2)] public IReadOnlyList<string> EventTypes { get; init; } = [];
    [Id(3)] public DateTimeOffset CreatedAt { get; init; }
    /// <summary>Deliveries waiting (retrying or dead-lettered), when asked for one subscription.</summary>
    [Id(4)] public DeliveryStatus? Delivery { get; init; }
    [Id(5)] public bool Active { get; init; } = true;
    /// <summary>The id of the API key that created it (<c>admin</c>: the bootstrap key; null: created before keys were recorded).</summary>
    [Id(6)] public string? CreatedByKeyId { get; init; }
    [Id(7)] public DateTimeOffset? UpdatedAt { get; init; }
}

[GenerateSerializer, Immutable]
public sealed record DeliveryStatus
{
    [Id(0)] public int Pending { get; init; }
    [Id(1)] public int DeadLettered { get; init; }
    [Id(2)] public long Delivered { get; init; }
}

[GenerateSerializer, Immutable]
public sealed record SubscriptionCommandResult(
    [property: Id(0)] CommandOutcome Outcome,
    [property: Id(1)] SubscriptionView? Subscription,
    [property: Id(2)] IReadOnlyList<FieldError> Errors);

/// <summary>Where and how a subscription's deliveries go (what the bus and the delivery grain need).</summary>
[GenerateSerializer, Immutable]
public sealed record SubscriptionTarget
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required string Url { get; init; }
    [Id(2)] public IReadOnlyList<string> EventTypes { get; init; } = [];
    [Id(3)] public required string Secret { get; init; }
}
