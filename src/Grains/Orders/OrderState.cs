using Distribution.Common;

namespace Distribution.Orders;

/// <summary>Stored state of one order (kept serialized in memory: the order deactivates once placed).</summary>
[GenerateSerializer]
public sealed class OrderState : IHasWakeTime, IStoredAsBytes
{
    [Id(0)] public OrderRequest? Request { get; set; }
    /// <summary>Canonical form of the request: a resubmission with another body is a conflict.</summary>
    [Id(1)] public string? Fingerprint { get; set; }
    [Id(2)] public OrderStatus Status { get; set; }
    [Id(3)] public DateTimeOffset CreatedAt { get; set; }
    [Id(4)] public List<OrderLineState> Lines { get; set; } = [];
    [Id(5)] public string? RejectionReason { get; set; }
    [Id(6)] public List<TimelineEntry> Timeline { get; set; } = [];
    /// <summary>
    /// Reservations being made right now, written before the first one is requested: after a crash
    /// the order knows exactly which SKU-locations to settle.
    /// </summary>
    [Id(7)] public List<IntendedReservation> Intent { get; set; } = [];
    [Id(8)] public DateTimeOffset? IntentDeadline { get; set; }
    /// <summary>When a still-backordered line becomes overdue (the end of the requested delivery date).</summary>
    [Id(9)] public DateTimeOffset? BackorderDueAt { get; set; }
    [Id(10)] public bool BackorderOverdueRaised { get; set; }

    public DateTimeOffset? WakeAt => Intent.Count > 0 ? IntentDeadline : BackorderDueAt;
}

[GenerateSerializer]
public sealed class OrderLineState
{
    [Id(0)] public required string LineId { get; set; }
    [Id(1)] public required string Sku { get; set; }
    [Id(2)] public int Quantity { get; set; }
    [Id(3)] public List<LineAllocation> Allocations { get; set; } = [];
    [Id(4)] public int Backordered { get; set; }
    [Id(5)] public int Shipped { get; set; }
    [Id(6)] public int Picked { get; set; }
    /// <summary>Picked and shipped per warehouse, as the SKU-locations reported them (totals).</summary>
    [Id(7)] public List<WarehouseFulfilment> Fulfilments { get; set; } = [];

    public int Allocated => Allocations.Sum(a => a.Quantity);
}

/// <summary>A reservation the order is about to make (or has made but not yet recorded).</summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed record IntendedReservation(
    [property: Id(0)] string LineId,
    [property: Id(1)] string Sku,
    [property: Id(2)] string WarehouseId,
    /// <summary>What the line will hold at the warehouse once this allocation is recorded.</summary>
    [property: Id(3)] int Quantity,
    /// <summary>What it held before (recorded allocations), to roll back to.</summary>
    [property: Id(5)] int PreviousQuantity,
    [property: Id(4)] DateOnly PromisedShipDate,
    /// <summary>Whether a shipment slot is claimed at the warehouse for the ship date.</summary>
    [property: Id(6)] bool ClaimsShipment,
    /// <summary>Set when the units come from this inbound source rather than from stock on hand.</summary>
    [property: Id(7)] string? InboundSource = null);

[GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed record WarehouseFulfilment(
    [property: Id(0)] string WarehouseId,
    [property: Id(1)] int Picked,
    [property: Id(2)] int Shipped);
