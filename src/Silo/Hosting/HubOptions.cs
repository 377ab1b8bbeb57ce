namespace Distribution.Silo.Hosting;

/// <summary>How this silo runs (configuration section <c>Hub</c>; environment <c>Hub__...</c>).</summary>
public sealed class HubOptions
{
    /// <summary>Silo-to-silo port; in a local cluster each silo gets its own.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Port Orleans clients (standalone gateways) connect to.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>Address advertised to the other silos; loopback for a cluster on one machine. Unused in a Kubernetes pod (the pod IP is advertised).</summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>
    /// The silo runs in a Kubernetes pod (deploy/k8s): it advertises POD_IP, listens on all the pod's
    /// addresses, names itself POD_NAME and lets Orleans' Kubernetes hosting reconcile membership with
    /// the pods. Explicit rather than detected, because the hosting needs a service account with pod
    /// permissions that a silo merely running in some pod may not have. Needs the durable mode.
    /// </summary>
    public bool Kubernetes { get; set; }

    /// <summary>
    /// How long a stopping silo may take to hand off its grains before the host gives up (the host's
    /// default, 30 seconds, when unset). Keep it below the pod's termination grace period.
    /// </summary>
    public TimeSpan? ShutdownTimeout { get; set; }

    /// <summary>Seed the demo network at start (also <c>--demo</c> on the command line).</summary>
    public bool Demo { get; set; }

    /// <summary>How often the recovery sweep looks for grains whose wake-up time passed.</summary>
    public TimeSpan RecoverySweepInterval { get; set; } = TimeSpan.FromSeconds(15);
}
