using Distribution.Common;
using Distribution.Integration.BusinessEvents;
using Distribution.Integration.Webhooks;
using Distribution.Orders;

namespace Distribution.Integration.Tests;

/// <summary>Signing, what a subscription's queue sends next, backoff, subscription checks and event ids from timelines.</summary>
public sealed class WebhookDeliveryRulesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 8, 0, 0, TimeSpan.Zero);

    private static QueuedDelivery Queued(long sequence, string entity, bool deadLettered = false, DateTimeOffset? next = null) => new()
    {
        Sequence = sequence,
        Event = new BusinessEvent { EventId = $"e{sequence}", Type = "order.allocated", EntityKind = "order", EntityId = entity, Payload = "{}" },
        NextAttemptAt = next ?? T0,
        DeadLettered = deadLettered,
    };

    [Fact]
    public void A_signature_verifies_with_its_secret_and_not_with_another_body_secret_or_timestamp()
    {
        const string body = """{"id":"x","data":{}}""";
        var header = WebhookSignature.Header("secret-0123456789", 1764000000, body);

        Assert.StartsWith("t=1764000000,v1=", header, StringComparison.Ordinal);
        Assert.True(WebhookSignature.Verify("secret-0123456789", header, body));
        Assert.False(WebhookSignature.Verify("secret-0123456789", header, body.Replace("x", "y", StringComparison.Ordinal)));
        Assert.False(WebhookSignature.Verify("another-secret-000", header, body));
        Assert.False(WebhookSignature.Verify("secret-0123456789", header.Replace("1764000000", "1764000001", StringComparison.Ordinal), body));
        Assert.False(WebhookSignature.Verify("secret-0123456789", "v1=abc", body));
    }

    [Fact]
    public void The_signature_is_the_hmac_sha256_of_timestamp_dot_body_in_lowercase_hex()
    {
        // printf '%s' '1764000000.{"id":"evt"}' | openssl dgst -sha256 -hmac 'whsec-known-0123456'
        Assert.Equal(
            "t=1764000000,v1=c3a10d2034a8ca1afd8240bc7ba6ccdc9921e815e6ee34be3e78b319ad039044",
            WebhookSignature.Header("whsec-known-0123456", 1764000000, """{"id":"evt"}"""));
    }

    [Fact]
    public void Only_the_oldest_event_of_each_entity_is_due_and_a_dead_letter_holds_back_its_entity_only()
    {
        var queue = new[]
        {
            Queued(1, "A", deadLettered: true),
            Queued(2, "B"),
            Queued(3, "A"),
            Queued(4, "B"),
            Queued(5, "C", next: T0.AddSeconds(5)),
            Queued(6, "D"),
        };

        var due = DeliveryQueue.Due(queue, T0, limit: 10);

        Assert.Equal([2L, 6L], due.Select(d => d.Sequence));
        Assert.Equal([2L], DeliveryQueue.Due(queue, T0, limit: 1).Select(d => d.Sequence));
        Assert.Equal([2L, 5L, 6L], DeliveryQueue.Due(queue, T0.AddSeconds(5), limit: 10).Select(d => d.Sequence));
        Assert.Equal(T0, DeliveryQueue.NextDue(queue));
        Assert.Null(DeliveryQueue.NextDue([Queued(1, "A", deadLettered: true)]));
    }

    [Fact]
    public void Backoff_doubles_per_attempt_up_to_the_cap_with_jitter_in_the_upper_half()
    {
        var initial = TimeSpan.FromSeconds(2);
        var max = TimeSpan.FromMinutes(10);

        Assert.Equal(TimeSpan.FromSeconds(1), DeliveryQueue.Backoff(1, initial, max, random: 0));
        Assert.Equal(TimeSpan.FromSeconds(2), DeliveryQueue.Backoff(1, initial, max, random: 1));
        Assert.Equal(TimeSpan.FromSeconds(4), DeliveryQueue.Backoff(3, initial, max, random: 0));
        Assert.Equal(TimeSpan.FromSeconds(8), DeliveryQueue.Backoff(3, initial, max, random: 1));
        Assert.Equal(max, DeliveryQueue.Backoff(40, initial, max, random: 1));
        Assert.Equal(max / 2, DeliveryQueue.Backoff(40, initial, max, random: 0));
    }

    [Fact]
    public void A_subscription_needs_an_http_url_known_event_types_once_each_and_a_long_enough_secret()
    {
        Assert.Empty(SubscriptionValidation.Validate(new SubscriptionRequest { Url = "https://erp.example/hooks", EventTypes = ["order.shipped", "finance.receipt"], Secret = new string('s', 16) }));
        Assert.Empty(SubscriptionValidation.Validate(new SubscriptionRequest { Url = "http://127.0.0.1:9/x", EventTypes = ["*"], Secret = new string('s', 16) }));

        var errors = SubscriptionValidation.Validate(new SubscriptionRequest { Url = "/relative", EventTypes = ["order.shipped", "order.shipped", "nope"], Secret = new string('s', 15) });
        Assert.Equal(["url", "eventTypes[1]", "eventTypes[2]", "secret"], errors.Select(e => e.Field));
        Assert.Equal(["url", "eventTypes", "secret"], SubscriptionValidation.Validate(new SubscriptionRequest()).Select(e => e.Field));
    }

    [Fact]
    public void Order_events_come_from_status_changes_on_the_timeline_with_ids_that_repeat()
    {
        var view = new OrderView
        {
            OrderId = "o-1",
            Status = OrderStatus.Cancelled,
            Channel = "web",
            ShipTo = new GeoPoint(50, 8),
            Timeline =
            [
                new(T0, OrderStatus.Allocating, "received", "c1"),
                new(T0, OrderStatus.PartiallyAllocated, "allocated: 1 unit(s); 1 backordered", "c1"),
                new(T0.AddHours(1), OrderStatus.Released, "picked", "c2"),
                new(T0.AddHours(2), OrderStatus.PartiallyShipped, "shipped 1", "c3"),
                new(T0.AddHours(3), OrderStatus.PartiallyShipped, "shipped 1 more", "c4"),
                new(T0.AddHours(4), OrderStatus.Cancelled, "cancelled", "c5"),
            ],
        };

        var all = OrderEvents.From(view, 0);
        Assert.Equal(
            [("order.allocated", "order.allocated:o-1:1"), ("order.backordered", "order.backordered:o-1:1"), ("order.shipped", "order.shipped:o-1:3"), ("order.cancelled", "order.cancelled:o-1:5")],
            all.Select(e => (e.Type, e.EventId)));
        Assert.Equal(("c3", T0.AddHours(2)), (all[2].CorrelationId, all[2].OccurredAt));
        // Published again from the same stored timeline: the same ids; from a later entry: only what follows.
        Assert.Equal(all.Select(e => e.EventId), OrderEvents.From(view, 0).Select(e => e.EventId));
        Assert.Equal(["order.cancelled:o-1:5"], OrderEvents.From(view, 4).Select(e => e.EventId));
    }
}
