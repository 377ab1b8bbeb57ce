namespace Distribution.Network;

/// <summary>Stored operational counters of one warehouse.</summary>
[GenerateSerializer]
public sealed class WarehouseState
{
    /// <summary>Orders promised to ship on each date (order ids, so claims are idempotent).</summary>
    [Id(0)] public Dictionary<DateOnly, HashSet<string>> Shipments { get; set; } = [];
}
