using Distribution.Common;

namespace Distribution.Network;

/// <summary>
/// Counts the shipments promised per ship date against the warehouse's daily order capacity and
/// tells the network view when a date fills up or frees, so sourcing skips full dates.
/// </summary>
[Reentrant]
public sealed class WarehouseGrain : Grain, IWarehouseGrain
{
    private readonly IPersistentState<WarehouseState> _state;
    private readonly TimeProvider _time;
    private readonly CoalescedWriter _writer;
    private readonly Dictionary<DateOnly, int> _capacityByDate = [];
    private IReadOnlyList<DateOnly> _reportedFull = [];

    public WarehouseGrain(
        [PersistentState("warehouse", GrainStorage.Name)] IPersistentState<WarehouseState> state,
        TimeProvider time,
        ILogger<WarehouseGrain> logger)
    {
        _state = state;
        _time = time;
        _writer = CoalescedWriter.ForState(this, _state, logger);
    }

    private WarehouseState S => _state.State;

    public async Task<bool> TryClaimShipment(DateOnly shipDate, string orderId, int? capacity)
    {
        if (!S.Shipments.TryGetValue(shipDate, out var orders))
        {
            S.Shipments[shipDate] = orders = new HashSet<string>(StringComparer.Ordinal);
        }

        if (!orders.Contains(orderId))
        {
            if (capacity is { } limit && orders.Count >= limit)
            {
                return false;
            }

            orders.Add(orderId);
            PruneBefore(DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime).AddDays(-7));
        }

        if (capacity is { } c)
        {
            _capacityByDate[shipDate] = c;
        }

        ReportFullDates();
        await _writer.WriteAsync();
        return true;
    }

    public async Task ReleaseShipment(DateOnly shipDate, string orderId)
    {
        if (S.Shipments.TryGetValue(shipDate, out var orders) && orders.Remove(orderId))
        {
            ReportFullDates();
            await _writer.WriteAsync();
        }
    }

    public Task<IReadOnlyDictionary<DateOnly, int>> GetShipmentCounts() =>
        Task.FromResult<IReadOnlyDictionary<DateOnly, int>>(S.Shipments.ToDictionary(p => p.Key, p => p.Value.Count));

    private void ReportFullDates()
    {
        var full = S.Shipments
            .Where(p => _capacityByDate.TryGetValue(p.Key, out var c) && p.Value.Count >= c)
            .Select(p => p.Key)
            .Order()
            .ToList();
        if (!full.SequenceEqual(_reportedFull))
        {
            _reportedFull = full;
            _ = GrainFactory.GetGrain<INetworkGrain>(INetworkGrain.Key).ReportFullShipDates(this.GetPrimaryKeyString(), full);
        }
    }

    // Past ship dates no longer matter for capacity; keep a week for inspection.
    private void PruneBefore(DateOnly cutoff)
    {
        foreach (var date in S.Shipments.Keys.Where(d => d < cutoff).ToList())
        {
            S.Shipments.Remove(date);
        }
    }
}
