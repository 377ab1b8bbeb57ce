namespace Distribution.Inventory;

/// <summary>Who holds a reservation, so an expired one is checked with the right grain.</summary>
public enum ReservationOwner
{
    /// <summary>An order line (also every reservation stored before owners were recorded).</summary>
    Order = 0,
    /// <summary>A transfer's line at its source warehouse (line id: the SKU).</summary>
    Transfer = 1,
}

[GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed record ReservationRequest
{
    /// <summary>The owner's id: an order id, or a transfer id when <see cref="Owner"/> is a transfer.</summary>
    [Id(0)] public required string OrderId { get; init; }
    [Id(1)] public required string LineId { get; init; }
    [Id(2)] public int Quantity { get; init; }
    /// <summary>
    /// Business time until which the reservation stands on its own; after it the SKU-location asks
    /// the order whether it still owns it and releases it if not (see <see cref="ReservationVerdict"/>).
    /// </summary>
    [Id(3)] public DateTimeOffset ExpiresAt { get; init; }
    [Id(4)] public ReservationOwner Owner { get; init; }
    /// <summary>
    /// Null: <see cref="Quantity"/> is what the line holds of the stock on hand here (0 holds none).
    /// Set (<see cref="InboundSources"/>): <see cref="Quantity"/> is what the line is promised of that
    /// inbound source's units, held until they are received and then converted into on-hand units.
    /// </summary>
    [Id(5)] public string? InboundSource { get; init; }
}

/// <summary>Names an inbound source in reservations and allocations: <c>transfer:{id}</c> or <c>purchaseOrder:{id}</c>.</summary>
public static class InboundSources
{
    public static string Format(InboundSourceKind kind, string sourceId) =>
        string.Concat(kind == InboundSourceKind.Transfer ? "transfer:" : "purchaseOrder:", sourceId);
}

[GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed record ReservationResult(
    [property: Id(0)] bool Succeeded,
    [property: Id(1)] int AvailableAfter);

[GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed record Reservation
{
    /// <summary>The owner's id (the name is kept from when only orders reserved): an order or a transfer id.</summary>
    [Id(0)] public required string OrderId { get; init; }
    [Id(1)] public required string LineId { get; init; }
    [Id(2)] public int Quantity { get; init; }
    /// <summary>When the SKU-location next checks the reservation with its owner.</summary>
    [Id(3)] public DateTimeOffset ExpiresAt { get; init; }
    /// <summary>Absent in reservations stored before transfers existed, which read as orders.</summary>
    [Id(4)] public ReservationOwner Owner { get; init; }
    /// <summary>Units promised to this line from <see cref="InboundSource"/> and not yet received (not part of <see cref="Quantity"/>).</summary>
    [Id(5)] public int Inbound { get; init; }
    [Id(6)] public string? InboundSource { get; init; }
    /// <summary>
    /// Units of the inbound promise already received and moved into <see cref="Quantity"/>: the order
    /// does not hear of conversions, so its requests are read through this.
    /// </summary>
    [Id(7)] public int Converted { get; init; }
    /// <summary>When the inbound promise was made: receipts convert the oldest first, shortfalls cut the newest first.</summary>
    [Id(8)] public DateTimeOffset? InboundSince { get; init; }
    /// <summary>The inbound promise was cut (the source will not bring it) and the order has not yet acknowledged it.</summary>
    [Id(9)] public bool CutPending { get; init; }
}

/// <summary>Full state of one SKU at one warehouse.</summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed record SkuLocationPosition
{
    [Id(0)] public required string WarehouseId { get; init; }
    [Id(1)] public required string Sku { get; init; }
    [Id(2)] public int OnHand { get; init; }
    [Id(3)] public int Reserved { get; init; }
    [Id(4)] public int SafetyStock { get; init; }
    [Id(5)] public int Available { get; init; }
    [Id(6)] public DateTimeOffset? LastSnapshotAt { get; init; }
    [Id(7)] public IReadOnlyList<Reservation> Reservations { get; init; } = [];
    [Id(8)] public ReplenishmentPolicy? Policy { get; init; }
    /// <summary>The last journal sequence applied here (0: no event yet).</summary>
    [Id(9)] public long LastEventSequence { get; init; }
    /// <summary>The latest changes of on-hand by events, newest first (a bounded window).</summary>
    [Id(10)] public IReadOnlyList<StockMovement> RecentMovements { get; init; } = [];
    /// <summary>What order lines have picked and shipped here.</summary>
    [Id(11)] public IReadOnlyList<Events.LineFulfilment> Fulfilments { get; init; } = [];
    /// <summary>Units on their way here, per source (transfers in transit, purchase orders).</summary>
    [Id(12)] public IReadOnlyList<InboundEntry> Inbound { get; init; } = [];
    /// <summary>What transfers have shipped from or received at this SKU-location.</summary>
    [Id(13)] public IReadOnlyList<Transfers.TransferTotals> Transfers { get; init; } = [];
    /// <summary>Received totals per purchase order here.</summary>
    [Id(14)] public IReadOnlyList<Purchasing.PurchaseReceiptTotals> PurchaseOrders { get; init; } = [];
}

/// <summary>One change of on-hand caused by an event (a count is recorded as the adjustment it implies).</summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed record StockMovement
{
    [Id(0)] public required string EventId { get; init; }
    [Id(1)] public Events.WarehouseEventType Type { get; init; }
    [Id(2)] public int Delta { get; init; }
    [Id(3)] public int OnHandAfter { get; init; }
    [Id(4)] public string? ReasonCode { get; init; }
    [Id(5)] public DateTimeOffset OccurredAt { get; init; }
}

/// <summary>What an order says of a reservation a SKU-location holds in its name.</summary>
public enum ReservationVerdict
{
    /// <summary>The order owns it: keep it for another period.</summary>
    Held = 0,
    /// <summary>The order does not own it: release it.</summary>
    NotHeld = 1,
    /// <summary>The order is still allocating: ask again later.</summary>
    Pending = 2,
}
