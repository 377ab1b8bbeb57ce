using Distribution.Benchmark;

Options? options;
try
{
    options = Options.Parse(args);
}
catch (OptionsException e)
{
    Console.Error.WriteLine($"error: {e.Message}\n\n{Options.Usage}");
    return 2;
}

if (options is null)
{
    Console.WriteLine(Options.Usage);
    return 0;
}

// First Ctrl+C stops the load (the oversell check still runs); a second one ends the process.
using var stopLoad = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    if (stopLoad.IsCancellationRequested)
        return;
    e.Cancel = true;
    stopLoad.Cancel();
};

var network = Network.Create(options.Warehouses, options.Skus, options.Seed);
var workload = new OrderWorkload(network, options.Seed);
var ledger = new AllocationLedger(network);
using var api = new ApiClient(options.BaseUrl, Math.Max(options.Concurrency.Max(), options.SetupParallelism) + 8);
Console.WriteLine($"Allocation benchmark -> {api.BaseAddress}  run id {options.RunId}, seed {options.Seed}, {Environment.ProcessorCount} cores");
Console.WriteLine($"  network: {options.Warehouses} warehouses x {options.Skus:N0} SKUs, on hand {options.OnHand:N0} per SKU-location ({(options.Scarce ? "scarce" : "ample")} stock)");
Console.WriteLine($"  orders: 1-5 lines, Zipf({OrderWorkload.ZipfExponent}) SKUs (top SKU p={workload.Popularity.Probability(0):P1}), qty 1-3; "
    + $"concurrency {string.Join(',', options.Concurrency)}, {options.Warmup.TotalSeconds:F0} s warm-up + {options.Duration.TotalSeconds:F0} s per level");
Console.WriteLine(options.AvailabilityProbe
    ? $"  availability probe: +1 client in the measured windows, GET /v1/availability/{{sku}} alternating with POST /v1/availability/query ({AvailabilityProbe.QuerySize} SKUs)"
    : "  availability probe: off (--no-availability-probe)");

try
{
    Console.WriteLine($"Waiting for {api.BaseAddress}health/ready ...");
    if (!await api.WaitReadyAsync(options.ReadyTimeout, stopLoad.Token))
    {
        Console.Error.WriteLine($"error: not ready after {options.ReadyTimeout.TotalSeconds:F0} s");
        return 2;
    }

    if (options.SkipSeed)
    {
        Console.WriteLine("Seeding skipped (--skip-seed).");
    }
    else
    {
        Console.WriteLine("Seeding the network:");
        var seeded = await new NetworkSeeder(api, network, options.OnHand, options.SetupParallelism).SeedAsync(stopLoad.Token);
        Console.WriteLine($"  snapshot lines applied {seeded.Applied:N0}, stale {seeded.Stale:N0}");
    }
}
catch (SetupException e)
{
    Console.Error.WriteLine($"error during setup: {e.Message}");
    return 2;
}
catch (OperationCanceledException) when (stopLoad.IsCancellationRequested)
{
    Console.Error.WriteLine("cancelled during setup");
    return 2;
}

var runner = new ClosedLoopRunner(api, workload, ledger, new CpuMeter(options.ServerPids), options);
var results = new List<LevelResult>();
for (var level = 0; level < options.Concurrency.Count && !stopLoad.IsCancellationRequested; level++)
{
    var result = await runner.RunLevelAsync(level, options.Concurrency[level], stopLoad.Token);
    if (result is null)
        break;
    results.Add(result);
    Console.WriteLine(Report.Header(options.ServerPids));
    Console.WriteLine(Report.Row(result));
    if (Report.ProbeLine(result) is { } probeLine)
        Console.WriteLine(probeLine);
}

var check = await new OversellChecker(api, network, ledger, options.SetupParallelism)
    .RunAsync(crossCheck: !options.SkipSeed, CancellationToken.None);
Report.PrintSummary(options, results, check, ledger.UnknownWarehouseUnits);
if (options.CsvPath is not null)
    Report.AppendCsv(options.CsvPath, options, results, check);

return !check.Passed ? 1 : check.SkusUnreadable > 0 ? 2 : 0;
