using Distribution.Events;

namespace Distribution.Operations;

public enum ExceptionKind
{
    /// <summary>An accepted event that could not be applied (unknown reference, more shipped than reserved, ...).</summary>
    DeadLetter = 0,
    /// <summary>An event took, or would have taken, on-hand below zero.</summary>
    NegativeStock = 1,
    /// <summary>An order line still backordered after its requested delivery date.</summary>
    BackorderOverdue = 2,
    /// <summary>A shipment later than the ship date promised at allocation.</summary>
    PromiseBreach = 3,
    /// <summary>A transfer past its ETA with units still in transit.</summary>
    TransferOverdue = 4,
    /// <summary>A transfer line received short (past its ETA) or more than was shipped; a purchase order line received beyond what was ordered.</summary>
    ReceiptDiscrepancy = 5,
    /// <summary>A purchase order without a ship notice by its expected ship date, or not fully received by its ETA.</summary>
    PurchaseOrderLate = 6,
    /// <summary>A webhook delivery that failed every attempt (retry re-drives it).</summary>
    WebhookFailed = 7,
}

public enum ExceptionStatus
{
    Open = 0,
    /// <summary>Re-driven; resolves itself when the retry succeeds, reopens if it fails again.</summary>
    Retrying = 1,
    Resolved = 2,
}

/// <summary>Something an operator must look at. Raising the same id again is harmless (it counts occurrences).</summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed record ExceptionRaise
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public ExceptionKind Kind { get; init; }
    [Id(2)] public required string Reason { get; init; }
    [Id(3)] public string? WarehouseId { get; init; }
    [Id(4)] public string? Sku { get; init; }
    [Id(5)] public string? OrderId { get; init; }
    [Id(6)] public string? LineId { get; init; }
    /// <summary>The event as accepted, for dead letters (what a retry re-drives).</summary>
    [Id(7)] public JournaledEvent? Event { get; init; }
    [Id(8)] public string? CorrelationId { get; init; }
    /// <summary>Business time of what went wrong (the event's occurredAt, the breached date).</summary>
    [Id(9)] public DateTimeOffset OccurredAt { get; init; }
    /// <summary>Whether <c>retry</c> can do something (re-drive the event, re-run the allocation).</summary>
    [Id(10)] public bool Retryable { get; init; }
    [Id(11)] public string? TransferId { get; init; }
    [Id(12)] public string? PurchaseOrderId { get; init; }
}

[GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed record ExceptionHistoryEntry(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] string Action,
    [property: Id(2)] string? Note,
    [property: Id(3)] string? CorrelationId);

[GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed record ExceptionView
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public ExceptionKind Kind { get; init; }
    [Id(2)] public ExceptionStatus Status { get; init; }
    [Id(3)] public required string Reason { get; init; }
    [Id(4)] public string? WarehouseId { get; init; }
    [Id(5)] public string? Sku { get; init; }
    [Id(6)] public string? OrderId { get; init; }
    [Id(7)] public string? LineId { get; init; }
    [Id(8)] public WarehouseEvent? Event { get; init; }
    [Id(9)] public long? JournalSequence { get; init; }
    [Id(10)] public string? CorrelationId { get; init; }
    [Id(11)] public DateTimeOffset OccurredAt { get; init; }
    [Id(12)] public DateTimeOffset RaisedAt { get; init; }
    [Id(13)] public DateTimeOffset UpdatedAt { get; init; }
    [Id(14)] public bool Retryable { get; init; }
    [Id(15)] public int Occurrences { get; init; }
    [Id(16)] public int Retries { get; init; }
    [Id(17)] public string? ResolutionNote { get; init; }
    [Id(18)] public IReadOnlyList<ExceptionHistoryEntry> History { get; init; } = [];
    [Id(19)] public string? TransferId { get; init; }
    [Id(20)] public string? PurchaseOrderId { get; init; }
}

[GenerateSerializer, Immutable]
public sealed record ExceptionFilter
{
    [Id(0)] public ExceptionKind? Kind { get; init; }
    [Id(1)] public string? WarehouseId { get; init; }
    [Id(2)] public ExceptionStatus? Status { get; init; }
    /// <summary>Only exceptions whose event was journaled in [from, to) (replay uses it).</summary>
    [Id(3)] public DateTimeOffset? AcceptedFrom { get; init; }
    [Id(4)] public DateTimeOffset? AcceptedTo { get; init; }
}

[GenerateSerializer, Immutable]
public sealed record ExceptionPage(
    [property: Id(0)] IReadOnlyList<ExceptionView> Items,
    [property: Id(1)] int Total,
    [property: Id(2)] int Offset,
    [property: Id(3)] int Limit);

[GenerateSerializer, Immutable]
public sealed record ExceptionCommandResult(
    [property: Id(0)] Common.CommandOutcome Outcome,
    [property: Id(1)] ExceptionView? Exception,
    [property: Id(2)] IReadOnlyList<Common.FieldError> Errors);

/// <summary>Ids of exceptions, derived from what they are about so raising twice finds the same one.</summary>
public static class ExceptionIds
{
    public static string ForEvent(string eventId) => $"event:{eventId}";

    public static string NegativeStock(string eventId) => $"negative:{eventId}";

    public static string BackorderOverdue(string orderId) => $"backorder:{orderId}";

    public static string PromiseBreach(string orderId, string lineId, string warehouseId) => $"promise:{orderId}:{lineId}:{warehouseId}";

    public static string TransferOverdue(string transferId) => $"transfer-overdue:{transferId}";

    public static string ReceiptDiscrepancy(string transferId, string sku) => $"transfer-receipt:{transferId}:{sku}";

    public static string PurchaseOrderLate(string purchaseOrderId) => $"po-late:{purchaseOrderId}";

    public static string PurchaseReceiptDiscrepancy(string purchaseOrderId, string sku) => $"po-receipt:{purchaseOrderId}:{sku}";
}
