using Distribution.Common;
using Distribution.Replenishment;

namespace Distribution.Network;

/// <summary>
/// Master data of the network. Every order reads <see cref="GetView"/>, so the view is built once
/// per change and handed out as the same immutable object.
/// </summary>
public sealed class NetworkGrain(
    [PersistentState("network", GrainStorage.Name)] IPersistentState<NetworkState> state) : Grain, INetworkGrain
{
    // Full ship dates are operational, not master data: rebuilt from warehouse reports, not stored.
    private readonly Dictionary<string, IReadOnlyList<DateOnly>> _fullShipDates = new(StringComparer.Ordinal);
    private NetworkView? _view;
    private PlanningView? _planning;

    private NetworkState S => state.State;

    public Task<CommandResult> UpsertWarehouse(WarehouseInfo warehouse) =>
        UpsertAsync(MasterDataValidation.Validate(warehouse), S.Warehouses, warehouse.WarehouseId, warehouse);

    public Task<CommandResult> UpsertSupplier(SupplierInfo supplier) =>
        UpsertAsync(MasterDataValidation.Validate(supplier), S.Suppliers, supplier.SupplierId, supplier);

    public Task<CommandResult> UpsertLane(LaneInfo lane)
    {
        var errors = MasterDataValidation.Validate(lane);
        if (errors.Count == 0)
        {
            foreach (var (field, id) in new[] { ("fromWarehouseId", lane.FromWarehouseId), ("toWarehouseId", lane.ToWarehouseId) })
            {
                if (!S.Warehouses.ContainsKey(id))
                {
                    return Task.FromResult(CommandResult.NotFound(field, $"unknown warehouse '{id}'"));
                }
            }
        }

        return UpsertAsync(errors, S.Lanes, LaneKey(lane.FromWarehouseId, lane.ToWarehouseId), lane);
    }

    public Task<WarehouseInfo?> GetWarehouse(string warehouseId) =>
        Task.FromResult(S.Warehouses.GetValueOrDefault(warehouseId));

    public Task<SupplierInfo?> GetSupplier(string supplierId) =>
        Task.FromResult(S.Suppliers.GetValueOrDefault(supplierId));

    public Task<LaneInfo?> GetLane(string fromWarehouseId, string toWarehouseId) =>
        Task.FromResult(S.Lanes.GetValueOrDefault(LaneKey(fromWarehouseId, toWarehouseId)));

    public Task<NetworkView> GetView() => Task.FromResult(_view ??= new NetworkView(
        S.Version,
        [.. S.Warehouses.Values.OrderBy(w => w.WarehouseId, StringComparer.Ordinal)],
        new Dictionary<string, IReadOnlyList<DateOnly>>(_fullShipDates, StringComparer.Ordinal)));

    public Task<PlanningView> GetPlanningView() => Task.FromResult(_planning ??= new PlanningView(
        S.Version,
        [.. S.Warehouses.Values.OrderBy(w => w.WarehouseId, StringComparer.Ordinal)],
        [.. S.Lanes.Values],
        [.. S.Suppliers.Values]));

    public Task ReportFullShipDates(string warehouseId, IReadOnlyList<DateOnly> fullDates)
    {
        if (fullDates.Count == 0)
        {
            _fullShipDates.Remove(warehouseId);
        }
        else
        {
            _fullShipDates[warehouseId] = fullDates;
        }

        _view = null;
        return Task.CompletedTask;
    }

    private async Task<CommandResult> UpsertAsync<T>(IReadOnlyList<FieldError> errors, Dictionary<string, T> table, string key, T value)
        where T : class
    {
        if (errors.Count > 0)
        {
            return CommandResult.Invalid(errors);
        }

        if (table.TryGetValue(key, out var known) && known.Equals(value))
        {
            return new CommandResult(CommandOutcome.Updated, []);
        }

        table[key] = value;
        S.Version++;
        _view = null;
        _planning = null;
        await state.WriteStateAsync();
        return new CommandResult(known is null ? CommandOutcome.Created : CommandOutcome.Updated, []);
    }

    private static string LaneKey(string from, string to) => string.Concat(from, "|", to);
}
