using Distribution.Common;
using Distribution.Inventory;
using Distribution.Network;

namespace Distribution.Replenishment;

/// <summary>
/// A SKU-location's learned demand as stored and reported: the numbers of the pure
/// <c>DemandEstimate</c> (per-day rate and variance, exponentially weighted in business days).
/// </summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed record DemandSnapshot(
    [property: Id(0)] double Smoothing,
    [property: Id(1)] double Rate,
    [property: Id(2)] double Variance,
    [property: Id(3)] int DaysObserved,
    [property: Id(4)] DateOnly? PendingDay,
    [property: Id(5)] double PendingQuantity);

/// <summary>Master data replenishment plans with: warehouses, lanes and suppliers at one version.</summary>
[GenerateSerializer, Immutable]
public sealed record PlanningView(
    [property: Id(0)] long Version,
    [property: Id(1)] IReadOnlyList<WarehouseInfo> Warehouses,
    [property: Id(2)] IReadOnlyList<LaneInfo> Lanes,
    [property: Id(3)] IReadOnlyList<SupplierInfo> Suppliers);

public enum RecommendationKind
{
    Transfer = 0,
    Purchase = 1,
}

public enum RecommendationStatus
{
    /// <summary>Waiting for a planner to approve or dismiss it.</summary>
    Open = 0,
    /// <summary>Approved (or automatic): turned into a transfer or a sent purchase order.</summary>
    Approved = 1,
    Dismissed = 2,
}

/// <summary>
/// One proposed replenishment of a SKU at a destination warehouse: a transfer from a warehouse with
/// surplus or a purchase from the item's supplier, with the reason the planner chose it.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record Recommendation
{
    [Id(0)] public required string RecommendationId { get; init; }
    [Id(1)] public required string WarehouseId { get; init; }
    [Id(2)] public required string Sku { get; init; }
    [Id(3)] public RecommendationKind Kind { get; init; }
    /// <summary>The source warehouse (transfer) or supplier (purchase).</summary>
    [Id(4)] public required string SourceId { get; init; }
    [Id(5)] public int Quantity { get; init; }
    [Id(6)] public DateOnly ExpectedArrival { get; init; }
    [Id(7)] public required string Reason { get; init; }
    [Id(8)] public RecommendationStatus Status { get; init; }
    [Id(9)] public DateTimeOffset CreatedAt { get; init; }
    /// <summary>The inventory position and reorder point that triggered it.</summary>
    [Id(10)] public int Position { get; init; }
    [Id(11)] public int ReorderPoint { get; init; }
    [Id(12)] public ReplenishmentMode Mode { get; init; }
    [Id(13)] public DateTimeOffset? DecidedAt { get; init; }
    [Id(14)] public string? Note { get; init; }
    /// <summary>Why executing it (creating the transfer or purchase order) was last refused; it stays open.</summary>
    [Id(15)] public string? RefusalReason { get; init; }
    /// <summary>When what it created was received in full (business time); the cycle ends here.</summary>
    [Id(16)] public DateTimeOffset? ReceivedAt { get; init; }
}

/// <summary>
/// What the SKU's planner found at one destination: its position is at or below the reorder point.
/// Carries everything the destination's board needs to decide how much (net of what it already
/// proposed) and from where, without asking anyone.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ReplenishmentNeed
{
    [Id(0)] public required string Sku { get; init; }
    [Id(1)] public required string WarehouseId { get; init; }
    [Id(2)] public int Position { get; init; }
    [Id(3)] public int ReorderPoint { get; init; }
    [Id(4)] public int SafetyStock { get; init; }
    [Id(5)] public ReplenishmentPolicyKind Kind { get; init; }
    /// <summary>Q of (s,Q), resolved (the policy's, or one lead time of demand).</summary>
    [Id(6)] public int OrderQuantity { get; init; }
    /// <summary>S of (s,S), resolved (the policy's, or s plus one lead time of demand).</summary>
    [Id(7)] public int OrderUpTo { get; init; }
    [Id(8)] public ReplenishmentMode Mode { get; init; }
    [Id(9)] public string? PreferredSource { get; init; }
    /// <summary>Other warehouses with surplus above their own reorder point, and their lane here.</summary>
    [Id(10)] public IReadOnlyList<SurplusAt> Candidates { get; init; } = [];
    [Id(11)] public SupplierInfo? Supplier { get; init; }
    [Id(12)] public int? ReceivingCapacityPerDay { get; init; }
    [Id(13)] public DateOnly Today { get; init; }
    /// <summary>Transfers and purchase orders already counted as inbound at the destination.</summary>
    [Id(14)] public IReadOnlyList<string> InboundSourceIds { get; init; } = [];
}

[GenerateSerializer, Immutable]
public sealed record SurplusAt(
    [property: Id(0)] string WarehouseId,
    [property: Id(1)] int Units,
    [property: Id(2)] double? TransitDays,
    [property: Id(3)] decimal? CostPerUnit);

/// <summary>What a network replenishment pass did.</summary>
[GenerateSerializer, Immutable]
public sealed record ReviewSummary
{
    [Id(0)] public int Skus { get; init; }
    [Id(1)] public int LocationsReviewed { get; init; }
    [Id(2)] public int Needs { get; init; }
    [Id(3)] public int Recommendations { get; init; }
    [Id(4)] public TimeSpan Elapsed { get; init; }
    [Id(5)] public DateTimeOffset At { get; init; }
    /// <summary>Per warehouse: SKUs at or below their reorder point and stockouts, counted during the pass.</summary>
    [Id(6)] public IReadOnlyList<Operations.WarehouseStockHealth> StockHealth { get; init; } = [];
}

[GenerateSerializer, Immutable]
public sealed record RecommendationResult(
    [property: Id(0)] CommandOutcome Outcome,
    [property: Id(1)] Recommendation? Recommendation,
    [property: Id(2)] IReadOnlyList<FieldError> Errors);
