using Distribution.Common;

namespace Distribution.Orders.Sourcing;

/// <summary>Great-circle distances between points on the map.</summary>
public static class GeoDistance
{
    /// <summary>Mean Earth radius used for the haversine formula, in kilometres.</summary>
    public const double EarthRadiusKm = 6371.0;

    /// <summary>Great-circle distance between <paramref name="a"/> and <paramref name="b"/> in kilometres (haversine).</summary>
    public static double Kilometres(GeoPoint a, GeoPoint b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);

        var lat1 = ToRadians(a.Latitude);
        var lat2 = ToRadians(b.Latitude);
        var dLat = lat2 - lat1;
        var dLon = ToRadians(b.Longitude - a.Longitude);

        var sinLat = Math.Sin(dLat / 2);
        var sinLon = Math.Sin(dLon / 2);
        var h = (sinLat * sinLat) + (Math.Cos(lat1) * Math.Cos(lat2) * sinLon * sinLon);
        // Rounding can push h marginally outside [0, 1] for (near-)antipodal points.
        h = Math.Clamp(h, 0.0, 1.0);
        return 2 * EarthRadiusKm * Math.Asin(Math.Sqrt(h));
    }

    private static double ToRadians(double degrees) => degrees * (Math.PI / 180.0);
}
