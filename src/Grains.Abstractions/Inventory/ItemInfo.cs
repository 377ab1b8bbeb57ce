namespace Distribution.Inventory;

/// <summary>Item master data, as upserted by <c>PUT /v1/items/{sku}</c>.</summary>
[GenerateSerializer, Immutable]
public sealed record ItemInfo
{
    [Id(0)] public required string Sku { get; init; }
    [Id(1)] public string Description { get; init; } = "";
    [Id(2)] public string UnitOfMeasure { get; init; } = "EA";
    [Id(3)] public string? DefaultSupplierId { get; init; }
}

public enum ReplenishmentPolicyKind
{
    None = 0,
    ReorderPoint = 1,
    MinMax = 2,
}

/// <summary>What replenishment does when a SKU-location reaches its reorder point.</summary>
public enum ReplenishmentMode
{
    /// <summary>Proposes the transfer or purchase order; a planner approves or dismisses it.</summary>
    Recommend = 0,
    /// <summary>Creates the transfer or purchase order itself.</summary>
    Automatic = 1,
}

/// <summary>Replenishment policy of one SKU at one warehouse; its safety stock is never allocated.</summary>
[GenerateSerializer, Immutable]
public sealed record ReplenishmentPolicy
{
    [Id(0)] public ReplenishmentPolicyKind Kind { get; init; }
    [Id(1)] public double? ServiceLevel { get; init; }
    [Id(2)] public int? SafetyStock { get; init; }
    [Id(3)] public int? ReorderPoint { get; init; }
    [Id(4)] public int? OrderUpTo { get; init; }
    [Id(5)] public string? PreferredSource { get; init; }
    /// <summary>Q of a reorder-point (s,Q) policy: the quantity ordered each time the position reaches s.</summary>
    [Id(6)] public int? OrderQuantity { get; init; }
    [Id(7)] public ReplenishmentMode Mode { get; init; }
}
