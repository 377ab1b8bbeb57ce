using Distribution.Common;
using Distribution.Network;

namespace Distribution.Orders.Sourcing;

/// <summary>A quantity of one SKU that sourcing must place.</summary>
public sealed record SourcingLine(string LineId, string Sku, int Quantity);

/// <summary>A warehouse sourcing may use, with the ship dates already at its daily order capacity.</summary>
public sealed record SourcingCandidate(WarehouseInfo Warehouse, IReadOnlySet<DateOnly> FullShipDates);

/// <summary>Everything sourcing decides from; it reads nothing else (no clock, no I/O).</summary>
public sealed record SourcingInput
{
    public required IReadOnlyList<SourcingLine> Lines { get; init; }
    public required GeoPoint ShipTo { get; init; }
    public bool AllowSplit { get; init; } = true;
    public bool AllowBackorder { get; init; }
    /// <summary>Business time of the decision (from the injected TimeProvider).</summary>
    public required DateTimeOffset Now { get; init; }
    public required IReadOnlyList<SourcingCandidate> Warehouses { get; init; }
    /// <summary>Allocatable quantity per (warehouseId, sku); missing means 0.</summary>
    public required IReadOnlyDictionary<(string WarehouseId, string Sku), int> Available { get; init; }
}

public sealed record PlannedAllocation(string LineId, string Sku, string WarehouseId, int Quantity, DateOnly PromisedShipDate, string? InboundSource = null);

/// <summary>Units of a SKU on their way to a warehouse from one source, not yet promised to any order.</summary>
public sealed record InboundSupply(string WarehouseId, string Sku, string Source, int Free, DateTimeOffset Eta);

/// <summary>The decision: where each line ships from, what waits for stock, or why the order is refused.</summary>
public sealed record SourcingPlan(
    IReadOnlyList<PlannedAllocation> Allocations,
    IReadOnlyDictionary<string, int> Backordered,
    string? RejectionReason)
{
    public bool IsRejected => RejectionReason is not null;
}
