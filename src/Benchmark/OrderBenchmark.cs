namespace Distribution.Benchmark;

/// <summary>
/// The orders mode: closed-loop POST /v1/orders per concurrency level (with the availability
/// probe), then the oversell check over every SKU the orders touched.
/// </summary>
internal sealed class OrderBenchmark(ApiClient api, OrderWorkload workload, Options options) : IBenchmark
{
    public void PrintPlan()
    {
        Console.WriteLine($"Allocation benchmark -> {api.BaseAddress}  run id {options.RunId}, seed {options.Seed}, {Environment.ProcessorCount} cores");
        Console.WriteLine($"  network: {options.Warehouses} warehouses x {options.Skus:N0} SKUs, on hand {options.OnHand:N0} per SKU-location ({(options.Scarce ? "scarce" : "ample")} stock)");
        Console.WriteLine($"  orders: 1-5 lines, Zipf({OrderWorkload.ZipfExponent}) SKUs (top SKU p={workload.Popularity.Probability(0):P1}), qty 1-3; "
            + $"concurrency {string.Join(',', options.Concurrency)}, {options.Warmup.TotalSeconds:F0} s warm-up + {options.Duration.TotalSeconds:F0} s per level");
        Console.WriteLine(options.AvailabilityProbe
            ? $"  availability probe: +1 client in the measured windows, GET /v1/availability/{{sku}} alternating with POST /v1/availability/query ({AvailabilityProbe.QuerySize} SKUs)"
            : "  availability probe: off (--no-availability-probe)");
    }

    public async Task<int> RunAsync(CancellationToken stopLoad)
    {
        var ledger = new AllocationLedger(workload.Network);
        await using var timeline = OrderTimeline.StartIfAsked(options, api.BaseAddress);
        var runner = new ClosedLoopRunner(api, workload, ledger, new CpuMeter(options.ServerPids), options, timeline);
        var results = new List<LevelResult>();
        for (var level = 0; level < options.Concurrency.Count && !stopLoad.IsCancellationRequested; level++)
        {
            var result = await runner.RunLevelAsync(level, options.Concurrency[level], stopLoad);
            if (result is null)
                break;
            results.Add(result);
            Console.WriteLine(Report.Header(options.ServerPids));
            Console.WriteLine(Report.Row(result));
            if (Report.ProbeLine(result) is { } probeLine)
                Console.WriteLine(probeLine);
        }

        if (timeline is not null)
            await timeline.WriteAsync(options.TimelinePath!);

        var check = await new OversellChecker(api, workload.Network, ledger, options.SetupParallelism)
            .RunAsync(crossCheck: !options.SkipSeed, CancellationToken.None);
        Report.PrintSummary(options, results, check, ledger.UnknownWarehouseUnits);
        if (options.CsvPath is not null)
            Report.AppendCsv(options.CsvPath, options, results, check);

        return !check.Passed ? 1 : check.SkusUnreadable > 0 ? 2 : 0;
    }
}
