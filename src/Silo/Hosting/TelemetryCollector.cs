using System.Diagnostics.Metrics;
using Distribution.Common;
using Distribution.Gateway;
using Distribution.Operations;

namespace Distribution.Silo.Hosting;

/// <summary>
/// The operations page's telemetry from this silo: listens to the hub's business instruments
/// (orders, allocation latency, backorders, promise breaches, event latency, replenishment cycle
/// time), adds them up per minute, and every <c>Operations:TelemetryPushInterval</c> (10 s) pushes
/// the last minutes to the telemetry grain. Grain metrics live in silo processes, so every silo
/// runs one; the grain merges them. The figures are the process's: hosts sharing a process (tests)
/// would see each other's measurements.
/// </summary>
public sealed class TelemetryCollector(
    IServiceProvider services,
    TimeProvider time,
    IConfiguration configuration,
    ILogger<TelemetryCollector> logger) : BackgroundService
{
    public static readonly TimeSpan DefaultPushInterval = TimeSpan.FromSeconds(10);

    private readonly TelemetryAccumulator _accumulator = new();
    private readonly string _siloId = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";
    private MeterListener? _listener;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == HubMetrics.MeterName && TelemetryInstruments.Names.Contains(instrument.Name))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();

        var interval = configuration.GetValue("Operations:TelemetryPushInterval", DefaultPushInterval);
        // Wall-clock cadence (a simulated business clock may stand still); minutes are stamped in business time.
        using var timer = new PeriodicTimer(interval);
        while (await timer.TickUntilStoppedAsync(stoppingToken))
        {
            try
            {
                // Resolved lazily: the grain factory is usable once the silo has started.
                var grains = services.GetRequiredService<IGrainFactory>();
                await grains.GetGrain<ITelemetryGrain>(ITelemetryGrain.Key)
                    .Report(_siloId, _accumulator.Snapshot(time.GetUtcNow()))
                    .WaitAsync(interval, stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogDebug(e, "Pushing telemetry failed; the next push carries the same minutes");
            }
        }
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var now = time.GetUtcNow();
        foreach (var sample in TelemetryInstruments.Samples(instrument.Name, value, tags))
        {
            _accumulator.Add(sample, now);
        }
    }

    public override void Dispose()
    {
        _listener?.Dispose();
        base.Dispose();
    }
}
