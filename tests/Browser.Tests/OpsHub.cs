using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Distribution.Silo.Hosting;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Distribution.Tests.Browser;

/// <summary>
/// The embedded system as <c>dotnet run --project src/Silo -- --demo</c> starts it, behind real
/// Kestrel on a loopback port (a browser needs a real socket), with Debian's Chromium driven by
/// Playwright. One per test collection: the tests share the demo network and use their own ids.
/// </summary>
public sealed class OpsHub : WebApplicationFactory<HubOptions>, IAsyncLifetime
{
    /// <summary>Debian's chromium package; scripts/test.sh installs it when absent.</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>The hub's bootstrap admin key (Auth:AdminKey): <see cref="Api"/> sends it, signed-in pages carry it as the login cookie.</summary>
    public const string AdminKey = "dk_browser_admin_key_0123456789";

    private static readonly string[] DemoWarehouses = ["AMS", "BER", "MAD", "MIL", "WAW"];

    private readonly int _siloPort = FreePort();
    private readonly int _gatewayPort = FreePort();
    private IPlaywright? _playwright;

    public Uri BaseAddress { get; private set; } = null!;

    public HttpClient Api { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public OpsHub() => UseKestrel(k => k.Listen(IPAddress.Loopback, 0));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        var id = $"browser-tests-{Environment.ProcessId}";
        builder.UseSetting("ConnectionStrings:Distribution", "");
        builder.UseSetting("Hub:Demo", "true");
        builder.UseSetting("Hub:SiloPort", _siloPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Hub:GatewayPort", _gatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Orleans:ServiceId", id);
        builder.UseSetting("Orleans:ClusterId", id);
        builder.UseSetting("Auth:AdminKey", AdminKey);
        // The telemetry charts should show an order placed by a test without a 10 s wait.
        builder.UseSetting("Operations:TelemetryPushInterval", "00:00:01");
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
    }

    public async Task InitializeAsync()
    {
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseAddress = new Uri(addresses.Single());
        Api = new HttpClient { BaseAddress = BaseAddress };
        Api.DefaultRequestHeaders.Add("X-Api-Key", AdminKey);
        await WaitForDemoAsync();

        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing: apt-get install -y chromium (scripts/test.sh does it).");
        }

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // Test machines run as root, where Chromium's sandbox cannot start.
            Args = ["--no-sandbox"],
        });
    }

    /// <summary>A new page on a laptop-sized viewport, with the browser's console errors collected.</summary>
    /// <param name="signedIn">Whether the browser already holds the login cookie (as after <c>/login</c> with the admin key).</param>
    public async Task<(IPage Page, List<string> Errors)> OpenAsync(string path = "/ops", bool signedIn = true)
    {
        var page = await NewPageAsync(signedIn);
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add(message.Text);
            }
        };
        page.PageError += (_, error) => errors.Add(error);
        await page.GotoAsync(new Uri(BaseAddress, path).ToString());
        return (page, errors);
    }

    /// <summary>A page in its own browser context: signed in carries the login cookie for this host.</summary>
    public async Task<IPage> NewPageAsync(bool signedIn = true)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1440, Height = 900 } });
        if (signedIn)
        {
            await context.AddCookiesAsync([new Microsoft.Playwright.Cookie { Name = "distribution_key", Value = AdminKey, Url = BaseAddress.ToString() }]);
        }

        return await context.NewPageAsync();
    }

    /// <summary>The demo is seeded after start; tests begin once its warehouses and stock are there.</summary>
    private async Task WaitForDemoAsync()
    {
        for (var attempt = 0; attempt < 300; attempt++)
        {
            try
            {
                var warehouses = await Api.GetFromJsonAsync<JsonElement>("/v1/warehouses");
                using var availability = await Api.GetAsync("/v1/availability/SKU-020");
                if (DemoWarehouses.All(w => warehouses.EnumerateArray().Any(x => x.GetProperty("warehouseId").GetString() == w))
                    && availability.IsSuccessStatusCode
                    && (await availability.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("locations").GetArrayLength() == DemoWarehouses.Length)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException("The demo network was not seeded within 30 s.");
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        Api?.Dispose();
        await DisposeAsync();
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

[CollectionDefinition(Name)]
public sealed class OpsCollection : ICollectionFixture<OpsHub>
{
    public const string Name = "ops";
}
