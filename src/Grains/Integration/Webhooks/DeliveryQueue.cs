namespace Distribution.Integration.Webhooks;

/// <summary>
/// What a subscription's queue sends next, and when a failed delivery is tried again. Events of one
/// entity go out one at a time in queue order: only the oldest of an entity can be sent, so a
/// failing (or dead-lettered) event holds back that entity's later events and nobody else's.
/// </summary>
public static class DeliveryQueue
{
    /// <summary>The oldest delivery of each entity, if it is due and not dead-lettered, oldest first.</summary>
    public static IReadOnlyList<QueuedDelivery> Due(IEnumerable<QueuedDelivery> queue, DateTimeOffset now, int limit)
    {
        var heads = new Dictionary<string, QueuedDelivery>(StringComparer.Ordinal);
        foreach (var d in queue)
        {
            var key = d.Event.EntityKey;
            if (!heads.TryGetValue(key, out var head) || d.Sequence < head.Sequence)
            {
                heads[key] = d;
            }
        }

        return [.. heads.Values
            .Where(d => !d.DeadLettered && d.NextAttemptAt <= now)
            .OrderBy(d => d.Sequence)
            .Take(limit)];
    }

    /// <summary>
    /// Wait after the <paramref name="attempts"/>-th failed attempt: the initial backoff doubled per
    /// attempt, capped, then a random point in its upper half ("equal jitter"), so many subscribers
    /// that failed together do not retry together, and the wait still grows.
    /// </summary>
    public static TimeSpan Backoff(int attempts, TimeSpan initial, TimeSpan max, double random)
    {
        var exponent = Math.Min(Math.Max(attempts - 1, 0), 30);
        var ticks = Math.Min(initial.Ticks * Math.Pow(2, exponent), max.Ticks);
        return TimeSpan.FromTicks((long)(ticks / 2 + ticks / 2 * Math.Clamp(random, 0, 1)));
    }

    /// <summary>The earliest time something in the queue can be sent (dead-lettered deliveries wait for an operator).</summary>
    public static DateTimeOffset? NextDue(IEnumerable<QueuedDelivery> queue)
    {
        DateTimeOffset? next = null;
        foreach (var d in queue)
        {
            if (!d.DeadLettered && (next is null || d.NextAttemptAt < next))
            {
                next = d.NextAttemptAt;
            }
        }

        return next;
    }
}
