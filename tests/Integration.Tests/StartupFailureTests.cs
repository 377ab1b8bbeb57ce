using System.Net;
using System.Net.Sockets;

namespace Distribution.Tests;

/// <summary>What an operator sees when a silo cannot start.</summary>
public sealed class StartupFailureTests
{
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
