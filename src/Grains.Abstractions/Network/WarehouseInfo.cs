using Distribution.Common;

namespace Distribution.Network;

public enum WarehouseStatus
{
    Active = 0,
    /// <summary>Used only when active warehouses cannot fill a line.</summary>
    Degraded = 1,
    /// <summary>Never sourced from.</summary>
    Offline = 2,
}

/// <summary>Master data of one warehouse, as upserted by <c>PUT /v1/warehouses/{id}</c>.</summary>
[GenerateSerializer, Immutable]
public sealed record WarehouseInfo
{
    [Id(0)] public required string WarehouseId { get; init; }
    [Id(1)] public required string Name { get; init; }
    [Id(2)] public required GeoPoint Location { get; init; }
    [Id(3)] public WarehouseStatus Status { get; init; }
    /// <summary>Shipments (orders) the warehouse can ship per day; null means unlimited.</summary>
    [Id(4)] public int? DailyOrderCapacity { get; init; }
    [Id(5)] public int? ReceivingCapacityPerDay { get; init; }
    /// <summary>Orders allocated before this local time ship today, later ones the next working day.</summary>
    [Id(6)] public TimeOnly CutoffLocalTime { get; init; } = new(16, 0);
    /// <summary>IANA time zone id, e.g. Europe/Berlin.</summary>
    [Id(7)] public string TimeZone { get; init; } = "UTC";
}

/// <summary>A supplier the network buys from.</summary>
[GenerateSerializer, Immutable]
public sealed record SupplierInfo
{
    [Id(0)] public required string SupplierId { get; init; }
    [Id(1)] public required string Name { get; init; }
    [Id(2)] public double LeadTimeDays { get; init; }
    [Id(3)] public double LeadTimeStdDevDays { get; init; }
}

/// <summary>A transport lane between two warehouses.</summary>
[GenerateSerializer, Immutable]
public sealed record LaneInfo
{
    [Id(0)] public required string FromWarehouseId { get; init; }
    [Id(1)] public required string ToWarehouseId { get; init; }
    [Id(2)] public double TransitDays { get; init; }
    [Id(3)] public decimal CostPerUnit { get; init; }
}

/// <summary>What sourcing needs to know of the network at one moment.</summary>
[GenerateSerializer, Immutable]
public sealed record NetworkView(
    [property: Id(0)] long Version,
    [property: Id(1)] IReadOnlyList<WarehouseInfo> Warehouses,
    [property: Id(2)] IReadOnlyDictionary<string, IReadOnlyList<DateOnly>> FullShipDates);
