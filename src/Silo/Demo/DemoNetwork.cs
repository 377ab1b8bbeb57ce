using Distribution.Common;
using Distribution.Inventory;
using Distribution.Network;

namespace Distribution.Silo.Demo;

/// <summary>A small network to try the API at once: five European warehouses, twenty items, stock.</summary>
public static class DemoNetwork
{
    public static readonly WarehouseInfo[] Warehouses =
    [
        Warehouse("AMS", "Amsterdam DC", 52.37, 4.90, "Europe/Amsterdam"),
        Warehouse("BER", "Berlin DC", 52.52, 13.40, "Europe/Berlin"),
        Warehouse("MAD", "Madrid DC", 40.42, -3.70, "Europe/Madrid"),
        Warehouse("MIL", "Milan DC", 45.46, 9.19, "Europe/Rome"),
        Warehouse("WAW", "Warsaw 3PL", 52.23, 21.01, "Europe/Warsaw", WarehouseStatus.Degraded),
    ];

    public static async Task SeedAsync(IGrainFactory grains, TimeProvider time, ILogger logger)
    {
        var network = grains.GetGrain<INetworkGrain>(INetworkGrain.Key);
        foreach (var w in Warehouses)
        {
            await network.UpsertWarehouse(w);
        }

        await network.UpsertSupplier(new SupplierInfo { SupplierId = "ACME", Name = "Acme Components", LeadTimeDays = 10, LeadTimeStdDevDays = 2 });
        var skus = Enumerable.Range(1, 20).Select(i => $"SKU-{i:000}").ToArray();
        await Task.WhenAll(skus.Select(sku => grains.GetGrain<ISkuGrain>(sku).UpsertItem(new ItemInfo
        {
            Sku = sku,
            Description = $"Demo item {sku}",
            DefaultSupplierId = "ACME",
        })));

        var asOf = time.GetUtcNow();
        var random = new Random(7);
        foreach (var w in Warehouses)
        {
            var sync = await grains.GetGrain<IInventorySyncGrain>(0).ApplySnapshot(new InventorySnapshot
            {
                WarehouseId = w.WarehouseId,
                AsOf = asOf,
                // SKU-020 is scarce everywhere so backorders are easy to see.
                Items = [.. skus.Select(sku => new SnapshotLine(sku, sku == "SKU-020" ? 1 : random.Next(0, 60)))],
            });
            if (sync.Outcome == CommandOutcome.Invalid)
            {
                throw new InvalidOperationException($"Demo snapshot rejected: {string.Join("; ", sync.Errors)}");
            }
        }

        logger.LogInformation("Demo network seeded: {Warehouses} warehouses, {Skus} SKUs", Warehouses.Length, skus.Length);
    }

    private static WarehouseInfo Warehouse(string id, string name, double lat, double lon, string zone, WarehouseStatus status = WarehouseStatus.Active) => new()
    {
        WarehouseId = id,
        Name = name,
        Location = new GeoPoint(lat, lon),
        Status = status,
        DailyOrderCapacity = 500,
        CutoffLocalTime = new TimeOnly(17, 0),
        TimeZone = zone,
    };
}
