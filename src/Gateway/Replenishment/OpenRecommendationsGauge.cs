using Distribution.Gateway.Operations;
using Distribution.Network;
using Distribution.Replenishment;

namespace Distribution.Gateway.Replenishment;

/// <summary>
/// The gauge <c>distribution.replenishment.recommendations.open</c> by warehouse: each warehouse's
/// board is asked for its open count (see <see cref="PolledGauge"/> for when and how it is exported).
/// </summary>
public sealed class OpenRecommendationsGauge(IServiceProvider services, ILogger<OpenRecommendationsGauge> logger)
    : PolledGauge("distribution.replenishment.recommendations.open", "warehouse", "{recommendation}", "Replenishment recommendations waiting for approval, by warehouse", services, logger)
{
    protected override async Task<IReadOnlyDictionary<string, int>> ReadAsync(IGrainFactory grains)
    {
        var view = await grains.GetGrain<INetworkGrain>(INetworkGrain.Key).GetView();
        var counts = await Task.WhenAll(view.Warehouses.Select(async w =>
            (w.WarehouseId, Open: await grains.GetGrain<IReplenishmentBoardGrain>(w.WarehouseId).CountOpen())));
        return counts.ToDictionary(c => c.WarehouseId, c => c.Open, StringComparer.Ordinal);
    }
}
