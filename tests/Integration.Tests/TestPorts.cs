namespace Distribution.Tests;

/// <summary>
/// Loopback ports of the test processes: HTTP, silo-to-silo and client gateway, one set per
/// process, skipping ports something else holds. The first set is taken from
/// DISTRIBUTION_TEST_HTTP_PORT_BASE, DISTRIBUTION_TEST_SILO_PORT_BASE and
/// DISTRIBUTION_TEST_GATEWAY_PORT_BASE when set (so runs on a shared machine stay in their own
/// ranges), else from 18000, 21000 and 24000 plus an offset by process id: all below Linux's
/// ephemeral range (32768-60999), where an outgoing connection could take a port between the
/// check here and the process binding it.
/// </summary>
public static class TestPorts
{
    private static readonly int s_offset = (Environment.ProcessId % 200) * 10;
    private static int s_index;

    public static Set Next()
    {
        while (true)
        {
            var index = Interlocked.Increment(ref s_index);
            var set = new Set(Base("HTTP", 18000 + s_offset) + index, Base("SILO", 21000 + s_offset) + index, Base("GATEWAY", 24000 + s_offset) + index);
            if (IsFree(set.Http) && IsFree(set.Silo) && IsFree(set.Gateway))
            {
                return set;
            }
        }
    }

    private static int Base(string kind, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable($"DISTRIBUTION_TEST_{kind}_PORT_BASE"), out var value) ? value : fallback;

    private static bool IsFree(int port)
    {
        try
        {
            var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    public readonly record struct Set(int Http, int Silo, int Gateway);
}
