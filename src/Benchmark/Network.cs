using System.Globalization;

namespace Distribution.Benchmark;

/// <summary>A warehouse of the benchmark network and where it sits on the map.</summary>
internal sealed record WarehouseSite(string Id, string Name, double Latitude, double Longitude);

/// <summary>
/// The benchmark network, derived from the options alone: warehouses placed by the seed on a map
/// (latitude 36..60, longitude -10..25, roughly Europe) and SKUs SKU-000001... . The same options
/// give the same network, so a run with --skip-seed talks about what an earlier run loaded.
/// </summary>
internal sealed class Network
{
    public const double MinLatitude = 36, MaxLatitude = 60, MinLongitude = -10, MaxLongitude = 25;

    private readonly Dictionary<string, int> warehouseIndex;

    private Network(IReadOnlyList<WarehouseSite> warehouses, string[] skus)
    {
        Warehouses = warehouses;
        Skus = skus;
        warehouseIndex = warehouses.Select((w, i) => (w.Id, i)).ToDictionary(p => p.Id, p => p.i, StringComparer.Ordinal);
    }

    public IReadOnlyList<WarehouseSite> Warehouses { get; }

    /// <summary>SKU ids by index; index 0 is SKU-000001.</summary>
    public IReadOnlyList<string> Skus { get; }

    public static Network Create(int warehouses, int skus, int seed)
    {
        var random = new Random(seed);
        var idWidth = Math.Max(3, Digits(warehouses));
        var sites = new WarehouseSite[warehouses];
        for (var i = 0; i < warehouses; i++)
        {
            var number = (i + 1).ToString("D" + idWidth, CultureInfo.InvariantCulture);
            sites[i] = new WarehouseSite(
                "WH-" + number,
                "Benchmark warehouse " + number,
                Math.Round(MinLatitude + (random.NextDouble() * (MaxLatitude - MinLatitude)), 4),
                Math.Round(MinLongitude + (random.NextDouble() * (MaxLongitude - MinLongitude)), 4));
        }

        var skuWidth = Math.Max(6, Digits(skus));
        var skuIds = new string[skus];
        for (var i = 0; i < skus; i++)
            skuIds[i] = "SKU-" + (i + 1).ToString("D" + skuWidth, CultureInfo.InvariantCulture);

        return new Network(sites, skuIds);
    }

    /// <summary>Index of a warehouse id in <see cref="Warehouses"/>, or -1 when it is not one of ours.</summary>
    public int IndexOfWarehouse(string? id) => id is not null && warehouseIndex.TryGetValue(id, out var i) ? i : -1;

    private static int Digits(int n) => n.ToString(CultureInfo.InvariantCulture).Length;
}
