using System.Net;
using System.Net.Sockets;
using Distribution.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;

namespace Distribution.Tests;

/// <summary>
/// A real silo (TCP on 127.0.0.1) on ADO.NET clustering and reminders with Invariant "Npgsql"
/// against our schema, plus an external client finding it through the gateway query: proves our
/// SQL matches the providers' contract.
/// </summary>
public sealed class OrleansAdoNetProvidersTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    [Fact]
    public async Task Silo_runs_on_our_schema_with_clustering_reminders_and_batched_storage()
    {
        var connectionString = database.ConnectionString;
        var clusterId = $"it-{Guid.NewGuid():N}";
        var siloPort = FreePort();
        var gatewayPort = FreePort();

        var siloBuilder = Host.CreateApplicationBuilder();
        siloBuilder.Logging.SetMinimumLevel(LogLevel.Warning);
        siloBuilder.UseOrleans(silo => silo
            .Configure<ClusterOptions>(o =>
            {
                o.ClusterId = clusterId;
                o.ServiceId = "integration-tests";
            })
            .ConfigureEndpoints(IPAddress.Loopback, siloPort, gatewayPort, listenOnAnyHostAddress: false)
            // The database is empty: the schema must be in place before clustering reads its queries.
            .ApplyPostgresSchemaOnStart(connectionString)
            .UseAdoNetClustering(o =>
            {
                o.Invariant = "Npgsql";
                o.ConnectionString = connectionString;
            })
            .UseAdoNetReminderService(o =>
            {
                o.Invariant = "Npgsql";
                o.ConnectionString = connectionString;
            })
            .AddBatchedPostgresGrainStorage("store", o => o.ConnectionString = connectionString));
        using var silo = siloBuilder.Build();
        using var startTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await silo.StartAsync(startTimeout.Token);
        try
        {
            // Membership: our row is Active (3) with the gateway port.
            Assert.Equal(1L, await database.ScalarAsync<long>(
                "SELECT count(*) FROM orleans_membership WHERE deployment_id = @c AND status = 3 AND port = @p AND proxy_port = @g",
                ("c", clusterId), ("p", siloPort), ("g", gatewayPort)));

            // Grain state through the batched storage, and reminders through the ADO.NET provider.
            var grains = silo.Services.GetRequiredService<IGrainFactory>();
            var probe = grains.GetGrain<IProbeGrain>("probe-1");
            Assert.Equal(1, await probe.IncrementAsync());
            Assert.Equal(2, await probe.IncrementAsync());
            Assert.Equal(2, await database.ScalarAsync<int>(
                "SELECT version FROM grain_state WHERE grain_type = 'probe/probe' AND grain_id = 'probe/probe-1'"));

            Assert.Equal("r1", await probe.RegisterReminderAsync("r1"));
            Assert.Equal("r2", await probe.RegisterReminderAsync("r2"));
            Assert.Equal("r2", await probe.RegisterReminderAsync("r2")); // update: version bump
            Assert.Equal(2, await probe.CountRemindersAsync());
            Assert.Equal(1, await database.ScalarAsync<int>(
                "SELECT version FROM orleans_reminders WHERE service_id = 'integration-tests' AND reminder_name = 'r2'"));

            // Ring-range reads (the reminder service's own queries), non-wrapping and wrapping.
            var reminderTable = silo.Services.GetRequiredService<IReminderTable>();
            var hash = probe.GetGrainId().GetUniformHashCode();
            Assert.Equal(2, (await reminderTable.ReadRows(unchecked(hash - 1), hash)).Reminders.Count);
            Assert.DoesNotContain(
                (await reminderTable.ReadRows(hash, unchecked(hash - 1))).Reminders,
                r => r.GrainId == probe.GetGrainId());
            Assert.Equal(2, (await reminderTable.ReadRows(probe.GetGrainId())).Reminders.Count);

            Assert.True(await probe.UnregisterReminderAsync("r1"));
            Assert.Equal(1, await probe.CountRemindersAsync());

            // The membership table API directly: read all, and clean up a long-dead silo row.
            var table = silo.Services.GetRequiredService<IMembershipTable>();
            await database.ExecuteAsync(
                """
                INSERT INTO orleans_membership (deployment_id, address, port, generation, silo_name, host_name,
                                                status, proxy_port, suspect_times, start_time, i_am_alive_time)
                VALUES (@c, '127.0.0.1', 1, 1, 'ghost', 'ghost', 6, 0, NULL, now() - interval '2 days', now() - interval '2 days')
                """,
                ("c", clusterId));
            var all = await table.ReadAllAsync();
            Assert.Equal(2, all.Members.Count);
            Assert.Contains(all.Members, m => m.Item1.SiloName == "ghost" && m.Item1.Status == SiloStatus.Dead);
            await table.CleanupDefunctSiloEntriesAsync(DateTimeOffset.UtcNow.AddDays(-1));
            var remaining = await table.ReadAllAsync();
            Assert.Single(remaining.Members);
            Assert.Equal(SiloStatus.Active, remaining.Members[0].Item1.Status);

            // An external client finds the silo through the gateway query.
            var clientBuilder = Host.CreateApplicationBuilder();
            clientBuilder.Logging.SetMinimumLevel(LogLevel.Warning);
            clientBuilder.UseOrleansClient(client => client
                .Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = clusterId;
                    o.ServiceId = "integration-tests";
                })
                .UseAdoNetClustering(o =>
                {
                    o.Invariant = "Npgsql";
                    o.ConnectionString = connectionString;
                }));
            using var client = clientBuilder.Build();
            await client.StartAsync(startTimeout.Token);
            try
            {
                var remote = client.Services.GetRequiredService<IClusterClient>().GetGrain<IProbeGrain>("probe-1");
                Assert.Equal(3, await remote.IncrementAsync());
            }
            finally
            {
                await client.StopAsync();
            }
        }
        finally
        {
            await silo.StopAsync();
        }

        // A clean shutdown marks our silo Dead in the table.
        Assert.Equal(6, await database.ScalarAsync<int>(
            "SELECT status FROM orleans_membership WHERE deployment_id = @c AND port = @p", ("c", clusterId), ("p", siloPort)));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
