using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Distribution.Network;
using Distribution.Replenishment;
using static Distribution.Gateway.Operations.MetricsApi;

namespace Distribution.Gateway.Replenishment;

/// <summary>
/// The gauge <c>distribution.replenishment.recommendations.open</c> by warehouse: each warehouse's
/// board is asked for its open count every <see cref="Interval"/> (as the open-exceptions gauge
/// does), so a scrape never waits for the cluster and a board that is not active is still counted.
/// One instrument per process: an exporter drops a second instrument of the same name, so with two
/// hosts in one process (tests) the second host's counts would never show; each host adds its own.
/// </summary>
public sealed class OpenRecommendationsGauge : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    private static readonly Meter Meter = new(HubMeter);
    private static readonly ConcurrentDictionary<OpenRecommendationsGauge, IReadOnlyDictionary<string, int>> OpenByHost = new();

    private readonly IServiceProvider _services;
    private readonly ILogger<OpenRecommendationsGauge> _logger;

    static OpenRecommendationsGauge() => Meter.CreateObservableGauge(
        "distribution.replenishment.recommendations.open",
        () => OpenByHost.Values.SelectMany(open => open).Select(o => new Measurement<int>(o.Value, new KeyValuePair<string, object?>("warehouse", o.Key))),
        "{recommendation}",
        "Replenishment recommendations waiting for approval, by warehouse");

    public OpenRecommendationsGauge(IServiceProvider services, ILogger<OpenRecommendationsGauge> logger)
    {
        _services = services;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        do
        {
            try
            {
                // Resolved lazily: in the embedded host the cluster client exists only once the silo started.
                var grains = _services.GetRequiredService<IGrainFactory>();
                var view = await grains.GetGrain<INetworkGrain>(INetworkGrain.Key).GetView().WaitAsync(Interval, stoppingToken);
                var counts = await Task.WhenAll(view.Warehouses.Select(async w =>
                    (w.WarehouseId, Open: await grains.GetGrain<IReplenishmentBoardGrain>(w.WarehouseId).CountOpen())))
                    .WaitAsync(Interval, stoppingToken);
                OpenByHost[this] = counts.ToDictionary(c => c.WarehouseId, c => c.Open, StringComparer.Ordinal);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                _logger.LogDebug(e, "Reading open recommendation counts failed; keeping the last ones");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public override void Dispose()
    {
        OpenByHost.TryRemove(this, out _);
        base.Dispose();
    }
}
