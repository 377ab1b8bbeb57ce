using System.Net;
using Distribution.Common;
using Distribution.Events.Streaming;
using Distribution.Persistence;
using Orleans.Configuration;
using Orleans.Dashboard;

namespace Distribution.Silo.Hosting;

/// <summary>
/// Composes a silo: embedded (no connection string: in-memory clustering, storage, reminders and
/// event journal) or durable (ConnectionStrings:Distribution: PostgreSQL clustering, reminders, the
/// group-commit grain storage and the event journal, on a schema applied at start).
/// </summary>
public static class SiloHosting
{
    public static WebApplicationBuilder AddDistributionSilo(this WebApplicationBuilder builder)
    {
        var config = builder.Configuration;
        var hub = config.GetSection("Hub").Get<HubOptions>() ?? new HubOptions();
        var connectionString = config.GetConnectionString("Distribution");

        builder.Services.Configure<HubOptions>(config.GetSection("Hub"));
        builder.Services.AddDistributionGrains(config.GetSection("Allocation"));
        builder.Services.AddHostedService<RecoverySweep>();
        builder.Services.AddHostedService<EventJournalRetention>();

        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(config.GetSection("Orleans"));
            // Failure detection timings (tests and local clusters shorten them).
            silo.Configure<ClusterMembershipOptions>(config.GetSection("Orleans:Membership"));
            if (config.GetValue("Dashboard:Enabled", true))
            {
                // The dashboard's counters walk every activation; once a second is costly with a million live grains.
                silo.AddDashboard(o => o.CounterUpdateIntervalMs = config.GetValue("Dashboard:CounterUpdateIntervalMs", 5000));
            }
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                silo.UseLocalhostClustering(hub.SiloPort, hub.GatewayPort);
                silo.UseInMemoryReminderService();
                silo.AddLocalMemoryGrainStorage(GrainStorage.Name, o => o.WakeAtSelector = WakeAt);
            }
            else
            {
                silo.ConfigureEndpoints(IPAddress.Parse(hub.AdvertisedAddress), hub.SiloPort, hub.GatewayPort, listenOnAnyHostAddress: false);
                silo.UseAdoNetClustering(o =>
                {
                    o.Invariant = "Npgsql";
                    o.ConnectionString = connectionString;
                });
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
            }

            // Warehouse events: the journal (memory or PostgreSQL, above) is the stream's queue.
            silo.AddWarehouseEventPipeline(config.GetSection("Events"));
        });
        return builder;
    }

    private static DateTimeOffset? WakeAt(object state) => (state as IHasWakeTime)?.WakeAt;
}
