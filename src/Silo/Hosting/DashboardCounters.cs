using System.Diagnostics.Metrics;
using System.Reflection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using Orleans.Dashboard;

namespace Distribution.Silo.Hosting;

/// <summary>
/// The Orleans dashboard (10.4.2) reads every instrument of Orleans' meter once a second (its host's
/// <c>ExportIntervalMilliseconds</c>, not <see cref="DashboardOptions.CounterUpdateIntervalMs"/>). Two of
/// those instruments walk every activation or directory cache entry on each read: with a million live
/// SKU-locations an idle silo spent about a third of a core on them (BENCHMARKS.md, "The dashboard's
/// cost"). Registered before <c>AddDashboard</c> (which then keeps this registration of its host), the
/// dashboard's own reader is switched off and this one feeds the dashboard's exporter instead: every
/// <see cref="DashboardOptions.CounterUpdateIntervalMs"/>, without <see cref="WalkingInstruments"/>.
/// If a later dashboard version lacks what this relies on, the dashboard is left as it is.
/// </summary>
internal sealed class DashboardCounters(IServiceProvider services, Type exporterType, int intervalMs, ILogger<DashboardCounters> logger)
    : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    /// <summary>Orleans' meter: the instruments the dashboard shows as silo counters.</summary>
    public const string OrleansMeter = "Microsoft.Orleans";

    /// <summary>Instruments whose every read walks all activations (catalog) or all directory cache entries.</summary>
    public static readonly IReadOnlyList<string> WalkingInstruments =
        ["orleans-messaging-processing-activation-data", "orleans-directory-cache-size"];

    private MeterProvider? _reader;

    /// <summary>Call before <c>AddDashboard</c>; <paramref name="intervalMs"/> is the dashboard's counter interval.</summary>
    public static void Register(IServiceCollection services, int intervalMs)
    {
        var assembly = typeof(DashboardOptions).Assembly;
        var hostType = assembly.GetType("Orleans.Dashboard.DashboardHost");
        var exporterType = assembly.GetType("Orleans.Dashboard.Implementation.DashboardTelemetryExporter");
        var interval = hostType?.GetProperty("ExportIntervalMilliseconds", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public);
        if (hostType is null || exporterType is null || interval?.SetMethod is null
            || !typeof(ILifecycleParticipant<ISiloLifecycle>).IsAssignableFrom(hostType) || !typeof(IHostedService).IsAssignableFrom(hostType))
        {
            return; // another dashboard version: it keeps its own reader
        }

        // What AddDashboard registers for its host when none is registered yet, with its reader off.
        services.AddSingleton(hostType, sp =>
        {
            var host = ActivatorUtilities.CreateInstance(sp, hostType);
            interval.SetValue(host, Timeout.Infinite); // "only explicit flushes", and nothing flushes it
            return host;
        });
        services.AddSingleton<IHostedService>(sp => (IHostedService)sp.GetRequiredService(hostType));
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => (ILifecycleParticipant<ISiloLifecycle>)sp.GetRequiredService(hostType));
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp =>
            new DashboardCounters(sp, exporterType, Math.Max(1000, intervalMs), sp.GetRequiredService<ILogger<DashboardCounters>>()));
    }

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(DashboardCounters), ServiceLifecycleStage.Active, _ =>
        {
            Start();
            return Task.CompletedTask;
        });

    private void Start()
    {
        if (services.GetService(exporterType) is not BaseExporter<Metric> exporter)
        {
            logger.LogWarning("The dashboard's exporter was not found: the dashboard shows no silo counters");
            return;
        }

        // One view for every instrument (several matching views would each make a stream): the walking
        // ones dropped, histograms as the dashboard reads them (count and sum only).
        var builder = Sdk.CreateMeterProviderBuilder().AddMeter(OrleansMeter).AddView(instrument =>
            WalkingInstruments.Contains(instrument.Name) ? MetricStreamConfiguration.Drop
            : instrument.GetType().IsGenericType && instrument.GetType().GetGenericTypeDefinition() == typeof(Histogram<>)
                ? new ExplicitBucketHistogramConfiguration { Boundaries = [], RecordMinMax = false }
                : null);
        _reader = builder.AddReader(new PeriodicExportingMetricReader(exporter, intervalMs, intervalMs)).Build();
        logger.LogInformation("Dashboard counters are read every {Interval} ms, without {Instruments}", intervalMs, WalkingInstruments);
    }

    public void Dispose() => _reader?.Dispose();
}
