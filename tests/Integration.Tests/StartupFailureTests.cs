using System.Net;
using System.Net.Sockets;

namespace Distribution.Tests;

/// <summary>What an operator sees when a silo cannot start, and where its settings come from.</summary>
public sealed class StartupFailureTests
{
    [Fact]
    public async Task A_silo_started_from_a_folder_holding_another_programs_appsettings_reads_its_own()
    {
        // Settings this silo refuses to start with: read, they would stop it naming the setting.
        var folder = Directory.CreateTempSubdirectory("foreign-settings-");
        try
        {
            File.WriteAllText(Path.Combine(folder.FullName, "appsettings.json"), """{ "Activations": { "ScanInterval": "1.00:00:00" } }""");

            await using var silo = await SiloProcess.StartEmbeddedAsync(workingDirectory: folder.FullName);

            var contentRoot = Path.GetDirectoryName(HubProcess.HostAssembly("Silo", "Distribution.Silo.dll"))!;
            Assert.Contains($"Content root path: {contentRoot}", silo.Output, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_silo_whose_port_is_taken_exits_with_the_bind_error_and_no_background_service_crash()
    {
        var ports = TestPorts.Next();
        using var holder = new TcpListener(IPAddress.Loopback, ports.Silo);
        holder.Start();

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => SiloProcess.StartEmbeddedAsync(ports: ports));

        Assert.Contains("process exited", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Address already in use", failure.Message, StringComparison.Ordinal);
        // The host is disposed without being stopped; its timers' cancelled waits are not crashes.
        Assert.DoesNotContain("BackgroundService has thrown", failure.Message, StringComparison.Ordinal);
    }
}
