using Distribution.Common;
using Distribution.Inventory;
using Distribution.Network;
using Distribution.Replenishment;
using static Distribution.Tests.OrderTestData;

namespace Distribution.Tests;

/// <summary>The replenishment tests' network: one destination, one source with a fast lane, a slow supplier.</summary>
internal static class ReplenishmentNetwork
{
    public const string Supplier = "SUP-SLOW";

    /// <summary>
    /// A destination (s=10, Q=20) and a source (s=5) one day apart, the item bought from a supplier
    /// ten days away; both policies recommend only unless <paramref name="mode"/> says otherwise.
    /// </summary>
    public static async Task<(string Destination, string Source, string Sku)> CreateAsync(
        HubCluster hub, int destinationStock, int sourceStock, int? receivingCapacity = null, ReplenishmentMode mode = ReplenishmentMode.Recommend)
    {
        var (destination, source, sku) = (Unique("DST"), Unique("SRC"), Unique("SKU"));
        var network = hub.Grains.GetGrain<INetworkGrain>(INetworkGrain.Key);
        await hub.AddWarehouseAsync(source, 50.0, 8.0);
        Assert.Empty((await network.UpsertWarehouse(new WarehouseInfo
        {
            WarehouseId = destination,
            Name = destination,
            Location = new GeoPoint(51.0, 9.0),
            ReceivingCapacityPerDay = receivingCapacity,
            TimeZone = "UTC",
        })).Errors);
        Assert.Empty((await network.UpsertSupplier(new SupplierInfo { SupplierId = Supplier, Name = "Slow", LeadTimeDays = 10, LeadTimeStdDevDays = 2 })).Errors);
        Assert.Empty((await network.UpsertLane(new LaneInfo { FromWarehouseId = source, ToWarehouseId = destination, TransitDays = 1, CostPerUnit = 0.5m })).Errors);
        Assert.Empty((await hub.Grains.GetGrain<ISkuGrain>(sku).UpsertItem(new ItemInfo { Sku = sku, DefaultSupplierId = Supplier })).Errors);
        await hub.StockAsync(destination, sku, destinationStock);
        await hub.StockAsync(source, sku, sourceStock);
        var view = hub.Grains.GetGrain<ISkuGrain>(sku);
        Assert.Empty((await view.SetPolicy(destination, new ReplenishmentPolicy { Kind = ReplenishmentPolicyKind.ReorderPoint, ReorderPoint = 10, OrderQuantity = 20, Mode = mode })).Errors);
        Assert.Empty((await view.SetPolicy(source, new ReplenishmentPolicy { Kind = ReplenishmentPolicyKind.ReorderPoint, ReorderPoint = 5, OrderQuantity = 20 })).Errors);
        await HubCluster.EventuallyAsync(
            async () => (await view.GetAvailability())!.Locations.Count(l => l.Policy is not null) == 2,
            "both policies reached the SKU's view");
        return (destination, source, sku);
    }
}
