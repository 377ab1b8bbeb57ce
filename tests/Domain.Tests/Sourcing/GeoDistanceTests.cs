using Distribution.Common;

namespace Distribution.Orders.Sourcing.Tests;

public sealed class GeoDistanceTests
{
    [Fact]
    public void Same_point_is_zero() =>
        Assert.Equal(0.0, GeoDistance.Kilometres(new GeoPoint(52.52, 13.405), new GeoPoint(52.52, 13.405)), 9);

    [Fact]
    public void Berlin_to_Paris_is_about_878_km()
    {
        var berlin = new GeoPoint(52.5200, 13.4050);
        var paris = new GeoPoint(48.8566, 2.3522);

        var km = GeoDistance.Kilometres(berlin, paris);

        Assert.InRange(km, 873, 883);
        Assert.Equal(km, GeoDistance.Kilometres(paris, berlin), 9);
    }

    [Fact]
    public void One_degree_of_latitude_is_about_111_km() =>
        Assert.Equal(6371.0 * Math.PI / 180.0, GeoDistance.Kilometres(new GeoPoint(0, 0), new GeoPoint(1, 0)), 9);

    [Fact]
    public void Antipodes_are_half_the_circumference() =>
        Assert.Equal(Math.PI * 6371.0, GeoDistance.Kilometres(new GeoPoint(0, 0), new GeoPoint(0, 180)), 6);
}
