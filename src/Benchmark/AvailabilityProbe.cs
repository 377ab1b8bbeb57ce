using System.Diagnostics;

namespace Distribution.Benchmark;

/// <summary>Read latencies the availability probe saw during one level's measured window.</summary>
internal sealed record ProbeResult(LatencySummary Availability, LatencySummary Query100, IReadOnlyDictionary<string, long> Errors)
{
    public long ErrorCount => Errors.Values.Sum();
}

/// <summary>
/// One extra closed-loop worker, beside the order workers and not counted in their concurrency,
/// that runs only inside the measured window: it alternates GET /v1/availability/{sku} (one SKU)
/// and POST /v1/availability/query (<see cref="QuerySize"/> distinct SKUs), the SKUs drawn from the
/// orders' Zipf popularity. A request counts when its answer arrives inside the window; only
/// well-formed 2xx answers give a latency sample, anything else is a probe error (not retried).
/// </summary>
internal sealed class AvailabilityProbe(ApiClient api, OrderWorkload workload, int seed, long measureStart, long measureEnd)
{
    public const int QuerySize = 100;
    private static readonly TimeSpan ErrorDelay = TimeSpan.FromMilliseconds(50);

    private readonly Random random = new(seed);
    private readonly LatencyRecorder availability = new();
    private readonly LatencyRecorder query = new();
    private readonly SortedDictionary<string, long> errors = new(StringComparer.Ordinal);

    public async Task RunAsync(CancellationToken ct)
    {
        try
        {
            var untilStart = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), measureStart);
            if (untilStart > TimeSpan.Zero)
                await Task.Delay(untilStart, ct);

            for (var single = true; !ct.IsCancellationRequested && Stopwatch.GetTimestamp() < measureEnd; single = !single)
                await SendOneAsync(single, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    /// <summary>The figures; call after <see cref="RunAsync"/> has finished.</summary>
    public ProbeResult Result() =>
        new(LatencyRecorder.Summarize([availability]), LatencyRecorder.Summarize([query]), errors);

    private async Task SendOneAsync(bool single, CancellationToken ct)
    {
        string? failure;
        long began;
        if (single)
        {
            var sku = NextSku();
            began = Stopwatch.GetTimestamp();
            failure = await api.ProbeAvailabilityAsync(sku, ct);
        }
        else
        {
            var body = new AvailabilityQueryBody(DistinctSkus(QuerySize));
            began = Stopwatch.GetTimestamp();
            failure = await api.ProbeAvailabilityQueryAsync(body, ct);
        }

        var ended = Stopwatch.GetTimestamp();
        var inWindow = ended >= measureStart && ended <= measureEnd;
        if (failure is null)
        {
            if (inWindow)
                (single ? availability : query).Record(ended - began);
            return;
        }

        if (inWindow)
        {
            var key = (single ? "avail:" : "query100:") + failure;
            errors[key] = errors.GetValueOrDefault(key) + 1;
        }

        await Task.Delay(ErrorDelay, ct);
    }

    private string NextSku() => workload.Network.Skus[workload.SkuByRank(workload.Popularity.Sample(random))];

    private string[] DistinctSkus(int wanted)
    {
        var count = Math.Min(wanted, workload.Network.Skus.Count);
        var picked = new HashSet<string>(count, StringComparer.Ordinal);
        while (picked.Count < count)
            picked.Add(NextSku());
        return [.. picked];
    }
}
