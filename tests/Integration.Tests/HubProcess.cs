using System.Diagnostics;

namespace Distribution.Tests;

/// <summary>
/// A real process of this repository's hosts (src/Silo or src/Gateway, built with the solution)
/// on 127.0.0.1: its HTTP client, its output, and ways to end it (crash or graceful stop).
/// </summary>
public sealed class HubProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly System.Text.StringBuilder _output = new();

    private HubProcess(Process process, TestPorts.Set ports)
    {
        _process = process;
        Ports = ports;
        Http = NewClient(TimeSpan.FromSeconds(30));
    }

    /// <summary>The bootstrap admin key (Auth__AdminKey) every test process starts with; <see cref="Http"/> sends it.</summary>
    public const string AdminKey = "dk_test_admin_key_0123456789";

    public TestPorts.Set Ports { get; }

    public int HttpPort => Ports.Http;

    public HttpClient Http { get; }

    /// <summary>Another client of this process (e.g. with its own timeout), sending the admin key.</summary>
    public HttpClient NewClient(TimeSpan timeout)
    {
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Ports.Http}"), Timeout = timeout };
        client.DefaultRequestHeaders.Add("X-Api-Key", AdminKey);
        return client;
    }

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

    /// <summary>
    /// Starts <paramref name="assembly"/> with <paramref name="environment"/> in <paramref name="workingDirectory"/>
    /// (this test's output folder if null) and waits until /health/ready answers 200.
    /// </summary>
    public static async Task<HubProcess> StartAsync(string assembly, TestPorts.Set ports, IReadOnlyDictionary<string, string> environment, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo("dotnet", [assembly, "--urls", $"http://127.0.0.1:{ports.Http}"])
        {
            WorkingDirectory = workingDirectory ?? AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["Auth__AdminKey"] = AdminKey;
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {assembly}");
        var host = new HubProcess(process, ports);
        process.OutputDataReceived += (_, e) => host.Append(e.Data);
        process.ErrorDataReceived += (_, e) => host.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await host.WaitReadyAsync();
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }

        return host;
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
                // The output is read asynchronously: wait until it has been read to its end, or the
                // message can miss why the process exited (it did once, in a full test run).
                using var drained = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _process.WaitForExitAsync(drained.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                throw new InvalidOperationException($"process exited with {_process.ExitCode}:\n{Output}");
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

        throw new TimeoutException($"process on port {HttpPort} not ready:\n{Output}");
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

    /// <summary>The built assembly of a host project, in the configuration this test assembly was built with.</summary>
    public static string HostAssembly(string project, string assemblyName)
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var path = Path.Combine(RepositoryRoot(), "src", project, "bin", configuration, "net10.0", assemblyName);
        return File.Exists(path) ? path : throw new FileNotFoundException("build the solution first", path);
    }
}

/// <summary>
/// Silo processes: in durable mode with short failure-detection and recovery timings so crash
/// tests finish in seconds, or embedded.
/// </summary>
public static class SiloProcess
{
    /// <param name="settings">More environment settings (e.g. Telemetry__Tracing), besides the ones set here.</param>
    public static Task<HubProcess> StartAsync(string connectionString, string clusterId, IReadOnlyDictionary<string, string>? settings = null)
    {
        var ports = TestPorts.Next();
        return HubProcess.StartAsync(HubProcess.HostAssembly("Silo", "Distribution.Silo.dll"), ports, new Dictionary<string, string>(settings ?? new Dictionary<string, string>())
        {
            ["ConnectionStrings__Distribution"] = connectionString,
            ["Orleans__ClusterId"] = clusterId,
            ["Orleans__ServiceId"] = clusterId,
            ["Hub__SiloPort"] = Invariant(ports.Silo),
            ["Hub__GatewayPort"] = Invariant(ports.Gateway),
            ["Hub__RecoverySweepInterval"] = "00:00:01",
            ["Allocation__IntentTimeout"] = "00:00:02",
            ["Orleans__Membership__ProbeTimeout"] = "00:00:01",
            ["Orleans__Membership__NumMissedProbesLimit"] = "2",
            ["Orleans__Membership__NumVotesForDeathDeclaration"] = "1",
            ["Orleans__Membership__TableRefreshTimeout"] = "00:00:02",
            // A silo whose heartbeat is this stale is not waited for when a restarted one joins.
            ["Orleans__Membership__IAmAliveTablePublishTimeout"] = "00:00:02",
            ["Orleans__Membership__NumMissedTableIAmAliveLimit"] = "2",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__Distribution"] = "Information",
        });
    }

    /// <summary>
    /// An embedded silo (no connection string) on <paramref name="ports"/> (new ones if null), with
    /// <paramref name="settings"/>, started in <paramref name="workingDirectory"/> (this test's output folder if null).
    /// </summary>
    public static Task<HubProcess> StartEmbeddedAsync(IReadOnlyDictionary<string, string>? settings = null, TestPorts.Set? ports = null, string? workingDirectory = null)
    {
        var endpoints = ports ?? TestPorts.Next();
        var environment = new Dictionary<string, string>(settings ?? new Dictionary<string, string>())
        {
            ["Hub__SiloPort"] = Invariant(endpoints.Silo),
            ["Hub__GatewayPort"] = Invariant(endpoints.Gateway),
        };
        return HubProcess.StartAsync(HubProcess.HostAssembly("Silo", "Distribution.Silo.dll"), endpoints, environment, workingDirectory);
    }

    public static string RepositoryRoot() => HubProcess.RepositoryRoot();

    internal static string Invariant(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// A standalone gateway process (src/Gateway): an Orleans client of the silos, found through the
/// PostgreSQL membership table. It refreshes its gateway list every second, so it uses silos that
/// joined (and forgets one that died) quickly; everything else is as the product ships it.
/// </summary>
public static class GatewayProcess
{
    public static Task<HubProcess> StartAsync(string connectionString, string clusterId)
    {
        var ports = TestPorts.Next();
        return HubProcess.StartAsync(HubProcess.HostAssembly("Gateway", "Distribution.Gateway.dll"), ports, new Dictionary<string, string>
        {
            ["ConnectionStrings__Distribution"] = connectionString,
            ["Orleans__ClusterId"] = clusterId,
            ["Orleans__ServiceId"] = clusterId,
            ["Orleans__Gateway__GatewayListRefreshPeriod"] = "00:00:01",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__Distribution"] = "Information",
        });
    }
}
