namespace Distribution.Benchmark;

/// <summary>
/// Samples ranks 0..n-1 with P(rank k) proportional to 1/(k+1)^s, by inverting a precomputed CDF
/// with binary search: O(n) memory once, O(log n) per draw, exact up to double rounding.
/// Deterministic for a given <see cref="Random"/> sequence.
/// </summary>
internal sealed class ZipfSampler
{
    private readonly double[] cdf;

    public ZipfSampler(int n, double s)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(s);
        cdf = new double[n];
        var sum = 0.0;
        for (var k = 0; k < n; k++)
        {
            sum += Math.Pow(k + 1, -s);
            cdf[k] = sum;
        }

        for (var k = 0; k < n; k++)
            cdf[k] /= sum;
        cdf[n - 1] = 1.0; // NextDouble() < 1, so every draw lands inside the table.
    }

    public int Count => cdf.Length;

    /// <summary>Probability of <paramref name="rank"/> (for checks and reports).</summary>
    public double Probability(int rank) => rank == 0 ? cdf[0] : cdf[rank] - cdf[rank - 1];

    /// <summary>The smallest rank k with CDF(k) &gt; u, for u uniform in [0, 1).</summary>
    public int Sample(Random random)
    {
        var u = random.NextDouble();
        int lo = 0, hi = cdf.Length - 1;
        while (lo < hi)
        {
            var mid = (int)((uint)(lo + hi) >> 1);
            if (cdf[mid] > u)
                hi = mid;
            else
                lo = mid + 1;
        }

        return lo;
    }
}
