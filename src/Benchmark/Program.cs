using Distribution.Benchmark;
using Distribution.Benchmark.Erp;

// Hidden sub-command: the ERP-centric comparison's HTTP service, started by --erp as a child process.
if (args is [ErpServer.Command, .. var serveArgs])
    return await ErpServer.RunAsync(serveArgs);

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

// First Ctrl+C stops the load (the end-of-run check still runs); a second one ends the process.
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
using var api = new ApiClient(options.BaseUrl, Math.Max(options.Concurrency.Max(), options.SetupParallelism) + 8, options.ApiKey);
var erp = options.ErpConnection is { } erpConnection ? new ErpComparison(workload, options, erpConnection) : null;
IBenchmark benchmark = options.Mode switch
{
    BenchmarkMode.Events => new EventBenchmark(api, workload, options),
    BenchmarkMode.Replenishment => new ReplenishmentBenchmark(api, network, options),
    _ => new OrderBenchmark(api, workload, options, erp),
};
benchmark.PrintPlan();

try
{
    Console.WriteLine($"Waiting for {api.BaseAddress}health/ready ...");
    if (!await api.WaitReadyAsync(options.ReadyTimeout, stopLoad.Token))
    {
        Console.Error.WriteLine($"error: not ready after {options.ReadyTimeout.TotalSeconds:F0} s");
        return 2;
    }

    // Before the hub is loaded, so it sits idle while the ERP-centric design runs.
    if (erp is not null)
        await erp.RunAsync(stopLoad.Token);

    if (options.SkipSeed)
    {
        Console.WriteLine("Seeding skipped (--skip-seed).");
    }
    else
    {
        Console.WriteLine("Seeding the network:");
        var seeded = await new NetworkSeeder(api, network, options.OnHand, options.SetupParallelism).SeedAsync(stopLoad.Token);
        Console.WriteLine($"  snapshot lines applied {seeded.Applied:N0}, stale {seeded.Stale:N0}");
        if (options.HubDatabase is { } hubDatabase)
            await HubDatabase.SettleAsync(hubDatabase, stopLoad.Token);
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

return await benchmark.RunAsync(stopLoad.Token);
