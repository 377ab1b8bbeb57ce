namespace Distribution.Replenishment;

/// <summary>
/// The standard normal distribution, for turning a service level (probability of not running out during a
/// lead time) into the number of standard deviations of safety stock, z.
/// </summary>
public static class StandardNormal
{
    private const double LowRegion = 0.02425;
    private const double HighRegion = 1 - LowRegion;
    private const double LogSqrtTwoPi = 0.91893853320467274178;   // ln √(2π)
    private const double SqrtTwoPi = 2.50662827463100050242;

    // Rational approximation of P. J. Acklam (relative error below 1.15e-9): central region in r = (p − ½)²,
    // tails in q = √(−2 ln p).
    private static readonly double[] A =
        [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00];

    private static readonly double[] B =
        [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01];

    private static readonly double[] C =
        [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00];

    private static readonly double[] D =
        [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00];

    /// <summary>
    /// z such that P(Z ≤ z) = <paramref name="p"/> (the inverse CDF, probit): 0.95 → 1.644854, 0.99 → 2.326348.
    /// </summary>
    /// <remarks>
    /// Acklam's approximation, then one Halley step against <see cref="Cdf"/> for p in [1e-8, 1 − 1e-8], which
    /// brings the error near double precision there; further out the CDF cannot be evaluated finely enough for a
    /// step to help and the approximation's 1.15e-9 relative error stands.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="p"/> is not strictly between 0 and 1.</exception>
    public static double Quantile(double p)
    {
        if (!(p > 0 && p < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "The probability must be strictly between 0 and 1.");
        }

        double x;
        if (p < LowRegion)
        {
            x = Tail(Math.Sqrt(-2 * Math.Log(p)));
        }
        else if (p <= HighRegion)
        {
            var q = p - 0.5;
            var r = q * q;
            x = Horner(A, r) * q / ((Horner(B, r) * r) + 1);
        }
        else
        {
            x = -Tail(Math.Sqrt(-2 * Math.Log(1 - p)));
        }

        if (p is >= 1e-8 and <= 1 - 1e-8)
        {
            // Halley: e = Φ(x) − p, u = e / φ(x); x −= u / (1 + x·u/2).
            var e = Cdf(x) - p;
            var u = e * SqrtTwoPi * Math.Exp(x * x / 2);
            x -= u / (1 + (x * u / 2));
        }

        return x;
    }

    /// <summary>P(Z ≤ <paramref name="x"/>), to about 1e-15 absolute.</summary>
    /// <remarks>
    /// Taylor series of Φ around 0 (Marsaglia): Φ(x) = ½ + φ(x)·(x + x³/3 + x⁵/(3·5) + …); every term is positive
    /// for x &gt; 0, so the sum has no cancellation. Beyond |x| = 9 the answer is within 1.2e-19 of 0 or 1 and is
    /// returned as such (and the series would need ever more terms).
    /// </remarks>
    public static double Cdf(double x)
    {
        if (double.IsNaN(x))
        {
            return double.NaN;
        }

        if (x < -9)
        {
            return 0;
        }

        if (x > 9)
        {
            return 1;
        }

        double sum = x, previous = 0, term = x, x2 = x * x;
        for (var i = 1; sum != previous; i += 2)
        {
            previous = sum;
            term *= x2 / (i + 2);
            sum += term;
        }

        return 0.5 + (sum * Math.Exp((-0.5 * x2) - LogSqrtTwoPi));
    }

    private static double Tail(double q) => Horner(C, q) / ((Horner(D, q) * q) + 1);

    /// <summary>c[0]·xⁿ⁻¹ + c[1]·xⁿ⁻² + … + c[n−1].</summary>
    private static double Horner(double[] c, double x)
    {
        var sum = c[0];
        for (var i = 1; i < c.Length; i++)
        {
            sum = (sum * x) + c[i];
        }

        return sum;
    }
}
