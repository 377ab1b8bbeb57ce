namespace Distribution.Inventory;

/// <summary>Stored state of one SKU across the network.</summary>
[GenerateSerializer]
public sealed class SkuState
{
    [Id(0)] public ItemInfo? Item { get; set; }
    /// <summary>Last report of each SKU-location, keyed by warehouse id.</summary>
    [Id(1)] public Dictionary<string, LocationAvailability> Locations { get; set; } = new(StringComparer.Ordinal);
    /// <summary>Order lines waiting for stock, keyed by <c>{orderId}|{lineId}</c>.</summary>
    [Id(2)] public Dictionary<string, BackorderEntry> Backorders { get; set; } = new(StringComparer.Ordinal);
}
