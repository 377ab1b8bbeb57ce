using System.Net;
using System.Net.Sockets;
using Distribution.Silo.Hosting;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;

namespace Distribution.Tests.Api;

/// <summary>
/// The whole product in one process, as <c>dotnet run --project src/Silo</c> starts it in embedded
/// mode (no connection string: in-memory clustering and storage), behind an in-memory HTTP server.
/// Each instance gets its own silo ports and its own ServiceId/ClusterId, so test classes run in
/// parallel without sharing a cluster or the process-wide in-memory store.
/// </summary>
public class HubFactory : WebApplicationFactory<HubOptions>
{
    private static int s_siloPort = 20999;
    // Below the ephemeral range (32768-60999), so an outgoing connection cannot take it after the check.
    private static int s_gatewayPort = 26999;
    private static int s_instance;

    public HubFactory()
        : this(kestrel: false)
    {
    }

    /// <param name="kestrel">Serve through real Kestrel on a loopback port (its limits apply) instead of the in-memory test server.</param>
    protected HubFactory(bool kestrel)
    {
        if (kestrel)
        {
            UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        }

        SiloPort = NextFreePort(ref s_siloPort);
        GatewayPort = NextFreePort(ref s_gatewayPort);
        ServiceId = $"api-tests-{Environment.ProcessId}-{Interlocked.Increment(ref s_instance)}";
    }

    public int SiloPort { get; }

    public int GatewayPort { get; }

    public string ServiceId { get; }

    /// <summary>The bootstrap admin key (Auth:AdminKey) every test hub starts with; <see cref="WebApplicationFactory{T}.CreateClient()"/> sends it.</summary>
    public const string AdminKey = "dk_test_admin_key_0123456789";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:Distribution", "");
        builder.UseSetting("Hub:Demo", "false");
        builder.UseSetting("Hub:SiloPort", SiloPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Hub:GatewayPort", GatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Orleans:ServiceId", ServiceId);
        builder.UseSetting("Orleans:ClusterId", ServiceId);
        builder.UseSetting("Auth:AdminKey", AdminKey);
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
    }

    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        client.DefaultRequestHeaders.Add("X-Api-Key", AdminKey);
    }

    private static int NextFreePort(ref int counter)
    {
        while (true)
        {
            var port = Interlocked.Increment(ref counter);
            try
            {
                var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                listener.Stop();
                return port;
            }
            catch (SocketException)
            {
                // Taken by another process (another test run, a local silo): try the next one.
            }
        }
    }
}

/// <summary>The product behind real Kestrel, for what only the server enforces (request body limits).</summary>
public sealed class KestrelHubFactory() : HubFactory(kestrel: true);
