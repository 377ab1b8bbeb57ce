using Distribution.Common;

namespace Distribution.Inventory;

/// <summary>Stored state of one SKU at one warehouse.</summary>
[GenerateSerializer]
public sealed class SkuLocationState : IHasWakeTime, IHasStoredEntries
{
    [Id(0)] public int OnHand { get; set; }
    [Id(1)] public int SafetyStock { get; set; }
    /// <summary>
    /// Keyed by <c>{orderId}|{lineId}</c> (orders) or <c>transfer#{transferId}</c> (transfers). Not part
    /// of the serialized body: stored as entries, so a hot SKU-location holding thousands of
    /// reservations writes only the ones that changed.
    /// </summary>
    [field: NonSerialized]
    public StoredEntries<Reservation> Reservations { get; } = new();

    /// <summary>
    /// Units on their way here, keyed by <c>inbound#{kind}#{sourceId}</c>; stored as entries beside the
    /// reservations (the keys cannot collide: identifiers never contain '|' or '#').
    /// </summary>
    [field: NonSerialized]
    public StoredEntries<InboundEntry> Inbound { get; } = new();

    /// <summary>Reservations as states stored before schema 005 held them; moved to entries when read.</summary>
    [Id(2)] public Dictionary<string, Reservation>? InlineReservations { get; set; }
    [Id(3)] public DateTimeOffset? LastSnapshotAt { get; set; }
    [Id(5)] public ReplenishmentPolicy? Policy { get; set; }

    /// <summary>
    /// No later than the earliest reservation expiry (kept as a running minimum, so it may be
    /// early; an early wake-up finds nothing due and moves it on). The recovery sweep wakes the
    /// grain then even if nothing else activates it.
    /// </summary>
    [Id(6)] public DateTimeOffset? WakeAt { get; set; }

    /// <summary>The last journal sequence applied here: events at or below it are duplicates.</summary>
    [Id(7)] public long LastEventSequence { get; set; }

    // The progress records below stay null until their first entry: most of a million SKU-locations
    // never see a pick, transfer or receipt, and an empty dictionary costs 80 bytes.

    /// <summary>Picked and shipped totals per order line (key <c>{orderId}|{lineId}</c>).</summary>
    [Id(8)] public Dictionary<string, LineProgress>? Fulfilments { get; set; }

    /// <summary>Newest first, at most <see cref="MaxMovements"/>.</summary>
    [Id(9)] public List<StockMovement> RecentMovements { get; set; } = [];

    /// <summary>Demand learned from shipments here (per business day), for replenishment.</summary>
    [Id(21)] public Replenishment.DemandSnapshot? Demand { get; set; }

    /// <summary>Shipped (source) and received (destination) totals per transfer id.</summary>
    [Id(10)] public Dictionary<string, TransferProgress>? Transfers { get; set; }

    /// <summary>Received totals per purchase order id.</summary>
    [Id(22)] public Dictionary<string, PurchaseProgress>? Purchases { get; set; }

    public const int MaxMovements = 10;

    public int Reserved => Reservations.Values.Sum(r => r.Quantity);

    IEnumerable<KeyValuePair<string, object>> IHasStoredEntries.StoredEntries =>
        Reservations.Pairs.Select(p => new KeyValuePair<string, object>(p.Key, p.Value))
            .Concat(Inbound.Pairs.Select(p => new KeyValuePair<string, object>(p.Key, p.Value)));

    IReadOnlyList<KeyValuePair<string, object?>> IHasStoredEntries.TakeChangedEntries()
    {
        var reservations = Reservations.TakeChanges();
        var inbound = Inbound.TakeChanges();
        return inbound.Count == 0 ? reservations : [.. reservations, .. inbound];
    }

    void IHasStoredEntries.LoadEntries(IEnumerable<KeyValuePair<string, object>> entries)
    {
        // Each stored value keeps its type, which says which collection it belongs to.
        var list = entries as IReadOnlyCollection<KeyValuePair<string, object>> ?? [.. entries];
        Reservations.Load(list.Where(e => e.Value is Reservation));
        Inbound.Load(list.Where(e => e.Value is InboundEntry));
        if (InlineReservations is { } inline)
        {
            // Marked changed, so the next write stores them as entries.
            foreach (var (key, reservation) in inline)
            {
                Reservations[key] = reservation;
            }

            InlineReservations = null;
        }
    }
}

[GenerateSerializer]
public sealed class LineProgress
{
    [Id(0)] public required string OrderId { get; set; }
    [Id(1)] public required string LineId { get; set; }
    [Id(2)] public int Picked { get; set; }
    [Id(3)] public int Shipped { get; set; }
    /// <summary>Business time of the last pick or shipment (old records are pruned after the dedupe window).</summary>
    [Id(4)] public DateTimeOffset LastAt { get; set; }

    public LineTotals Totals => new(Picked, Shipped);
}

/// <summary>What one transfer has moved at this SKU-location (each event adds once: events are deduplicated by sequence first).</summary>
[GenerateSerializer]
public sealed class TransferProgress
{
    [Id(0)] public int Shipped { get; set; }
    [Id(1)] public int Received { get; set; }
    /// <summary>Business time of the last movement (old records are pruned after the dedupe window).</summary>
    [Id(2)] public DateTimeOffset LastAt { get; set; }
}

/// <summary>What one purchase order has received at this SKU-location (each event adds once: events are deduplicated by sequence first).</summary>
[GenerateSerializer]
public sealed class PurchaseProgress
{
    [Id(0)] public int Received { get; set; }
    /// <summary>Business time of the last receipt (old records are pruned after the dedupe window).</summary>
    [Id(1)] public DateTimeOffset LastAt { get; set; }
}
