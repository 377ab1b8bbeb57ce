using System.Globalization;
using Distribution.Common;
using Distribution.Gateway.Inventory;
using Distribution.Gateway.Network;
using Distribution.Inventory;
using Distribution.Network;
using Distribution.Orders.Sourcing;

namespace Distribution.Simulator;

/// <summary>
/// The network a simulation runs on, derived from the seed alone: warehouses spread over a map of
/// Europe, a lane between every two of them (transit grows with distance), three suppliers with
/// different lead times, items and their starting stock.
/// </summary>
internal sealed class SimulatedNetwork
{
    public static readonly (double Lat, double Lon) SouthWest = (40.0, -5.0);
    public static readonly (double Lat, double Lon) NorthEast = (55.0, 20.0);

    private static readonly SupplierInfo[] SupplierTable =
    [
        new() { SupplierId = "SUP-FAST", Name = "Nearby supplier", LeadTimeDays = 5, LeadTimeStdDevDays = 1 },
        new() { SupplierId = "SUP-MID", Name = "Regional supplier", LeadTimeDays = 10, LeadTimeStdDevDays = 2 },
        new() { SupplierId = "SUP-FAR", Name = "Overseas supplier", LeadTimeDays = 21, LeadTimeStdDevDays = 4 },
    ];

    private SimulatedNetwork(IReadOnlyList<WarehouseInfo> warehouses, IReadOnlyList<string> skus, DemandModel demand, double coverDays)
    {
        Warehouses = warehouses;
        Skus = skus;
        Demand = demand;
        CoverDays = coverDays;
    }

    public IReadOnlyList<WarehouseInfo> Warehouses { get; }

    public IReadOnlyList<string> Skus { get; }

    public DemandModel Demand { get; }

    public double CoverDays { get; }

    public static SimulatedNetwork Build(SimulationOptions options)
    {
        var random = new Random(options.Seed);
        var warehouses = Enumerable.Range(1, options.Warehouses).Select(i => new WarehouseInfo
        {
            WarehouseId = $"WH-{i:00}",
            Name = $"Warehouse {i}",
            Location = RandomPoint(random),
            Status = WarehouseStatus.Active,
            CutoffLocalTime = new TimeOnly(16, 0),
            TimeZone = "UTC",
        }).ToArray();
        var skus = Enumerable.Range(1, options.Skus).Select(i => $"SIM-{i:00000}").ToArray();
        return new SimulatedNetwork(warehouses, skus, new DemandModel(options, skus), options.InitialCoverDays);
    }

    public static GeoPoint RandomPoint(Random random) => new(
        SouthWest.Lat + (random.NextDouble() * (NorthEast.Lat - SouthWest.Lat)),
        SouthWest.Lon + (random.NextDouble() * (NorthEast.Lon - SouthWest.Lon)));

    /// <summary>The supplier of a SKU: popular SKUs come from farther away, as imported volume lines do.</summary>
    public static SupplierInfo SupplierOf(int skuIndex) => SupplierTable[skuIndex % SupplierTable.Length];

    /// <summary>Trucks cover ~600 km a day, plus a day of handling at each end.</summary>
    public static LaneBody Lane(WarehouseInfo from, WarehouseInfo to)
    {
        var km = GeoDistance.Kilometres(from.Location, to.Location);
        return new LaneBody(TransitDays: 1 + Math.Ceiling(km / 600), CostPerUnit: Math.Round(0.2m + ((decimal)km / 2000m), 2));
    }

    /// <summary>Loads master data, starting stock and the policy into the hub.</summary>
    public async Task SeedAsync(HubApi api, PolicySpec policy, DateTimeOffset asOf)
    {
        foreach (var supplier in SupplierTable)
        {
            await api.PutAsync($"/v1/suppliers/{supplier.SupplierId}", new SupplierBody(supplier.Name, supplier.LeadTimeDays, supplier.LeadTimeStdDevDays));
        }

        foreach (var w in Warehouses)
        {
            await api.PutAsync($"/v1/warehouses/{w.WarehouseId}", new WarehouseBody
            {
                Name = w.Name,
                Latitude = w.Location.Latitude,
                Longitude = w.Location.Longitude,
                Status = w.Status,
                CutoffLocalTime = w.CutoffLocalTime,
                TimeZone = w.TimeZone,
            });
        }

        foreach (var from in Warehouses)
        {
            foreach (var to in Warehouses.Where(t => t != from))
            {
                await api.PutAsync($"/v1/lanes/{from.WarehouseId}/{to.WarehouseId}", Lane(from, to));
            }
        }

        await ParallelAsync(Enumerable.Range(0, Skus.Count), i => api.PutAsync(
            $"/v1/items/{Skus[i]}", new ItemBody($"Simulated item {i + 1}", "EA", SupplierOf(i).SupplierId)));

        foreach (var w in Warehouses)
        {
            await api.PostAsync("/v1/inventory/snapshots", new InventorySnapshot
            {
                WarehouseId = w.WarehouseId,
                AsOf = asOf,
                Items = [.. Skus.Select((sku, i) => new SnapshotLine(sku, StartingStock(i)))],
            });
        }

        if (policy.Policy is { } p)
        {
            var locations = Warehouses.SelectMany(w => Skus.Select(sku => (w.WarehouseId, sku)));
            await ParallelAsync(locations, l => api.PutAsync($"/v1/warehouses/{l.WarehouseId}/skus/{l.sku}/policy", p));
        }
    }

    /// <summary>Expected demand of the SKU at one warehouse times the days of cover, at least one unit.</summary>
    public int StartingStock(int skuIndex) =>
        Math.Max(1, (int)Math.Ceiling(Demand.ExpectedDailyUnits(skuIndex) / Warehouses.Count * CoverDays));

    public static async Task ParallelAsync<T>(IEnumerable<T> items, Func<T, Task> action) =>
        await Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (item, _) => await action(item));

    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
