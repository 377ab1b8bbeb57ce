using System.Diagnostics;

namespace Distribution.Benchmark;

/// <summary>Latency percentiles in milliseconds (nearest rank over all recorded samples).</summary>
internal readonly record struct LatencySummary(int Count, double Mean, double P50, double P95, double P99, double Max);

/// <summary>
/// Records every latency sample (Stopwatch ticks) of one worker without locking; summaries merge
/// and sort the samples of all workers, so the percentiles are exact.
/// </summary>
internal sealed class LatencyRecorder
{
    private long[] samples = new long[4096];
    private int count;

    public int Count => count;

    public void Record(long elapsedTicks)
    {
        if (count == samples.Length)
            Array.Resize(ref samples, samples.Length * 2);
        samples[count++] = elapsedTicks;
    }

    public static LatencySummary Summarize(IEnumerable<LatencyRecorder> recorders)
    {
        var all = recorders.SelectMany(r => r.samples.Take(r.count)).ToArray();
        if (all.Length == 0)
            return default;

        Array.Sort(all);
        var mean = all.Average(t => (double)t);
        return new LatencySummary(
            all.Length,
            ToMilliseconds(mean),
            ToMilliseconds(Percentile(all, 50)),
            ToMilliseconds(Percentile(all, 95)),
            ToMilliseconds(Percentile(all, 99)),
            ToMilliseconds(all[^1]));
    }

    /// <summary>Nearest-rank percentile of ascending <paramref name="sorted"/> (not empty).</summary>
    public static long Percentile(IReadOnlyList<long> sorted, double percent)
    {
        var rank = (int)Math.Ceiling(percent / 100 * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }

    public static double ToMilliseconds(double ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}
