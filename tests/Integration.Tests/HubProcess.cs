using System.Diagnostics;
using System.Net.Http.Json;

namespace Distribution.Tests;

/// <summary>
/// A real silo process (src/Silo, built with the solution) in durable mode on 127.0.0.1, with
/// short failure-detection and recovery timings so crash tests finish in seconds.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private static int _nextIndex;
    private readonly Process _process;
    private readonly System.Text.StringBuilder _output = new();

    private SiloProcess(Process process, int httpPort)
    {
        _process = process;
        HttpPort = httpPort;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public int HttpPort { get; }

    public HttpClient Http { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<SiloProcess> StartAsync(string connectionString, string clusterId)
    {
        var index = Interlocked.Increment(ref _nextIndex) + (Environment.ProcessId % 200) * 10;
        var httpPort = 18000 + index;
        var info = new ProcessStartInfo("dotnet", [SiloAssembly(), "--urls", $"http://127.0.0.1:{httpPort}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var env = info.Environment;
        env["ConnectionStrings__Distribution"] = connectionString;
        env["Orleans__ClusterId"] = clusterId;
        env["Orleans__ServiceId"] = clusterId;
        env["Hub__SiloPort"] = (21000 + index).ToString(System.Globalization.CultureInfo.InvariantCulture);
        env["Hub__GatewayPort"] = (41000 + index).ToString(System.Globalization.CultureInfo.InvariantCulture);
        env["Hub__RecoverySweepInterval"] = "00:00:01";
        env["Allocation__IntentTimeout"] = "00:00:02";
        env["Orleans__Membership__ProbeTimeout"] = "00:00:01";
        env["Orleans__Membership__NumMissedProbesLimit"] = "2";
        env["Orleans__Membership__NumVotesForDeathDeclaration"] = "1";
        env["Orleans__Membership__TableRefreshTimeout"] = "00:00:02";
        // A silo whose heartbeat is this stale is not waited for when a restarted one joins.
        env["Orleans__Membership__IAmAliveTablePublishTimeout"] = "00:00:02";
        env["Orleans__Membership__NumMissedTableIAmAliveLimit"] = "2";
        env["Logging__LogLevel__Default"] = "Warning";
        env["Logging__LogLevel__Distribution"] = "Information";

        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start the silo");
        var silo = new SiloProcess(process, httpPort);
        process.OutputDataReceived += (_, e) => silo.Append(e.Data);
        process.ErrorDataReceived += (_, e) => silo.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await silo.WaitReadyAsync();
        }
        catch
        {
            await silo.DisposeAsync();
            throw;
        }

        return silo;
    }

    /// <summary>An abrupt crash: no graceful shutdown, nothing flushed.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        Http.Dispose();
        _process.Dispose();
        await Task.CompletedTask;
    }

    private async Task WaitReadyAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"silo exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                var response = await Http.GetAsync("/health/ready");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"silo on port {HttpPort} not ready:\n{Output}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Distribution.Orleans.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }

    private static string SiloAssembly()
    {
        // The configuration this test assembly was built with (Debug or Release).
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var path = Path.Combine(RepositoryRoot(), "src", "Silo", "bin", configuration, "net10.0", "Distribution.Silo.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("build the solution first", path);
    }
}

/// <summary>Calls of the public API the tests need.</summary>
public static class HubApi
{
    public static async Task SeedAsync(HttpClient http, IReadOnlyList<(string Id, double Lat, double Lon)> warehouses, IReadOnlyList<string> skus, int onHand)
    {
        foreach (var (id, lat, lon) in warehouses)
        {
            (await http.PutAsJsonAsync($"/v1/warehouses/{id}", new
            {
                name = id,
                latitude = lat,
                longitude = lon,
                status = "active",
                cutoffLocalTime = "23:59:59",
                timeZone = "UTC",
            })).EnsureSuccessStatusCode();
        }

        foreach (var sku in skus)
        {
            (await http.PutAsJsonAsync($"/v1/items/{sku}", new { description = sku, unitOfMeasure = "EA" })).EnsureSuccessStatusCode();
        }

        foreach (var (id, _, _) in warehouses)
        {
            (await http.PostAsJsonAsync("/v1/inventory/snapshots", new
            {
                warehouseId = id,
                asOf = DateTimeOffset.UtcNow,
                items = skus.Select(s => new { sku = s, onHand }),
            })).EnsureSuccessStatusCode();
        }
    }
}
