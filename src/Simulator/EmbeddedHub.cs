using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Distribution.Common;
using Distribution.Events;
using Distribution.Events.Streaming;
using Distribution.Gateway;
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

    private EmbeddedHub(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<EmbeddedHub> StartAsync(SimulationClock clock, string name)
    {
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Distribution"] = "",
            ["Dashboard:Enabled"] = "false",
            ["Hub:SiloPort"] = FreePort(),
            ["Hub:GatewayPort"] = FreePort(),
            ["Orleans:ServiceId"] = name,
            ["Orleans:ClusterId"] = name,
            // A simulated day passes in well under a second of real time: the sweep that wakes
            // grains due on business time must look often.
            ["Hub:RecoverySweepInterval"] = "00:00:00.200",
            ["Logging:LogLevel:Default"] = "Warning",
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
        return new EmbeddedHub(app, new Uri(address));
    }

    /// <summary>
    /// Waits until every accepted warehouse event has been applied (the journal has none pending),
    /// then lets the SKU-locations' reports reach the availability views, so the end-of-day reading
    /// is the same on every run.
    /// </summary>
    public async Task SettleAsync()
    {
        var journal = _app.Services.GetRequiredService<IEventJournal>();
        var queues = Enumerable.Range(0, _app.Services.GetRequiredService<EventStreams>().QueueCount).ToArray();
        while ((await journal.CountPendingAsync(queues, cap: 1)).Any(n => n > 0))
        {
            await Task.Delay(10);
        }

        await Task.Delay(50);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
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
