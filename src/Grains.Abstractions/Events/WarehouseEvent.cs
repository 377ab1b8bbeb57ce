namespace Distribution.Events;

/// <summary>What happened at a warehouse (the WMS or 3PL reports it).</summary>
public enum WarehouseEventType
{
    /// <summary>Units of an order line were picked: they leave free stock (the line's reservation is consumed).</summary>
    Picked = 0,
    /// <summary>Units of an order line left the building (consumes what picking did not already).</summary>
    Shipped = 1,
    /// <summary>Units arrived (a receipt not tied to a transfer or purchase order).</summary>
    Received = 2,
    /// <summary>A signed correction of on-hand with a reason code (damage, loss, found, ...).</summary>
    Adjusted = 3,
    /// <summary>A cycle count: the absolute on-hand; the difference is recorded as an adjustment.</summary>
    Counted = 4,
    TransferShipped = 5,
    TransferReceived = 6,
    PurchaseReceived = 7,
}

/// <summary>
/// One event as a warehouse posts it (<c>POST /v1/events</c>). Loosely typed on purpose: a bad
/// event is rejected on its own, with a reason, instead of failing the whole batch.
/// </summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed record WarehouseEventRequest
{
    [Id(0)] public string? EventId { get; init; }
    [Id(1)] public string? WarehouseId { get; init; }
    [Id(2)] public string? Type { get; init; }
    [Id(3)] public string? Sku { get; init; }
    /// <summary>Units; a signed delta for <see cref="WarehouseEventType.Adjusted"/>, the absolute count for <see cref="WarehouseEventType.Counted"/>.</summary>
    [Id(4)] public int Quantity { get; init; }
    [Id(5)] public string? ReasonCode { get; init; }
    [Id(6)] public string? OrderId { get; init; }
    [Id(7)] public string? LineId { get; init; }
    [Id(8)] public string? TransferId { get; init; }
    [Id(9)] public string? PurchaseOrderId { get; init; }
    [Id(10)] public DateTimeOffset? OccurredAt { get; init; }
    /// <summary>The sender's own sequence number (kept for tracing; ordering is by acceptance).</summary>
    [Id(11)] public long? Sequence { get; init; }
}

[GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed record EventBatchRequest
{
    [Id(0)] public IReadOnlyList<WarehouseEventRequest>? Events { get; init; }
}

/// <summary>A validated warehouse event: what the journal keeps and the grains apply.</summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed record WarehouseEvent
{
    [Id(0)] public required string EventId { get; init; }
    [Id(1)] public required string WarehouseId { get; init; }
    [Id(2)] public WarehouseEventType Type { get; init; }
    [Id(3)] public required string Sku { get; init; }
    [Id(4)] public int Quantity { get; init; }
    [Id(5)] public string? ReasonCode { get; init; }
    [Id(6)] public string? OrderId { get; init; }
    [Id(7)] public string? LineId { get; init; }
    [Id(8)] public string? TransferId { get; init; }
    [Id(9)] public string? PurchaseOrderId { get; init; }
    [Id(10)] public DateTimeOffset OccurredAt { get; init; }
    [Id(11)] public long? Sequence { get; init; }
}

/// <summary>An accepted event as the journal delivers it.</summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed record JournaledEvent
{
    /// <summary>Journal position: increasing in acceptance order for every warehouse.</summary>
    [Id(0)] public long Sequence { get; init; }
    [Id(1)] public required WarehouseEvent Event { get; init; }
    [Id(2)] public DateTimeOffset AcceptedAt { get; init; }
    [Id(3)] public string? CorrelationId { get; init; }
    /// <summary>Set when an operator re-drove a dead-lettered event: the exception it resolves.</summary>
    [Id(4)] public string? RedriveOf { get; init; }
    /// <summary>The W3C trace context of the call that accepted it (null when nothing was traced): the consumer's span continues it.</summary>
    [Id(5)] public string? TraceParent { get; init; }
}

/// <summary>Journaled events of one warehouse in journal order, as its stream delivers them.</summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed record WarehouseEventBatch([property: Id(0)] IReadOnlyList<JournaledEvent> Events)
{
    /// <summary>
    /// Several deliveries of one warehouse as one batch, in journal order, each journal entry once
    /// (a redelivery after a failure may overlap the deliveries that follow it).
    /// </summary>
    public static WarehouseEventBatch Concat(IEnumerable<WarehouseEventBatch> batches)
    {
        var list = batches as IReadOnlyList<WarehouseEventBatch> ?? [.. batches];
        if (list.Count == 1)
        {
            return list[0];
        }

        var events = new List<JournaledEvent>(list.Sum(b => b.Events.Count));
        var ordered = true;
        foreach (var batch in list)
        {
            foreach (var e in batch.Events)
            {
                ordered &= events.Count == 0 || e.Sequence > events[^1].Sequence;
                events.Add(e);
            }
        }

        return new WarehouseEventBatch(ordered ? events : [.. events.DistinctBy(e => e.Sequence).OrderBy(e => e.Sequence)]);
    }
}

public enum EventVerdictStatus
{
    Accepted = 0,
    Duplicate = 1,
    Rejected = 2,
}

[GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed record EventVerdict
{
    [Id(0)] public int Index { get; init; }
    [Id(1)] public string? EventId { get; init; }
    [Id(2)] public EventVerdictStatus Status { get; init; }
    /// <summary>Why an event was rejected, naming its fields (empty otherwise).</summary>
    [Id(3)] public IReadOnlyList<Common.FieldError> Errors { get; init; } = [];
}

/// <summary>The answer to <c>POST /v1/events</c>: one verdict per event, in the order posted.</summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed record EventBatchResult
{
    [Id(0)] public int Accepted { get; init; }
    [Id(1)] public int Duplicates { get; init; }
    [Id(2)] public int Rejected { get; init; }
    [Id(3)] public IReadOnlyList<EventVerdict> Results { get; init; } = [];

    /// <summary>
    /// Set when the batch was not taken because the hub is behind applying events: nothing of it
    /// was accepted (no verdicts); send the same batch again after this long.
    /// </summary>
    [Id(4)] public TimeSpan? RetryAfter { get; init; }
}

public static class EventLimits
{
    /// <summary>Most events one <c>POST /v1/events</c> may carry.</summary>
    public const int MaxBatchSize = 1000;
}
