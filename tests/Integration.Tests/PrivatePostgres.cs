using System.Diagnostics;

namespace Distribution.Tests;

/// <summary>
/// A PostgreSQL cluster of a test's own (scripts/postgres.sh with another cluster name and port),
/// for tests that stop and start the database: the shared test server stays up for the others.
/// </summary>
public sealed class PrivatePostgres(string cluster, int port) : IAsyncDisposable
{
    public async Task<string> StartAsync() => (await RunAsync("start")).Trim().Split('\n')[^1];

    public Task StopAsync() => RunAsync("stop");

    public async ValueTask DisposeAsync() => await StopAsync();

    private async Task<string> RunAsync(string command)
    {
        var info = new ProcessStartInfo("bash", [Path.Combine(SiloProcess.RepositoryRoot(), "scripts", "postgres.sh"), command])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["DISTRIBUTION_PG_CLUSTER"] = cluster;
        info.Environment["DISTRIBUTION_PG_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"postgres.sh {command} failed ({process.ExitCode}): {await stderr}");
        }

        return await stdout;
    }
}
