namespace Distribution.Replenishment.Tests;

public sealed class StandardNormalTests
{
    // References: Wichura's AS241 (Python's statistics.NormalDist.inv_cdf), double precision.
    [Theory]
    [InlineData(0.5, 0.0)]
    [InlineData(0.8413447460685429, 1.0)]
    [InlineData(0.95, 1.6448536269514715)]
    [InlineData(0.975, 1.9599639845400536)]
    [InlineData(0.99, 2.3263478740408408)]
    [InlineData(0.999, 3.090232306167813)]
    [InlineData(0.2, -0.8416212335729142)]
    [InlineData(0.05, -1.6448536269514726)]
    [InlineData(0.001, -3.090232306167813)]
    [InlineData(0.02425, -1.9729610513118845)]   // region boundaries of the approximation
    [InlineData(0.97575, 1.9729610513118847)]
    [InlineData(1e-6, -4.753424308822899)]
    [InlineData(1e-9, -5.9978070150076865)]      // beyond the refinement: the approximation alone
    public void Quantile_matches_reference_values(double p, double z) =>
        Assert.Equal(z, StandardNormal.Quantile(p), 1e-8);

    [Theory]
    [InlineData(0.5, 0.0)]
    [InlineData(0.95, 1.644854)]
    [InlineData(0.975, 1.959964)]
    [InlineData(0.99, 2.326348)]
    public void Quantile_of_common_service_levels_to_six_decimals(double p, double z) =>
        Assert.Equal(z, Math.Round(StandardNormal.Quantile(p), 6));

    [Fact]
    public void Quantile_of_0_8413_is_about_one() =>
        Assert.Equal(1.0, StandardNormal.Quantile(0.8413), 1e-3);

    [Fact]
    public void Quantile_is_antisymmetric_and_inverts_the_cdf()
    {
        for (var i = 1; i < 1000; i++)
        {
            var p = i / 1000.0;
            var z = StandardNormal.Quantile(p);
            Assert.Equal(-z, StandardNormal.Quantile(1 - p), 1e-9);
            Assert.Equal(p, StandardNormal.Cdf(z), 1e-12);
        }
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(-0.5)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void Quantile_outside_zero_to_one_is_rejected(double p)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => StandardNormal.Quantile(p));
        Assert.Equal("p", e.ParamName);
    }

    [Theory]
    [InlineData(0.0, 0.5)]
    [InlineData(1.96, 0.9750021048517796)]
    [InlineData(-1.0, 0.15865525393145707)]
    [InlineData(3.0, 0.9986501019683699)]
    [InlineData(-5.0, 2.8665157186802404e-07)]
    [InlineData(-40.0, 0.0)]
    [InlineData(40.0, 1.0)]
    public void Cdf_matches_reference_values(double x, double p) =>
        Assert.Equal(p, StandardNormal.Cdf(x), 1e-15);
}
