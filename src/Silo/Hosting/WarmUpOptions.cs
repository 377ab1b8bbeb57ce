namespace Distribution.Silo.Hosting;

/// <summary>Bringing the network live from PostgreSQL when a durable silo starts (configuration section <c>WarmUp</c>).</summary>
public sealed class WarmUpOptions
{
    /// <summary>
    /// Activate every stored SKU view and SKU-location once the silo is up, reading their states in
    /// bulk. Off by default: it holds the whole network in this silo's memory (about 3.6 KB per
    /// SKU-location), which suits a single silo or the first of a cluster; without it a grain
    /// activates on its first call and reads its own state then.
    /// </summary>
    public bool OnStart { get; set; }

    /// <summary>States read per query (all are held until the warm-up ends: about 0.4 KB each).</summary>
    public int ChunkSize { get; set; } = 5000;

    /// <summary>Activations in flight at once (more would queue in Orleans' placement, see FanOut).</summary>
    public int MaxInFlight { get; set; } = 512;
}
