using Distribution.Common;

namespace Distribution.Orders.Sourcing;

/// <summary>Great-circle distances between points on the map.</summary>
public static partial class GeoDistance
{
    /// <summary>Great-circle distance between <paramref name="a"/> and <paramref name="b"/> in kilometres (haversine).</summary>
    public static double Kilometres(GeoPoint a, GeoPoint b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return Kilometres(a.Latitude, a.Longitude, b.Latitude, b.Longitude);
    }
}
