namespace Distribution.Benchmark;

/// <summary>
/// The events mode: per concurrency level, read the sample's on-hand and scrape /metrics, run the
/// closed loop of POST /v1/events, then wait for the journal to drain, check exactly-once on the
/// sample and scrape again for the level's apply lag. Checking per level keeps each level's lag
/// its own (its events are applied before the next level starts).
/// </summary>
internal sealed class EventBenchmark(ApiClient api, OrderWorkload workload, Options options) : IBenchmark
{
    public void PrintPlan()
    {
        Console.WriteLine($"Event-ingest benchmark -> {api.BaseAddress}  run id {options.RunId}, seed {options.Seed}, {Environment.ProcessorCount} cores");
        Console.WriteLine($"  network: {options.Warehouses} warehouses x {options.Skus:N0} SKUs, on hand {options.OnHand:N0} per SKU-location");
        Console.WriteLine($"  batches: {options.BatchSize} events for one warehouse (uniform), Zipf({OrderWorkload.ZipfExponent}) SKUs "
            + $"(top SKU p={workload.Popularity.Probability(0):P1}), {1 - EventStream.AdjustedShare:P0} Received qty 1-5, "
            + $"{EventStream.AdjustedShare:P0} Adjusted -1 DAMAGE / +1 FOUND; concurrency {string.Join(',', options.Concurrency)}, "
            + $"{options.Warmup.TotalSeconds:F0} s warm-up + {options.Duration.TotalSeconds:F0} s per level");
        Console.WriteLine($"  exactly-once sample: {new EventLedger(options.Warehouses, options.Skus).Count} SKU-locations, the hottest SKUs "
            + $"rank by rank across the {options.Warehouses} warehouses; on-hand read before and after each level");
    }

    public async Task<int> RunAsync(CancellationToken stopLoad)
    {
        var runner = new EventLoopRunner(api, workload, new CpuMeter(options.ServerPids), options);
        var checker = new ExactlyOnceChecker(api, workload, options.SetupParallelism);
        var results = new List<EventLevelResult>();
        var checks = new List<ExactlyOnceReport>();
        for (var level = 0; level < options.Concurrency.Count && !stopLoad.IsCancellationRequested; level++)
        {
            var concurrency = options.Concurrency[level];
            var ledger = new EventLedger(options.Warehouses, options.Skus);
            StockBaseline baseline;
            string? metricsBefore;
            try
            {
                baseline = await checker.ReadBaselineAsync(ledger, stopLoad);
                metricsBefore = await api.GetMetricsTextAsync(stopLoad);
            }
            catch (OperationCanceledException) when (stopLoad.IsCancellationRequested)
            {
                break;
            }

            if (!baseline.Settled)
                Console.WriteLine($"WARNING: c={concurrency}: the sample's on-hand kept moving for {ExactlyOnceChecker.SettleTimeout.TotalSeconds:F0} s before the level; something else is posting events.");

            var result = await runner.RunLevelAsync(level, concurrency, ledger, stopLoad);
            var check = await checker.CheckAsync(baseline, ledger, CancellationToken.None);
            var metricsAfter = await api.GetMetricsTextAsync(CancellationToken.None);
            var (lag, lagMissing) = LagBetween(metricsBefore, metricsAfter);
            checks.Add(check);
            if (result is not null)
            {
                results.Add(result with { Lag = lag, Check = check });
                Console.WriteLine(EventReport.Header(options.ServerPids));
                Console.WriteLine(EventReport.Row(results[^1]));
            }

            Console.WriteLine($"  c={concurrency} " + EventReport.LagLine(lag, lagMissing));
            Console.WriteLine($"  c={concurrency} " + EventReport.CheckLine(check));
        }

        EventReport.PrintSummary(options, results, checks);
        if (options.CsvPath is not null)
            EventReport.AppendCsv(options.CsvPath, options, results);

        // A reused --run-id voids the check (resends cannot tell their own earlier attempt from that
        // run's): a usage error rather than a verdict on the server.
        if (checks.Any(c => c.ReusedIds > 0))
            return 2;
        if (checks.Any(c => !c.Passed))
            return 1;
        return checks.Count == 0 || checks.Any(c => !c.Trustworthy) ? 2 : 0;
    }

    /// <summary>The level's apply lag from two scrapes of GET /metrics, or why there is none.</summary>
    private static (ApplyLagSummary? Lag, string? Missing) LagBetween(string? before, string? after)
    {
        if (before is null || after is null)
            return (null, "GET /metrics unreadable");
        var histogram = ApplyLag.Parse(after);
        if (histogram.IsEmpty)
            return (null, "no distribution_events_apply_lag_seconds histogram in GET /metrics");
        return ApplyLag.Between(ApplyLag.Parse(before), histogram) is { } lag
            ? (lag, null)
            : (null, "no event applied during the level, or the histogram went back: server restarted?");
    }
}
