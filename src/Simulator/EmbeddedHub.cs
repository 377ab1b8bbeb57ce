using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Distribution.Common;
using Distribution.Events;
using Distribution.Events.Streaming;
using Distribution.Gateway;
using Distribution.Inventory;
using Distribution.Persistence;
using Distribution.Silo.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Distribution.Simulator;

/// <summary>
/// The product in embedded mode, started inside this process with the simulation's clock as
/// business time, serving its HTTP API on a free loopback port. One per simulated policy, so runs
/// never share state.
/// </summary>
internal sealed class EmbeddedHub : IAsyncDisposable
{
    private readonly WebApplication _app;

    private readonly string _serviceId;

    private EmbeddedHub(WebApplication app, Uri address, string serviceId, string adminKey)
    {
        _app = app;
        Address = address;
        _serviceId = serviceId;
        AdminKey = adminKey;
    }

    public Uri Address { get; }

    /// <summary>This hub's admin API key (the simulation plays every client with it).</summary>
    public string AdminKey { get; }

    private static int s_started;

    public static async Task<EmbeddedHub> StartAsync(SimulationClock clock)
    {
        // The in-process store is shared by the process and keyed by service id: each hub its own.
        var name = $"simulation-{Environment.ProcessId}-{Interlocked.Increment(ref s_started)}";
        var adminKey = Gateway.Security.ApiKey.NewBootstrapKey();
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Distribution"] = "",
            ["Dashboard:Enabled"] = "false",
            ["Hub:SiloPort"] = FreePort(),
            ["Hub:GatewayPort"] = FreePort(),
            ["Orleans:ServiceId"] = name,
            ["Orleans:ClusterId"] = name,
            ["Auth:AdminKey"] = adminKey,
            // A simulated day posts its events as fast as the hub takes them: not a client to throttle.
            ["RateLimits:Enabled"] = "false",
            // A simulated day passes in well under a second of real time: the sweep that wakes
            // grains due on business time must look often.
            ["Hub:RecoverySweepInterval"] = "00:00:00.200",
            ["Logging:LogLevel:Default"] = "Warning",
            // The simulator runs the replenishment pass itself, at the same hour each day: a
            // periodic pass, or a review after each stock change (debounced on wall-clock time), at a
            // moment that depends on wall-clock timing would break "same seed, same run".
            ["Replenishment:ReviewInterval"] = "3650.00:00:00",
            ["Replenishment:ReviewOnChange"] = "false",
        };
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddDistributionSilo();
        builder.AddDistributionGateway();
        builder.Services.AddBusinessClock(clock);

        var app = builder.Build();
        app.MapDistributionGateway();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new EmbeddedHub(app, new Uri(address), name, adminKey);
    }

    /// <summary>
    /// Waits until every accepted warehouse event has been applied (the journal has none pending),
    /// then has the availability views of <paramref name="skus"/> re-read their SKU-locations (views
    /// trail them by a report), so what is read or planned next is the same on every run.
    /// </summary>
    public async Task SettleAsync(IReadOnlyList<string> skus)
    {
        var journal = _app.Services.GetRequiredService<IEventJournal>();
        var queues = Enumerable.Range(0, _app.Services.GetRequiredService<EventStreams>().QueueCount).ToArray();
        while ((await journal.CountPendingAsync(queues, cap: 1)).Any(n => n > 0))
        {
            await Task.Delay(10);
        }

        var grains = _app.Services.GetRequiredService<IGrainFactory>();
        await Parallel.ForEachAsync(skus, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (sku, _) =>
            await grains.GetGrain<ISkuGrain>(sku).RefreshLocations());
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        LocalMemoryGrainStorage.Reset(_serviceId);
    }

    private static string FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port.ToString(CultureInfo.InvariantCulture);
    }
}
