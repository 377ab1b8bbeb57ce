using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Distribution.Benchmark;

/// <summary>
/// The run second by second (--timeline FILE), for watching silos join and fail under load:
/// acknowledged orders, 503 answers and other failed attempts, the p99 latency of the orders
/// answered in that second, and the activations per silo from GET /v1/operations/silos, polled
/// every <see cref="PollInterval"/> on a connection of its own (so it does not queue behind the
/// order clients). Seconds count from the start of the load, warm-up included; unix_s lets a
/// script line them up with what it did to the cluster.
/// </summary>
internal sealed class OrderTimeline : IAsyncDisposable
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    private readonly long origin = Stopwatch.GetTimestamp();
    private readonly DateTimeOffset originUtc = DateTimeOffset.UtcNow;
    private readonly Lock gate = new();
    private readonly List<Second> seconds = [];
    private readonly List<(long At, SiloSample Sample)> samples = [];
    private readonly HttpClient http;
    private readonly CancellationTokenSource stopPolling = new();
    private readonly Task polling;

    private OrderTimeline(Uri baseUrl, string? apiKey)
    {
        http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(5) };
        if (apiKey is not null)
            http.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        polling = Task.Run(() => PollAsync(stopPolling.Token));
    }

    /// <summary>Starts recording and polling when --timeline was given; null otherwise.</summary>
    public static OrderTimeline? StartIfAsked(Options options, Uri baseUrl) =>
        options.TimelinePath is null ? null : new OrderTimeline(baseUrl, options.ApiKey);

    public void Acknowledged(long at, long latencyTicks)
    {
        lock (gate)
        {
            var second = At(at);
            second.Orders++;
            second.Latencies.Add(latencyTicks);
        }
    }

    public void Failed(long at, OrderAttempt attempt)
    {
        lock (gate)
        {
            var second = At(at);
            if (attempt.Status == 503)
                second.Unavailable++;
            else
                second.OtherErrors[attempt.ErrorKey] = second.OtherErrors.GetValueOrDefault(attempt.ErrorKey) + 1;
        }
    }

    /// <summary>Stops polling and writes the CSV (one row per second of load).</summary>
    public async Task WriteAsync(string path)
    {
        await StopPollingAsync();
        var csv = new StringBuilder("second,unix_s,utc,orders,status_503,other_errors,other_error_detail,p99_ms,silos,activations_by_silo\n");
        lock (gate)
        {
            var sample = 0;
            SiloSample? latest = null;
            for (var s = 0; s < seconds.Count; s++)
            {
                // The latest poll answered by the end of this second.
                var end = origin + ((s + 1) * Stopwatch.Frequency);
                while (sample < samples.Count && samples[sample].At < end)
                    latest = samples[sample++].Sample;

                var row = seconds[s];
                var at = originUtc.AddSeconds(s);
                csv.Append(CultureInfo.InvariantCulture,
                    $"{s},{at.ToUnixTimeSeconds()},{at:HH:mm:ss},{row.Orders},{row.Unavailable},{row.OtherErrors.Values.Sum()},")
                    .Append(string.Join(';', row.OtherErrors.Select(e => $"{e.Key}:{e.Value}"))).Append(',')
                    .Append(P99(row.Latencies)).Append(',')
                    .Append(latest?.Silos?.ToString(CultureInfo.InvariantCulture) ?? "").Append(',')
                    .Append(latest?.Activations ?? "").Append('\n');
            }
        }

        await File.WriteAllTextAsync(path, csv.ToString());
        Console.WriteLine($"Timeline: {seconds.Count} s written to {path}");
    }

    public async ValueTask DisposeAsync()
    {
        await StopPollingAsync();
        http.Dispose();
        stopPolling.Dispose();
    }

    private async Task StopPollingAsync()
    {
        if (!stopPolling.IsCancellationRequested)
            await stopPolling.CancelAsync();
        await polling;
    }

    private Second At(long timestamp)
    {
        var index = (int)Math.Max(0, (timestamp - origin) / Stopwatch.Frequency);
        while (seconds.Count <= index)
            seconds.Add(new Second());
        return seconds[index];
    }

    private async Task PollAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(PollInterval);
        do
        {
            if (await ReadSilosAsync(ct) is not { } sample)
                break;
            lock (gate)
                samples.Add((Stopwatch.GetTimestamp(), sample));
        }
        while (await WaitAsync(timer, ct));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken ct)
    {
        try
        {
            return await timer.WaitForNextTickAsync(ct);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>"address=activations" per active silo ('?' when it did not answer), or why the poll failed; null once stopped.</summary>
    private async Task<SiloSample?> ReadSilosAsync(CancellationToken ct)
    {
        try
        {
            using var response = await http.GetAsync("v1/operations/silos", ct);
            if (!response.IsSuccessStatusCode)
                return new SiloSample(null, $"unavailable ({(int)response.StatusCode})");
            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
            var silos = document.RootElement.EnumerateArray()
                .Where(s => s.GetProperty("status").GetString() == "active")
                .Select(s => s.GetProperty("address").GetString() + "="
                    + (s.GetProperty("activations").ValueKind == JsonValueKind.Number ? s.GetProperty("activations").GetInt64().ToString(CultureInfo.InvariantCulture) : "?"))
                .ToList();
            return new SiloSample(silos.Count, string.Join(';', silos));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or InvalidOperationException or KeyNotFoundException)
        {
            return new SiloSample(null, "unavailable (" + e.GetType().Name + ")");
        }
    }

    private static string P99(List<long> latencies)
    {
        if (latencies.Count == 0)
            return "";
        latencies.Sort();
        return LatencyRecorder.ToMilliseconds(LatencyRecorder.Percentile(latencies, 99)).ToString("0.0", CultureInfo.InvariantCulture);
    }

    private sealed class Second
    {
        public long Orders;
        public long Unavailable;
        public readonly Dictionary<string, long> OtherErrors = new(StringComparer.Ordinal);
        public readonly List<long> Latencies = [];
    }

    private sealed record SiloSample(int? Silos, string Activations);
}
