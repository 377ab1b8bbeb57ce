using System.Net;
using Distribution.Common;
using Distribution.Events.Streaming;
using Distribution.Integration.Webhooks;
using Distribution.Persistence;
using Orleans.Configuration;
using Orleans.Dashboard;
using Orleans.Hosting.Kubernetes;

namespace Distribution.Silo.Hosting;

/// <summary>
/// Composes a silo: embedded (no connection string: in-memory clustering, storage, reminders and
/// event journal) or durable (ConnectionStrings:Distribution: PostgreSQL clustering, reminders, the
/// group-commit grain storage and the event journal, on a schema applied at start). Durable silos
/// in Kubernetes (Hub:Kubernetes) keep PostgreSQL as the membership table and add Orleans'
/// Kubernetes hosting, which ties silos to their pods.
/// </summary>
public static class SiloHosting
{
    public static WebApplicationBuilder AddDistributionSilo(this WebApplicationBuilder builder)
    {
        var config = builder.Configuration;
        var hub = config.GetSection("Hub").Get<HubOptions>() ?? new HubOptions();
        var connectionString = config.GetConnectionString("Distribution");
        if (hub.Kubernetes && string.IsNullOrWhiteSpace(connectionString))
        {
            // Pods come and go; an in-memory cluster of one would lose everything with its pod.
            throw new InvalidOperationException("Hub:Kubernetes needs ConnectionStrings:Distribution (PostgreSQL membership and storage).");
        }

        var activations = config.GetSection("Activations").Get<ActivationPolicyOptions>() ?? new ActivationPolicyOptions();
        if (activations.Problems() is { Count: > 0 } problems)
        {
            throw new InvalidOperationException(string.Join("; ", problems));
        }

        builder.Services.Configure<HubOptions>(config.GetSection("Hub"));
        if (hub.ShutdownTimeout is { } shutdownTimeout)
        {
            builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = shutdownTimeout);
        }
        builder.Services.AddDistributionGrains(config.GetSection("Allocation"));
        builder.Services.Configure<Replenishment.ReplenishmentOptions>(config.GetSection("Replenishment"));
        builder.Services.AddBusinessEvents(config.GetSection("Webhooks"));
        builder.Services.AddHostedService<RecoverySweep>();
        builder.Services.AddHostedService<ViewRefreshOnSiloLoss>();
        builder.Services.AddHostedService<EventJournalRetention>();
        builder.Services.AddHostedService<TelemetryCollector>();

        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(config.GetSection("Orleans"));
            // Failure detection timings (tests and local clusters shorten them).
            silo.Configure<ClusterMembershipOptions>(config.GetSection("Orleans:Membership"));
            silo.Configure<GrainCollectionOptions>(activations.ApplyTo);
            if (Gateway.Operations.Telemetry.TracingEnabled(config))
            {
                silo.AddActivityPropagation();
            }
            if (config.GetValue("Dashboard:Enabled", true))
            {
                // The dashboard reads Orleans' counters through DashboardCounters: two of them walk every activation.
                var counterInterval = config.GetValue("Dashboard:CounterUpdateIntervalMs", 5000);
                DashboardCounters.Register(silo.Services, counterInterval);
                silo.AddDashboard(o => o.CounterUpdateIntervalMs = counterInterval);
            }
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                silo.UseLocalhostClustering(hub.SiloPort, hub.GatewayPort);
                silo.UseInMemoryReminderService();
                silo.AddLocalMemoryGrainStorage(GrainStorage.Name, o => o.WakeAtSelector = WakeAt);
            }
            else
            {
                if (hub.Kubernetes)
                {
                    silo.ConfigureEndpoints(PodAddress(config), hub.SiloPort, hub.GatewayPort, listenOnAnyHostAddress: true);
                    silo.UseKubernetesHosting();
                }
                else
                {
                    silo.ConfigureEndpoints(IPAddress.Parse(hub.AdvertisedAddress), hub.SiloPort, hub.GatewayPort, listenOnAnyHostAddress: false);
                }
                silo.UseAdoNetClustering(o =>
                {
                    o.Invariant = "Npgsql";
                    o.ConnectionString = connectionString;
                });
                // The default directory is eventually consistent: while a silo joins, a grain can briefly
                // have two activations, and the stale one answers reads with old stock (seen in the
                // reference scale-out run). This directory is linearizable: one activation per grain.
#pragma warning disable ORLEANSEXP003 // experimental in Orleans 10.4; the guarantee is worth it
                silo.AddDistributedGrainDirectory();
#pragma warning restore ORLEANSEXP003
                silo.UseAdoNetReminderService(o =>
                {
                    o.Invariant = "Npgsql";
                    o.ConnectionString = connectionString;
                });
                silo.AddBatchedPostgresGrainStorage(GrainStorage.Name, o =>
                {
                    o.ConnectionString = connectionString;
                    o.WakeAtSelector = WakeAt;
                });
                silo.AddPostgresEventJournal(connectionString);
                // Applying an event durably takes PostgreSQL round trips, so the same lag allows a
                // shorter backlog than in memory (BENCHMARKS.md); configuration still wins.
                silo.Services.Configure<EventStreamOptions>(o => o.MaxPendingPerQueue = EventStreamOptions.DurableMaxPendingPerQueue);
                silo.Services.Configure<WarmUpOptions>(config.GetSection("WarmUp"));
                silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, NetworkWarmUp>();
            }

            // Warehouse events: the journal (memory or PostgreSQL, above) is the stream's queue.
            silo.AddWarehouseEventPipeline(config.GetSection("Events"));
        });
        return builder;
    }

    /// <summary>
    /// The pod IP from the downward API (the variable Orleans' Kubernetes hosting reads too). Set
    /// explicitly: the hosting only fills an address left unset, and Orleans' own default (the
    /// first interface address it finds) is registered earlier and fills it first.
    /// </summary>
    private static IPAddress PodAddress(IConfiguration config)
    {
        var podIp = config[KubernetesHostingOptions.PodIPEnvironmentVariable];
        return IPAddress.TryParse(podIp, out var address)
            ? address
            : throw new InvalidOperationException(
                $"Hub:Kubernetes needs {KubernetesHostingOptions.PodIPEnvironmentVariable} (fieldRef status.podIP); got '{podIp}'.");
    }

    private static DateTimeOffset? WakeAt(object state) => (state as IHasWakeTime)?.WakeAt;
}
