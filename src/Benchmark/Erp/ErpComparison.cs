using Npgsql;

namespace Distribution.Benchmark.Erp;

/// <summary>
/// The ERP-centric comparison run of --erp: its tables recreated and loaded from the same network
/// and on-hand, the <see cref="ErpService"/> started, then the same closed loop as the hub's (same
/// seed, so the same order streams, same levels, warm-up and duration; no availability probe), the
/// service stopped and <see cref="ErpStockCheck"/> run. It runs before the hub is loaded, so the hub
/// sits idle meanwhile; <see cref="ComparisonReport"/> sets its figures beside the hub's afterwards.
/// </summary>
internal sealed class ErpComparison(OrderWorkload workload, Options options, string connectionString)
{
    /// <summary>The url column of the ERP run's CSV rows.</summary>
    public const string CsvTarget = "erp-centric";

    public IReadOnlyList<LevelResult> Results { get; private set; } = [];

    /// <summary>0, 1 (oversell, or acknowledged allocations or orders missing) or 2 (the check could not run), as the hub run's.</summary>
    public int ExitCode { get; private set; } = 2;

    public void PrintPlan()
    {
        var target = new NpgsqlConnectionStringBuilder(connectionString);
        Console.WriteLine($"  comparison (--erp): the ERP-centric design first, over PostgreSQL {target.Host}:{target.Port}/{target.Database} "
            + "(its erp_* tables recreated), same orders and levels, no availability probe; then the hub");
    }

    /// <exception cref="SetupException">The tables could not be loaded or the service did not start.</exception>
    public async Task RunAsync(CancellationToken stopLoad)
    {
        Console.WriteLine("ERP-centric comparison run (the hub is not loaded yet and stays idle):");
        var network = workload.Network;
        await using var db = NpgsqlDataSource.Create(connectionString);
        try
        {
            await ErpSchema.CreateAndLoadAsync(db, network, options.OnHand, stopLoad);
        }
        catch (NpgsqlException e)
        {
            throw new SetupException($"ERP-centric tables: {e.Message}");
        }

        var ledger = new AllocationLedger(network, keepOrderIds: true);
        CpuMeter cpu;
        await using (var service = await ErpService.StartAsync(connectionString, options.ReadyTimeout, stopLoad))
        {
            using var api = new ApiClient(service.BaseUrl, Math.Max(options.Concurrency.Max(), options.SetupParallelism) + 8);
            Console.WriteLine($"  ERP-centric service: pid {service.Pid}, {service.BaseUrl}");
            if (!await api.WaitReadyAsync(options.ReadyTimeout, stopLoad))
                throw new SetupException($"the ERP-centric service was not ready after {options.ReadyTimeout.TotalSeconds:F0} s");

            cpu = new CpuMeter([service.Pid, .. options.ServerPids]);
            Results = await new ClosedLoopRunner(api, workload, ledger, cpu, options, availabilityProbe: false).RunLevelsAsync(stopLoad);
        }

        // The service has stopped: the check reads a quiet database, and the hub runs alone.
        OversellReport check;
        try
        {
            check = await ErpStockCheck.RunAsync(db, network, ledger, CancellationToken.None);
        }
        catch (NpgsqlException e)
        {
            Console.Error.WriteLine($"error: the ERP-centric check could not run: {e.Message}");
            return;
        }

        Report.PrintSummary("ERP-centric results", options, cpu.ServerPids, Results, check, ledger.UnknownWarehouseUnits);
        if (options.CsvPath is not null)
            Report.AppendCsv(options.CsvPath, options, CsvTarget, Results, check);
        ExitCode = OrderBenchmark.ExitCode(check);
        Console.WriteLine();
    }
}
