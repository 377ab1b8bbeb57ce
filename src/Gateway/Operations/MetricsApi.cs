using System.Diagnostics.Metrics;
using Distribution.Gateway.Security;
using Distribution.Governance;
using Distribution.Operations;
using OpenTelemetry.Metrics;

namespace Distribution.Gateway.Operations;

/// <summary>
/// Prometheus metrics at <c>/metrics</c> (admin scope): the hub's business meter (events, latency,
/// promise breaches, open exceptions), ASP.NET Core's request metrics and Orleans' meter. Open
/// exceptions are a gauge read from the queue now and then, so a scrape never waits for the cluster.
/// </summary>
public static class MetricsApi
{
    public const string HubMeter = "Distribution.Hub";

    public const string OrleansMeter = "Microsoft.Orleans";

    /// <summary>
    /// The one Orleans instrument whose callback walks every activation on each collection
    /// (Catalog registers it: it sums each activation's queued requests), which with a million
    /// SKU-locations would cost a scrape seconds of CPU. Orleans' other observable gauges read a
    /// counter or a small collection (activation count, working set, ring and directory sizes).
    /// </summary>
    public const string ActivationWalkingInstrument = "orleans-messaging-processing-activation-data";

    public static IServiceCollection AddHubMetrics(this IServiceCollection services)
    {
        services.AddSingleton<OpenExceptionsGauge>();
        services.AddHostedService(sp => sp.GetRequiredService<OpenExceptionsGauge>());
        services.AddHostedService<Replenishment.OpenRecommendationsGauge>();
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(HubMeter)
            .AddMeter(OrleansMeter)
            .AddView(ActivationWalkingInstrument, MetricStreamConfiguration.Drop)
            .AddAspNetCoreInstrumentation()
            .AddPrometheusExporter());
        return services;
    }

    public static IEndpointRouteBuilder MapMetricsEndpoint(this IEndpointRouteBuilder app)
    {
        app.MapPrometheusScrapingEndpoint("/metrics").RequireScope(Scopes.Admin);
        return app;
    }

    /// <summary>Polls the exception queue's open counts every <see cref="Interval"/>.</summary>
    public sealed class OpenExceptionsGauge : BackgroundService
    {
        public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

        private readonly IServiceProvider _services;
        private readonly ILogger<OpenExceptionsGauge> _logger;
        private readonly Meter _meter = new(HubMeter);
        private volatile IReadOnlyDictionary<ExceptionKind, int> _open = new Dictionary<ExceptionKind, int>();

        public OpenExceptionsGauge(IServiceProvider services, ILogger<OpenExceptionsGauge> logger)
        {
            _services = services;
            _logger = logger;
            _meter.CreateObservableGauge(
                "distribution.exceptions.open",
                () => Enum.GetValues<ExceptionKind>().Select(k => new Measurement<int>(
                    _open.GetValueOrDefault(k), new KeyValuePair<string, object?>("kind", k.ToString()))),
                "{exception}",
                "Open (and retrying) exceptions by kind");
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
                    _open = await grains.GetGrain<IExceptionQueueGrain>(0).CountOpen().WaitAsync(Interval, stoppingToken);
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    _logger.LogDebug(e, "Reading open exception counts failed; keeping the last ones");
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }

        public override void Dispose()
        {
            _meter.Dispose();
            base.Dispose();
        }
    }
}
