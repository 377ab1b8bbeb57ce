using Distribution.Gateway.Security;
using Distribution.Governance;
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
        services.AddHostedService<OpenExceptionsGauge>();
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
}
