using Distribution.Common;

namespace Distribution.Network;

/// <summary>
/// The network's master data that sourcing reads on every order: warehouses, suppliers, lanes.
/// One activation (key <see cref="Key"/>); reads are served from an immutable snapshot.
/// </summary>
public interface INetworkGrain : IGrainWithStringKey
{
    const string Key = "network";

    Task<CommandResult> UpsertWarehouse(WarehouseInfo warehouse);

    Task<CommandResult> UpsertSupplier(SupplierInfo supplier);

    /// <summary>Both warehouses must exist.</summary>
    Task<CommandResult> UpsertLane(LaneInfo lane);

    [ReadOnly, AlwaysInterleave]
    Task<WarehouseInfo?> GetWarehouse(string warehouseId);

    [ReadOnly, AlwaysInterleave]
    Task<SupplierInfo?> GetSupplier(string supplierId);

    [ReadOnly, AlwaysInterleave]
    Task<LaneInfo?> GetLane(string fromWarehouseId, string toWarehouseId);

    /// <summary>Warehouses and the ship dates at capacity, for sourcing.</summary>
    [ReadOnly, AlwaysInterleave]
    Task<NetworkView> GetView();

    /// <summary>Warehouses, lanes and suppliers, for a replenishment pass.</summary>
    [ReadOnly, AlwaysInterleave]
    Task<Replenishment.PlanningView> GetPlanningView();

    /// <summary>A warehouse grain reports which of its ship dates are full (only when that set changes).</summary>
    [OneWay]
    Task ReportFullShipDates(string warehouseId, IReadOnlyList<DateOnly> fullDates);
}

/// <summary>
/// Per-warehouse operational counters: shipments promised per ship date against the daily order capacity.
/// </summary>
public interface IWarehouseGrain : IGrainWithStringKey
{
    /// <summary>
    /// Claims one shipment slot on <paramref name="shipDate"/> for an order; idempotent per order.
    /// False when the date is already at <paramref name="capacity"/>.
    /// </summary>
    Task<bool> TryClaimShipment(DateOnly shipDate, string orderId, int? capacity);

    Task ReleaseShipment(DateOnly shipDate, string orderId);

    Task<IReadOnlyDictionary<DateOnly, int>> GetShipmentCounts();
}
