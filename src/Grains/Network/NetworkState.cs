namespace Distribution.Network;

/// <summary>Stored master data of the network.</summary>
[GenerateSerializer]
public sealed class NetworkState
{
    [Id(0)] public Dictionary<string, WarehouseInfo> Warehouses { get; set; } = new(StringComparer.Ordinal);
    [Id(1)] public Dictionary<string, SupplierInfo> Suppliers { get; set; } = new(StringComparer.Ordinal);
    /// <summary>Keyed by <c>{from}|{to}</c>.</summary>
    [Id(2)] public Dictionary<string, LaneInfo> Lanes { get; set; } = new(StringComparer.Ordinal);
    [Id(3)] public long Version { get; set; }
}
