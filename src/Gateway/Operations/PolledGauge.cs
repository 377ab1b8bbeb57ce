using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Distribution.Gateway.Operations;

/// <summary>
/// A gauge read from the cluster every <see cref="Interval"/> by a background service, so a scrape
/// never waits for grains and a grain that is not active is still counted. One instrument per name
/// per process: an exporter ignores a second instrument of the same name, so with several hosts in
/// one process (the tests) only the first host's values would show. Each host's poller keeps its
/// latest values, and the instrument reports, per tag value, the sum over the hosts of the process
/// (one host per process in production, so that host's values).
/// </summary>
public abstract class PolledGauge : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    private static readonly Meter Meter = new(MetricsApi.HubMeter);
    private static readonly Dictionary<string, ConcurrentDictionary<PolledGauge, IReadOnlyDictionary<string, int>>> HostsByInstrument = new(StringComparer.Ordinal);

    private readonly IServiceProvider _services;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<PolledGauge, IReadOnlyDictionary<string, int>> _hosts;

    /// <param name="name">The instrument's name (the Prometheus name replaces dots with underscores).</param>
    /// <param name="tag">The one tag the values are keyed by.</param>
    protected PolledGauge(string name, string tag, string unit, string description, IServiceProvider services, ILogger logger)
    {
        _services = services;
        _logger = logger;
        lock (HostsByInstrument)
        {
            if (!HostsByInstrument.TryGetValue(name, out var hosts))
            {
                hosts = new ConcurrentDictionary<PolledGauge, IReadOnlyDictionary<string, int>>();
                HostsByInstrument.Add(name, hosts);
                Meter.CreateObservableGauge(name, () => Observe(hosts, tag), unit, description);
            }

            _hosts = hosts;
        }
    }

    /// <summary>The current values by tag value; a tag value absent from the answer is not reported.</summary>
    protected abstract Task<IReadOnlyDictionary<string, int>> ReadAsync(IGrainFactory grains);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        do
        {
            try
            {
                // Resolved lazily: in the embedded host the cluster client exists only once the silo started.
                var grains = _services.GetRequiredService<IGrainFactory>();
                _hosts[this] = await ReadAsync(grains).WaitAsync(Interval, stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                _logger.LogDebug(e, "Reading {Gauge} failed; keeping the last values", GetType().Name);
            }
        }
        while (await timer.TickUntilStoppedAsync(stoppingToken));
    }

    public override void Dispose()
    {
        _hosts.TryRemove(this, out _);
        base.Dispose();
        GC.SuppressFinalize(this);
    }

    private static IEnumerable<Measurement<int>> Observe(ConcurrentDictionary<PolledGauge, IReadOnlyDictionary<string, int>> hosts, string tag) =>
        hosts.Values
            .SelectMany(values => values)
            .GroupBy(v => v.Key, StringComparer.Ordinal)
            .Select(g => new Measurement<int>(g.Sum(v => v.Value), new KeyValuePair<string, object?>(tag, g.Key)));
}
