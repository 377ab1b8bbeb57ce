using Distribution.Common;

namespace Distribution.Transfers;

public enum TransferStatus
{
    /// <summary>Only while the source stock is being reserved (or after a crash interrupted it).</summary>
    Reserving = 0,
    /// <summary>Every line reserved at the source; nothing shipped yet.</summary>
    Requested = 1,
    PartiallyShipped = 2,
    /// <summary>Every line shipped in full; in transit (inbound at the destination).</summary>
    Shipped = 3,
    /// <summary>Some units arrived; others are still in transit or short.</summary>
    PartiallyReceived = 4,
    /// <summary>Every line shipped in full and at least that much received.</summary>
    Received = 5,
    Cancelled = 6,
    /// <summary>The source could not reserve every line: nothing is held.</summary>
    Rejected = 7,
}

[GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed record TransferLineView
{
    [Id(0)] public required string Sku { get; init; }
    [Id(1)] public int Quantity { get; init; }
    [Id(2)] public int ShippedQuantity { get; init; }
    [Id(3)] public int ReceivedQuantity { get; init; }
    /// <summary>Shipped and not yet received (counted as inbound at the destination).</summary>
    [Id(4)] public int InTransitQuantity { get; init; }
    /// <summary>Last shipment's business time plus the lane's transit days (null until something ships).</summary>
    [Id(5)] public DateTimeOffset? Eta { get; init; }
}

/// <summary>One transition of a transfer, at business time, with the correlation id of the request or event that caused it.</summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed record TransferTimelineEntry(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] TransferStatus Status,
    [property: Id(2)] string Description,
    [property: Id(3)] string? CorrelationId);

[GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed record TransferView
{
    [Id(0)] public required string TransferId { get; init; }
    [Id(1)] public TransferStatus Status { get; init; }
    [Id(2)] public required string FromWarehouseId { get; init; }
    [Id(3)] public required string ToWarehouseId { get; init; }
    [Id(4)] public string? Reason { get; init; }
    [Id(5)] public DateTimeOffset CreatedAt { get; init; }
    /// <summary>The lane's transit days when the transfer was created.</summary>
    [Id(6)] public double TransitDays { get; init; }
    /// <summary>The latest line ETA of what has shipped (null until something ships).</summary>
    [Id(7)] public DateTimeOffset? Eta { get; init; }
    [Id(8)] public IReadOnlyList<TransferLineView> Lines { get; init; } = [];
    [Id(9)] public string? RejectionReason { get; init; }
    [Id(10)] public IReadOnlyList<TransferTimelineEntry> Timeline { get; init; } = [];
}

[GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed record TransferCommandResult(
    [property: Id(0)] CommandOutcome Outcome,
    [property: Id(1)] TransferView? Transfer,
    [property: Id(2)] IReadOnlyList<FieldError> Errors)
{
    public static TransferCommandResult Invalid(IReadOnlyList<FieldError> errors) => new(CommandOutcome.Invalid, null, errors);
}

/// <summary>What event processing needs to know of a transfer to accept a movement for it.</summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed record TransferRoute
{
    [Id(0)] public required string TransferId { get; init; }
    [Id(1)] public required string FromWarehouseId { get; init; }
    [Id(2)] public required string ToWarehouseId { get; init; }
    [Id(3)] public IReadOnlyList<string> Skus { get; init; } = [];
    [Id(4)] public TransferStatus Status { get; init; }
}

/// <summary>
/// What one SKU-location has shipped (source) or received (destination) of a transfer, in total.
/// Absolute, so sending it again is harmless and totals from either end converge in any order.
/// </summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed record TransferTotals
{
    [Id(0)] public required string TransferId { get; init; }
    [Id(1)] public required string WarehouseId { get; init; }
    [Id(2)] public required string Sku { get; init; }
    [Id(3)] public int Shipped { get; init; }
    [Id(4)] public int Received { get; init; }
}

/// <summary>A transfer's totals at one SKU-location after an event, with that event.</summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed record TransferMovement
{
    [Id(0)] public required TransferTotals Totals { get; init; }
    [Id(1)] public required string EventId { get; init; }
    [Id(2)] public Events.WarehouseEventType Type { get; init; }
    [Id(3)] public DateTimeOffset OccurredAt { get; init; }
    [Id(4)] public string? CorrelationId { get; init; }
}
