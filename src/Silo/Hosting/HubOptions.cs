namespace Distribution.Silo.Hosting;

/// <summary>How this silo runs (configuration section <c>Hub</c>; environment <c>Hub__...</c>).</summary>
public sealed class HubOptions
{
    /// <summary>Silo-to-silo port; in a local cluster each silo gets its own.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Port Orleans clients (standalone gateways) connect to.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>Address advertised to the other silos; loopback for a cluster on one machine.</summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>Seed the demo network at start (also <c>--demo</c> on the command line).</summary>
    public bool Demo { get; set; }

    /// <summary>How often the recovery sweep looks for grains whose wake-up time passed.</summary>
    public TimeSpan RecoverySweepInterval { get; set; } = TimeSpan.FromSeconds(15);
}
