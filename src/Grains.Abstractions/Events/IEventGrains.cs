namespace Distribution.Events;

/// <summary>
/// Validates a batch of warehouse events and appends the good ones to the durable event journal
/// (stateless, runs on any silo). An accepted event is in the journal before the answer leaves.
/// </summary>
public interface IEventIngestGrain : IGrainWithIntegerKey
{
    Task<EventBatchResult> Ingest(IReadOnlyList<WarehouseEventRequest> events);

    /// <summary>
    /// Re-delivers the journal's events accepted in [<paramref name="from"/>, <paramref name="to"/>)
    /// (optionally of one warehouse). Everything already processed is recognised and has no effect;
    /// open dead letters of the range are retried.
    /// </summary>
    Task<ReplayReport> Replay(DateTimeOffset from, DateTimeOffset to, string? warehouseId);
}

[GenerateSerializer, Immutable]
public sealed record ReplayReport(
    [property: Id(0)] int Redelivered,
    [property: Id(1)] int DeadLettersRetried);

/// <summary>
/// The consumer of one warehouse's event stream (key: the warehouse id): checks references,
/// applies each event at its SKU-location and tells the orders concerned. Idempotent: events
/// are recognised by journal sequence wherever they change state.
/// </summary>
public interface IWarehouseEventsGrain : IGrainWithStringKey
{
    /// <summary>Processes events in journal order (the stream calls this; so does a replay).</summary>
    Task Process(WarehouseEventBatch batch);
}

/// <summary>What applying one event did at its SKU-location.</summary>
public enum EventEffect
{
    Applied = 0,
    /// <summary>Already processed (its sequence is at or below the SKU-location's): nothing changed.</summary>
    Duplicate = 1,
    /// <summary>Not applied; an exception holds it for an operator.</summary>
    DeadLettered = 2,
}

/// <summary>What a SKU-location made of each event it was given, in the order given.</summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed record EventApplications([property: Id(0)] IReadOnlyList<EventApplication> Items);

[GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed record EventApplication
{
    [Id(0)] public long Sequence { get; init; }
    [Id(1)] public EventEffect Effect { get; init; }
    [Id(2)] public string? Reason { get; init; }
    /// <summary>For picks and shipments: the line's totals at this warehouse after the event (absolute, so resending them is harmless).</summary>
    [Id(3)] public LineFulfilment? Fulfilment { get; init; }
    /// <summary>For transfer movements: the transfer's totals at this SKU-location after the event (absolute).</summary>
    [Id(4)] public Transfers.TransferTotals? Transfer { get; init; }
    /// <summary>For purchase receipts: the purchase order's received total at this SKU-location after the event (absolute).</summary>
    [Id(5)] public Purchasing.PurchaseReceiptTotals? Purchase { get; init; }
    /// <summary>For counts applied now or before (a redelivery): what the count changed on-hand by, while the SKU-location still keeps it among its recent movements.</summary>
    [Id(6)] public int? CountDifference { get; init; }
}

/// <summary>How much of an order line one warehouse has picked and shipped, in total.</summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed record LineFulfilment
{
    [Id(0)] public required string OrderId { get; init; }
    [Id(1)] public required string LineId { get; init; }
    [Id(2)] public required string WarehouseId { get; init; }
    [Id(3)] public int Picked { get; init; }
    [Id(4)] public int Shipped { get; init; }
}

/// <summary>A fulfilment change for an order, with the event that caused it.</summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed record FulfilmentUpdate
{
    [Id(0)] public required LineFulfilment Totals { get; init; }
    [Id(1)] public required string EventId { get; init; }
    [Id(2)] public WarehouseEventType Type { get; init; }
    [Id(3)] public DateTimeOffset OccurredAt { get; init; }
    [Id(4)] public string? CorrelationId { get; init; }
}
