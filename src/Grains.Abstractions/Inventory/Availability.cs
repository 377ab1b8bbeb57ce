namespace Distribution.Inventory;

/// <summary>Stock of one SKU at one warehouse as the network view last heard it.</summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed record LocationAvailability
{
    [Id(0)] public required string WarehouseId { get; init; }
    [Id(1)] public int OnHand { get; init; }
    [Id(2)] public int Reserved { get; init; }
    [Id(3)] public int SafetyStock { get; init; }
    /// <summary>What can still be promised: on-hand − reserved − safety stock, never below 0.</summary>
    [Id(4)] public int Available { get; init; }
    /// <summary>With <see cref="Version"/>, orders reports: the view ignores one older than what it has.</summary>
    [Id(7)] public long Epoch { get; init; }
    [Id(5)] public long Version { get; init; }
    [Id(6)] public DateTimeOffset? LastSnapshotAt { get; init; }
    /// <summary>Units on their way here (never part of <see cref="Available"/>).</summary>
    [Id(8)] public int Inbound { get; init; }
    [Id(9)] public DateTimeOffset? EarliestInboundEta { get; init; }
    /// <summary>The inbound per source, earliest ETA first.</summary>
    [Id(10)] public IReadOnlyList<InboundEntry> InboundEntries { get; init; } = [];
    /// <summary>For the SKU's replenishment planner: the policy here and the demand learned from shipments.</summary>
    [Id(20)] public ReplenishmentPolicy? Policy { get; init; }
    [Id(21)] public Replenishment.DemandSnapshot? Demand { get; init; }
}

[GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed record StockTotals(
    [property: Id(0)] int OnHand,
    [property: Id(1)] int Reserved,
    [property: Id(2)] int Available,
    [property: Id(3)] int Inbound = 0);

/// <summary>Network-wide availability of one SKU.</summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed record SkuAvailability
{
    [Id(0)] public required string Sku { get; init; }
    [Id(1)] public required IReadOnlyList<LocationAvailability> Locations { get; init; }
    [Id(2)] public required StockTotals Total { get; init; }
    /// <summary>Quantity on order lines waiting for this SKU anywhere in the network.</summary>
    [Id(3)] public int Backordered { get; init; }
}

/// <summary>A warehouse's absolute balances, as a WMS or ERP sends them on sync.</summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed record InventorySnapshot
{
    [Id(0)] public required string WarehouseId { get; init; }
    [Id(1)] public DateTimeOffset AsOf { get; init; }
    [Id(2)] public required IReadOnlyList<SnapshotLine> Items { get; init; }
}

[GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed record SnapshotLine([property: Id(0)] string Sku, [property: Id(1)] int OnHand);

public enum SnapshotLineOutcome
{
    Applied = 0,
    /// <summary>Older than (or as old as) the last snapshot applied for that SKU-location: ignored.</summary>
    Stale = 1,
}

[GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed record SnapshotReport
{
    [Id(0)] public int Applied { get; init; }
    [Id(1)] public int Stale { get; init; }
    [Id(2)] public IReadOnlyList<string> StaleSkus { get; init; } = [];
}
