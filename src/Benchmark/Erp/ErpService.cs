using System.Diagnostics;

namespace Distribution.Benchmark.Erp;

/// <summary>
/// The ERP-centric service as a child process of the benchmark: this same executable with the
/// hidden sub-command <see cref="ErpServer.Command"/>, on a free loopback port. Disposing it closes
/// the child's standard input (its stop signal) and kills it if it has not ended shortly after.
/// </summary>
internal sealed class ErpService : IAsyncDisposable
{
    private readonly Process process;

    private ErpService(Process process, Uri baseUrl)
    {
        this.process = process;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    public int Pid => process.Id;

    /// <exception cref="SetupException">The child did not start or did not say where it listens within <paramref name="timeout"/>.</exception>
    public static async Task<ErpService> StartAsync(string connectionString, TimeSpan timeout, CancellationToken ct)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };

        // Run as `dotnet Distribution.Benchmark.dll` the process is the dotnet host, which needs the assembly.
        var self = Environment.ProcessPath ?? throw new SetupException("cannot tell this program's executable");
        start.FileName = self;
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
            start.ArgumentList.Add(typeof(ErpService).Assembly.Location);
        start.ArgumentList.Add(ErpServer.Command);

        // In the environment, not the arguments, so the password does not show in ps.
        start.Environment[ErpServer.ConnectionVariable] = connectionString;

        // The silo's GC (server), so the two services differ in design, not in runtime settings.
        start.Environment["DOTNET_gcServer"] = "1";

        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
                listening.TrySetException(new SetupException("the ERP-centric service ended before it listened"));
            else if (e.Data.StartsWith(ErpServer.ListeningPrefix, StringComparison.Ordinal)
                && Uri.TryCreate(e.Data[ErpServer.ListeningPrefix.Length..].TrimEnd('/') + "/", UriKind.Absolute, out var url))
                listening.TrySetResult(url);
            else
                ConsoleStatus.Line("  erp-serve: " + e.Data);
        };

        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            process.Dispose();
            throw new SetupException($"the ERP-centric service did not start: {e.Message}");
        }

        process.BeginOutputReadLine();
        try
        {
            return new ErpService(process, await listening.Task.WaitAsync(timeout, ct));
        }
        catch (TimeoutException)
        {
            await StopAsync(process);
            throw new SetupException($"the ERP-centric service did not listen within {timeout.TotalSeconds:F0} s");
        }
        catch
        {
            await StopAsync(process);
            throw;
        }
    }

    public ValueTask DisposeAsync() => new(StopAsync(process));

    private static async Task StopAsync(Process process)
    {
        try
        {
            process.StandardInput.Close();
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await process.WaitForExitAsync(grace.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        finally
        {
            process.Dispose();
        }
    }
}
