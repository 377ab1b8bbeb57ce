using System.Collections.Concurrent;
using System.Diagnostics;

namespace Distribution.Benchmark;

/// <summary>Figures of one events-mode concurrency level; the apply lag and the check are added after it drained.</summary>
internal sealed record EventLevelResult(
    int Concurrency,
    TimeSpan Measured,
    LatencySummary Latency,
    long AcceptedEvents,
    long RejectedEvents,
    long ReplayedEvents,
    IReadOnlyDictionary<string, long> Errors,
    long ThrottledAttempts,
    int ParkedBatches,
    int UnresolvedBatches,
    string? FirstRejection,
    CpuUsage Cpu)
{
    public long Batches => Latency.Count;

    public double EventsPerSecond => AcceptedEvents / Measured.TotalSeconds;

    public long ErrorCount => Errors.Values.Sum();

    public ApplyLagSummary? Lag { get; init; }

    public ExactlyOnceReport? Check { get; init; }
}

/// <summary>
/// Closed loop for the events mode: C workers, each posting its next batch as soon as the previous
/// one was answered. Timing as in <see cref="ClosedLoopRunner"/>: a batch counts in the measured
/// window when its answer arrives inside it, its latency runs from the first attempt to the answer,
/// every failed attempt is an error. A batch that may have landed unanswered (503, timeout, ...) is
/// resent as it is, same event ids; one still unanswered after <see cref="MaxAttempts"/> (or cut
/// off by Ctrl+C) is parked and resent after the level, so the exactly-once check knows its fate.
/// </summary>
internal sealed class EventLoopRunner(ApiClient api, OrderWorkload workload, CpuMeter cpu, Options options)
{
    private const int MaxAttempts = 3;
    private const int ResolveAttempts = 10;
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(50);

    private readonly ConcurrentQueue<PlannedBatch> parked = new();
    private long sequence;

    /// <summary>Runs one level, its events booked in <paramref name="ledger"/>; null when cancelled before its measured window began.</summary>
    public async Task<EventLevelResult?> RunLevelAsync(int level, int concurrency, EventLedger ledger, CancellationToken ct)
    {
        var start = Stopwatch.GetTimestamp();
        var measureStart = start + ToTicks(options.Warmup);
        var measureEnd = measureStart + ToTicks(options.Duration);
        var live = new LiveCounters();
        var workers = new Worker[concurrency];
        for (var i = 0; i < concurrency; i++)
        {
            var stream = new EventStream(workload, options.BatchSize, EventStream.WorkerSeed(options.Seed, level, i));
            workers[i] = new Worker(this, api, stream, ledger, live, measureStart, measureEnd);
        }

        var tasks = workers.Select(w => Task.Run(() => w.RunAsync(ct), CancellationToken.None)).ToList();
        var (cpuStart, stoppedAt) = await MeasuredWindow.WatchAsync(
            options, concurrency, start, measureStart, measureEnd, cpu,
            () => Interlocked.Read(ref live.Accepted), () => Interlocked.Read(ref live.Errors), "events/s", ct);

        var cpuEnd = cpu.Take();
        await Task.WhenAll(tasks);
        ConsoleStatus.Line();
        var (resent, unresolved) = await ResolveParkedAsync(ledger);
        if (cpuStart is null || stoppedAt <= measureStart)
            return null;

        var errors = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var (key, count) in workers.SelectMany(w => w.Errors))
            errors[key] = errors.GetValueOrDefault(key) + count;

        return new EventLevelResult(
            concurrency,
            Stopwatch.GetElapsedTime(measureStart, stoppedAt),
            LatencyRecorder.Summarize(workers.Select(w => w.Latencies)),
            workers.Sum(w => w.Accepted),
            workers.Sum(w => w.Rejected),
            workers.Sum(w => w.Replayed),
            errors,
            workers.Sum(w => w.Throttled),
            resent,
            unresolved,
            workers.Select(w => w.FirstRejection).FirstOrDefault(r => r is not null),
            cpu.Between(cpuStart, cpuEnd));
    }

    /// <summary>
    /// Resends the parked batches (outside any window, not cancellable: the check needs their
    /// verdicts); the ones that stay unanswered make their SKU-locations uncertain.
    /// </summary>
    private async Task<(int Resent, int Unresolved)> ResolveParkedAsync(EventLedger ledger)
    {
        var batches = new List<PlannedBatch>();
        while (parked.TryDequeue(out var batch))
            batches.Add(batch);
        if (batches.Count == 0)
            return (0, 0);

        var unresolved = 0;
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = options.SetupParallelism }, async (batch, _) =>
        {
            for (var n = 1; n <= ResolveAttempts; n++)
            {
                var attempt = await api.PostEventsAsync(batch.Body, CancellationToken.None);
                if (attempt.Answered)
                {
                    ledger.Record(batch, attempt.Result!, resent: true);
                    return;
                }

                if (!attempt.MayHaveLanded && !attempt.Throttled)
                    return;
                await Task.Delay(attempt.Throttled ? EventAttempt.ThrottleWait : TimeSpan.FromMilliseconds(200 * n), CancellationToken.None);
            }

            Interlocked.Increment(ref unresolved);
            ledger.MarkUncertain(batch);
        });
        ConsoleStatus.Line($"  resent {batches.Count:N0} unanswered batches after the level; {unresolved:N0} still unanswered");
        return (batches.Count, unresolved);
    }

    private string NextBatchId() => EventStream.BatchId(options.RunId, Interlocked.Increment(ref sequence));

    private static long ToTicks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    private sealed class LiveCounters
    {
        public long Accepted;
        public long Errors;
    }

    private sealed class Worker(
        EventLoopRunner runner, ApiClient api, EventStream stream, EventLedger ledger, LiveCounters live, long measureStart, long measureEnd)
    {
        public LatencyRecorder Latencies { get; } = new();

        public Dictionary<string, long> Errors { get; } = new(StringComparer.Ordinal);

        public long Accepted { get; private set; }

        public long Rejected { get; private set; }

        public long Replayed { get; private set; }

        /// <summary>Attempts answered 429 (the hub pushing back) in the measured window; not errors.</summary>
        public long Throttled { get; private set; }

        public string? FirstRejection { get; private set; }

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
            var batch = stream.Next(runner.NextBatchId());
            var began = Stopwatch.GetTimestamp();
            EventAttempt attempt;
            var n = 1;
            try
            {
                for (; ; n++)
                {
                    attempt = await api.PostEventsAsync(batch.Body, ct);
                    if (attempt.Answered)
                        break;

                    if (attempt.Throttled)
                    {
                        // Nothing of the batch was taken: wait as told and send it again (not an attempt spent).
                        var at = Stopwatch.GetTimestamp();
                        if (at >= measureStart && at <= measureEnd)
                            Throttled++;
                        n--;
                        await Task.Delay(EventAttempt.ThrottleWait, ct);
                        continue;
                    }

                    CountError(attempt, Stopwatch.GetTimestamp());
                    if (!attempt.MayHaveLanded)
                        return;
                    if (n == MaxAttempts)
                    {
                        runner.parked.Enqueue(batch);
                        return;
                    }

                    await Task.Delay(RetryDelay * n, ct);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                runner.parked.Enqueue(batch); // cut off in flight: it may have landed
                throw;
            }

            var ended = Stopwatch.GetTimestamp();
            var tally = ledger.Record(batch, attempt.Result!, resent: n > 1);
            Interlocked.Add(ref live.Accepted, tally.Accepted);
            if (ended < measureStart || ended > measureEnd)
                return;

            Latencies.Record(ended - began);
            Accepted += tally.Accepted;
            Rejected += tally.Rejected;
            Replayed += tally.Replayed;
            FirstRejection ??= tally.FirstRejection;
        }

        private void CountError(EventAttempt attempt, long at)
        {
            Interlocked.Increment(ref live.Errors);
            if (at >= measureStart && at <= measureEnd)
                Errors[attempt.ErrorKey] = Errors.GetValueOrDefault(attempt.ErrorKey) + 1;
        }
    }
}
