using System.Diagnostics;

namespace Distribution.Benchmark;

/// <summary>Figures of one concurrency level over its measured window.</summary>
internal sealed record LevelResult(
    int Concurrency,
    TimeSpan Measured,
    LatencySummary Latency,
    IReadOnlyDictionary<string, long> Errors,
    long BackorderedLines,
    long BackorderedUnits,
    long InconsistentLines,
    long Replays,
    CpuUsage Cpu,
    ProbeResult? Probe)
{
    public long Orders => Latency.Count;

    public double OrdersPerSecond => Orders / Measured.TotalSeconds;

    public long ErrorCount => Errors.Values.Sum();
}

/// <summary>
/// Closed loop: C workers, each sending its next order as soon as the previous one was answered.
/// A level warms up, then measures; an order counts in the window when its answer arrives inside it,
/// and its latency runs from the first attempt to the answer (503 and transport failures are
/// retried with the same order id; every failed attempt counts as an error). The availability probe
/// runs with <paramref name="availabilityProbe"/> (the ERP-centric comparison has no availability API).
/// </summary>
internal sealed class ClosedLoopRunner(
    ApiClient api, OrderWorkload workload, AllocationLedger ledger, CpuMeter cpu, Options options, bool availabilityProbe, OrderTimeline? timeline = null)
{
    private const int MaxAttempts = 3;
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(50);

    private readonly OrderTimeline? timeline = timeline;
    private long sequence;

    /// <summary>Runs the levels of --concurrency in turn, printing each one's row; stops at cancellation.</summary>
    public async Task<IReadOnlyList<LevelResult>> RunLevelsAsync(CancellationToken ct)
    {
        var results = new List<LevelResult>();
        for (var level = 0; level < options.Concurrency.Count && !ct.IsCancellationRequested; level++)
        {
            if (await RunLevelAsync(level, options.Concurrency[level], ct) is not { } result)
                break;
            results.Add(result);
            Console.WriteLine(Report.Header(cpu.ServerPids));
            Console.WriteLine(Report.Row(result));
            if (Report.ProbeLine(result) is { } probeLine)
                Console.WriteLine(probeLine);
        }

        return results;
    }

    /// <summary>Runs one level; null when cancelled before its measured window began.</summary>
    private async Task<LevelResult?> RunLevelAsync(int level, int concurrency, CancellationToken ct)
    {
        var start = Stopwatch.GetTimestamp();
        var measureStart = start + ToTicks(options.Warmup);
        var measureEnd = measureStart + ToTicks(options.Duration);
        var live = new LiveCounters();
        var workers = new Worker[concurrency];
        for (var i = 0; i < concurrency; i++)
        {
            var stream = new OrderStream(workload, OrderStream.WorkerSeed(options.Seed, level, i));
            workers[i] = new Worker(this, api, ledger, stream, live, measureStart, measureEnd);
        }

        var tasks = workers.Select(w => Task.Run(() => w.RunAsync(ct), CancellationToken.None)).ToList();
        AvailabilityProbe? probe = null;
        if (availabilityProbe)
        {
            probe = new AvailabilityProbe(api, workload, ProbeSeed(options.Seed, level), measureStart, measureEnd);
            tasks.Add(Task.Run(() => probe.RunAsync(ct), CancellationToken.None));
        }

        var (cpuStart, stoppedAt) = await MeasuredWindow.WatchAsync(
            options, concurrency, start, measureStart, measureEnd, cpu,
            () => Interlocked.Read(ref live.Completed), () => Interlocked.Read(ref live.Errors), "orders/s", ct);

        var cpuEnd = cpu.Take();
        await Task.WhenAll(tasks);
        ConsoleStatus.Line();
        if (cpuStart is null || stoppedAt <= measureStart)
            return null;

        var errors = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var (key, count) in workers.SelectMany(w => w.Errors))
            errors[key] = errors.GetValueOrDefault(key) + count;

        return new LevelResult(
            concurrency,
            Stopwatch.GetElapsedTime(measureStart, stoppedAt),
            LatencyRecorder.Summarize(workers.Select(w => w.Latencies)),
            errors,
            workers.Sum(w => w.BackorderedLines),
            workers.Sum(w => w.BackorderedUnits),
            workers.Sum(w => w.InconsistentLines),
            workers.Sum(w => w.Replays),
            cpu.Between(cpuStart, cpuEnd),
            probe?.Result());
    }

    /// <summary>Seed of a level's availability probe, apart from every order worker's seed.</summary>
    private static int ProbeSeed(int seed, int level) =>
        unchecked(OrderStream.WorkerSeed(seed, level, 0) ^ 0x0A7A_11AB);

    private string NextOrderId() => OrderStream.OrderId(options.RunId, Interlocked.Increment(ref sequence));

    private static long ToTicks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    private sealed class LiveCounters
    {
        public long Completed;
        public long Errors;
    }

    private sealed class Worker(
        ClosedLoopRunner runner, ApiClient api, AllocationLedger ledger, OrderStream stream, LiveCounters live, long measureStart, long measureEnd)
    {
        public LatencyRecorder Latencies { get; } = new();

        public Dictionary<string, long> Errors { get; } = new(StringComparer.Ordinal);

        public long BackorderedLines { get; private set; }

        public long BackorderedUnits { get; private set; }

        public long InconsistentLines { get; private set; }

        public long Replays { get; private set; }

        public async Task RunAsync(CancellationToken ct)
        {
            try
            {
                while (!ct.IsCancellationRequested && Stopwatch.GetTimestamp() < measureEnd)
                    await SendOneAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
            }
        }

        private async Task SendOneAsync(CancellationToken ct)
        {
            var order = stream.Next(runner.NextOrderId());
            ledger.Touch(order);

            var began = Stopwatch.GetTimestamp();
            OrderAttempt attempt;
            var replay = false;
            for (var n = 1; ; n++)
            {
                attempt = await api.PostOrderAsync(order.Body, ct);
                if (attempt.Acknowledged)
                {
                    replay = n == 1 && attempt.Status == 200; // the order id existed before this run
                    break;
                }

                CountError(attempt, Stopwatch.GetTimestamp());
                if (!attempt.Retriable || n == MaxAttempts)
                    return;
                await Task.Delay(RetryDelay * n, ct);
            }

            var ended = Stopwatch.GetTimestamp();
            runner.timeline?.Acknowledged(ended, ended - began);
            var tally = ledger.Record(order, attempt.Result!);
            Interlocked.Increment(ref live.Completed);
            if (ended < measureStart || ended > measureEnd)
                return;

            Latencies.Record(ended - began);
            BackorderedLines += tally.BackorderedLines;
            BackorderedUnits += tally.BackorderedUnits;
            InconsistentLines += tally.InconsistentLines;
            if (replay)
                Replays++;
        }

        private void CountError(OrderAttempt attempt, long at)
        {
            Interlocked.Increment(ref live.Errors);
            runner.timeline?.Failed(at, attempt);
            if (at >= measureStart && at <= measureEnd)
                Errors[attempt.ErrorKey] = Errors.GetValueOrDefault(attempt.ErrorKey) + 1;
        }
    }
}
