using System.Globalization;

namespace Distribution.Benchmark;

/// <summary>A quantile of the apply lag, in seconds; <see cref="AboveLastBound"/> when it fell in the +Inf bucket.</summary>
internal readonly record struct LagQuantile(double Seconds, bool AboveLastBound)
{
    public string Milliseconds(string format = "F1") =>
        (AboveLastBound ? ">" : "") + (Seconds * 1000).ToString(format, CultureInfo.InvariantCulture);
}

/// <summary>Apply lag over one level: how many events were applied, and p50/p99 of their lag.</summary>
internal sealed record ApplyLagSummary(long Count, LagQuantile P50, LagQuantile P99);

/// <summary>
/// The server's acceptance→application histogram (<c>distribution_events_apply_lag_seconds</c>)
/// as scraped from GET /metrics: cumulative counts per upper bound, summed over every series
/// (one per warehouse). Two scrapes give a level's own figures by difference.
/// </summary>
internal sealed class ApplyLag
{
    // Exporters vary the name behind this prefix (the unit suffix); the bucket lines end in _bucket.
    private const string NamePrefix = "distribution_events_apply_lag";
    private const string BucketSuffix = "_bucket";

    private readonly SortedDictionary<double, double> cumulative;

    private ApplyLag(SortedDictionary<double, double> cumulative) => this.cumulative = cumulative;

    /// <summary>The metric is not in the scrape (absent, or nothing observed yet).</summary>
    public bool IsEmpty => cumulative.Count == 0;

    /// <summary>The histogram in <paramref name="prometheusText"/>; empty when the metric is absent (nothing observed yet).</summary>
    public static ApplyLag Parse(string prometheusText)
    {
        var counts = new SortedDictionary<double, double>();
        foreach (var raw in prometheusText.Split('\n'))
        {
            var line = raw.Trim();
            if (!line.StartsWith(NamePrefix, StringComparison.Ordinal))
                continue;
            var brace = line.IndexOf('{', StringComparison.Ordinal);
            var close = brace < 0 ? -1 : LabelsEnd(line, brace);
            if (close < 0)
                continue;
            var name = line[..brace];
            if (!name.EndsWith(BucketSuffix, StringComparison.Ordinal))
                continue;
            var scale = name.Contains("_milliseconds", StringComparison.Ordinal) ? 0.001 : 1.0;
            if (Bound(line[(brace + 1)..close]) is not { } bound)
                continue;
            // "name{labels} value [timestamp]" (an OpenMetrics exemplar may follow after '#').
            var fields = line[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 0 || !double.TryParse(fields[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var count))
                continue;
            var key = bound * scale;
            counts[key] = counts.GetValueOrDefault(key) + count;
        }

        return new ApplyLag(counts);
    }

    /// <summary>
    /// The lag of the events applied between two scrapes; null when a scrape failed, nothing was
    /// applied in between, or a count went down (the server restarted).
    /// </summary>
    public static ApplyLagSummary? Between(ApplyLag? before, ApplyLag? after)
    {
        if (before is null || after is null)
            return null;
        var bounds = new List<double>();
        var deltas = new List<double>();
        foreach (var (bound, count) in after.cumulative)
        {
            var delta = count - before.cumulative.GetValueOrDefault(bound);
            if (delta < 0)
                return null;
            bounds.Add(bound);
            deltas.Add(delta);
        }

        if (deltas.Count == 0 || deltas[^1] <= 0 || !double.IsPositiveInfinity(bounds[^1]))
            return null;
        return new ApplyLagSummary((long)deltas[^1], Quantile(bounds, deltas, 0.50), Quantile(bounds, deltas, 0.99));
    }

    /// <summary>
    /// Like PromQL's histogram_quantile: the bucket holding the rank, linear inside it (from 0 for
    /// the first bucket); in the +Inf bucket, the last finite bound, flagged.
    /// </summary>
    private static LagQuantile Quantile(List<double> bounds, List<double> cumulative, double q)
    {
        var rank = q * cumulative[^1];
        for (var i = 0; i < bounds.Count; i++)
        {
            if (cumulative[i] < rank)
                continue;
            if (double.IsPositiveInfinity(bounds[i]))
                return new LagQuantile(i > 0 ? bounds[i - 1] : 0, AboveLastBound: true);
            var (lower, below) = i > 0 ? (bounds[i - 1], cumulative[i - 1]) : (0, 0);
            var inBucket = cumulative[i] - below;
            return new LagQuantile(lower + ((bounds[i] - lower) * (inBucket > 0 ? (rank - below) / inBucket : 1)), AboveLastBound: false);
        }

        return new LagQuantile(bounds.Count > 1 ? bounds[^2] : 0, AboveLastBound: true);
    }

    /// <summary>Index of the '}' that closes the label set opened at <paramref name="open"/> (quoted values skipped), or -1.</summary>
    private static int LabelsEnd(string line, int open)
    {
        var quoted = false;
        for (var i = open + 1; i < line.Length; i++)
        {
            switch (line[i])
            {
                case '\\' when quoted:
                    i++;
                    break;
                case '"':
                    quoted = !quoted;
                    break;
                case '}' when !quoted:
                    return i;
            }
        }

        return -1;
    }

    /// <summary>The <c>le</c> label among <paramref name="labels"/> ("+Inf" included), or null.</summary>
    private static double? Bound(string labels)
    {
        var quoted = false;
        for (var i = 0; i < labels.Length; i++)
        {
            if (labels[i] == '"' && (i == 0 || labels[i - 1] != '\\'))
                quoted = !quoted;
            if (quoted || (i > 0 && labels[i - 1] is not (',' or ' ')) || !labels.AsSpan(i).StartsWith("le=\"", StringComparison.Ordinal))
                continue;
            var start = i + 4;
            var end = labels.IndexOf('"', start);
            if (end < 0)
                return null;
            var value = labels[start..end];
            if (value is "+Inf" or "Inf" or "inf" or "+inf")
                return double.PositiveInfinity;
            return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var bound) ? bound : null;
        }

        return null;
    }
}
