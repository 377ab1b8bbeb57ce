using Distribution.Benchmark.Erp;

namespace Distribution.Benchmark;

/// <summary>
/// The orders mode: closed-loop POST /v1/orders per concurrency level (with the availability
/// probe), then the oversell check over every SKU the orders touched. With --erp, the
/// <see cref="ErpComparison"/> ran before the hub was loaded; its figures are set beside the hub's.
/// </summary>
internal sealed class OrderBenchmark(ApiClient api, OrderWorkload workload, Options options, ErpComparison? erp) : IBenchmark
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
        erp?.PrintPlan();
    }

    public async Task<int> RunAsync(CancellationToken stopLoad)
    {
        if (erp is not null)
            Console.WriteLine("Hub run:");
        var ledger = new AllocationLedger(workload.Network, keepOrderIds: true);
        await using var timeline = OrderTimeline.StartIfAsked(options, api.BaseAddress);
        var runner = new ClosedLoopRunner(api, workload, ledger, new CpuMeter(options.ServerPids), options, options.AvailabilityProbe, timeline);
        var results = await runner.RunLevelsAsync(stopLoad);

        if (timeline is not null)
            await timeline.WriteAsync(options.TimelinePath!);

        var check = await new OversellChecker(api, workload.Network, ledger, options.SetupParallelism)
            .RunAsync(crossCheck: !options.SkipSeed, CancellationToken.None);
        check = check with { Orders = await new StoredOrderCheck(api, ledger, options.SetupParallelism).RunAsync(CancellationToken.None) };
        Report.PrintSummary(erp is null ? "Results" : "Hub results", options, options.ServerPids, results, check, ledger.UnknownWarehouseUnits);
        if (options.CsvPath is not null)
            Report.AppendCsv(options.CsvPath, options, options.BaseUrl.ToString(), results, check);

        if (erp is null)
            return ExitCode(check);
        ComparisonReport.Print(results, erp.Results);
        return Worse(ExitCode(check), erp.ExitCode);
    }

    /// <summary>1 when the check failed, 2 when it could not read everything, else 0.</summary>
    public static int ExitCode(OversellReport check) => !check.Passed ? 1 : check.SkusUnreadable > 0 ? 2 : 0;

    /// <summary>A failed check (1) outweighs an incomplete one (2).</summary>
    private static int Worse(int a, int b) => a == 1 || b == 1 ? 1 : Math.Max(a, b);
}
