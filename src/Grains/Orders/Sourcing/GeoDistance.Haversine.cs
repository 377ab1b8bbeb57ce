namespace Distribution.Orders.Sourcing;

// No Orleans types here: the benchmark compiles this file too (src/Benchmark/Erp), so the
// ERP-centric design ranks warehouses by exactly the hub's distance.
public static partial class GeoDistance
{
    /// <summary>Mean Earth radius used for the haversine formula, in kilometres.</summary>
    public const double EarthRadiusKm = 6371.0;

    /// <summary>Great-circle distance between two points given in decimal degrees, in kilometres (haversine).</summary>
    public static double Kilometres(double latitude1, double longitude1, double latitude2, double longitude2)
    {
        var lat1 = ToRadians(latitude1);
        var lat2 = ToRadians(latitude2);
        var sinLat = Math.Sin((lat2 - lat1) / 2);
        var sinLon = Math.Sin(ToRadians(longitude2 - longitude1) / 2);
        var h = (sinLat * sinLat) + (Math.Cos(lat1) * Math.Cos(lat2) * sinLon * sinLon);
        // Rounding can push h marginally outside [0, 1] for (near-)antipodal points.
        h = Math.Clamp(h, 0.0, 1.0);
        return 2 * EarthRadiusKm * Math.Asin(Math.Sqrt(h));
    }

    private static double ToRadians(double degrees) => degrees * (Math.PI / 180.0);
}
