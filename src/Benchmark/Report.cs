using System.Globalization;
using System.Text;

namespace Distribution.Benchmark;

/// <summary>The result table on the console and the CSV rows.</summary>
internal static class Report
{
    public static string Header(IReadOnlyList<int> serverPids)
    {
        var header = new StringBuilder(
            $"{"conc",5} {"orders",9} {"orders/s",9} {"p50 ms",8} {"p95 ms",8} {"p99 ms",8} {"max ms",8} {"bo lines",9} {"cpu bench",9} {"cpu host",9}");
        foreach (var pid in serverPids)
            header.Append(CultureInfo.InvariantCulture, $" {"cpu " + pid,11}");
        return header.Append(CultureInfo.InvariantCulture,
            $"  {"errors",-6} {"avail p50 ms",12} {"avail p99 ms",12} {"query100 p50 ms",15} {"query100 p99 ms",15}").ToString();
    }

    public static string Row(LevelResult r)
    {
        var l = r.Latency;
        var row = new StringBuilder().Append(CultureInfo.InvariantCulture,
            $"{r.Concurrency,5} {r.Orders,9:N0} {r.OrdersPerSecond,9:N0} {l.P50,8:F1} {l.P95,8:F1} {l.P99,8:F1} {l.Max,8:F1} {r.BackorderedLines,9:N0} {Percent(r.Cpu.BenchmarkPercent),9} {Percent(r.Cpu.HostPercent),9}");
        foreach (var (_, percent) in r.Cpu.Servers)
            row.Append(CultureInfo.InvariantCulture, $" {Percent(percent),11}");
        var errors = r.ErrorCount.ToString("N0", CultureInfo.InvariantCulture);
        if (r.ErrorCount > 0)
            errors += " (" + ErrorDetail(r, " ") + ")";
        var p = r.Probe;
        row.Append("  ").Append(CultureInfo.InvariantCulture,
            $"{errors,-6} {Millis(p?.Availability),12} {Millis(p?.Availability, 99),12} {Millis(p?.Query100),15} {Millis(p?.Query100, 99),15}");
        return row.ToString();
    }

    /// <summary>A line on the availability probe of <paramref name="r"/>, or null when it did not run.</summary>
    public static string? ProbeLine(LevelResult r)
    {
        if (r.Probe is not { } p)
            return null;
        var line = $"  availability probe c={r.Concurrency}: {p.Availability.Count:N0} GET, {p.Query100.Count:N0} query100 answered; errors {p.ErrorCount:N0}";
        return p.ErrorCount > 0 ? line + " (" + string.Join(' ', p.Errors.Select(e => $"{e.Key}:{e.Value}")) + ")" : line;
    }

    /// <param name="title">What ran, e.g. "Results" or "ERP-centric results".</param>
    /// <param name="serverPids">The pids whose CPU the rows report.</param>
    public static void PrintSummary(
        string title, Options options, IReadOnlyList<int> serverPids, IReadOnlyList<LevelResult> results, OversellReport check, long unknownWarehouseUnits)
    {
        Console.WriteLine();
        Console.WriteLine($"{title} (run {options.RunId}, {(options.Scarce ? "scarce stock" : "ample stock")}, "
            + $"{options.Duration.TotalSeconds:F0} s measured per level after {options.Warmup.TotalSeconds:F0} s warm-up; cpu in % of one core, {Environment.ProcessorCount} cores):");
        Console.WriteLine(Header(serverPids));
        foreach (var r in results)
            Console.WriteLine(Row(r));
        foreach (var line in results.Select(ProbeLine).OfType<string>())
            Console.WriteLine(line);
        foreach (var r in results.Where(r => r.Measured < options.Duration * 0.99))
            Console.WriteLine($"NOTE: level c={r.Concurrency} was stopped after {r.Measured.TotalSeconds:F1} s of measurement.");

        var backorderedLines = results.Sum(r => r.BackorderedLines);
        var inconsistent = results.Sum(r => r.InconsistentLines);
        var replays = results.Sum(r => r.Replays);
        Console.WriteLine($"backordered (measured windows): {backorderedLines:N0} lines, {results.Sum(r => r.BackorderedUnits):N0} units");
        if (options.Scarce && backorderedLines == 0)
            Console.WriteLine("WARNING: scarce-stock run without a single backorder: the stock was never exhausted.");
        if (inconsistent > 0)
            Console.WriteLine($"WARNING: {inconsistent:N0} response lines did not match their order (missing/unknown line, or allocated + backordered != quantity).");
        if (replays > 0)
            Console.WriteLine($"WARNING: {replays:N0} first attempts answered 200 (replay): order ids of an earlier run were reused; pass a fresh --run-id.");
        if (unknownWarehouseUnits > 0)
            Console.WriteLine($"WARNING: {unknownWarehouseUnits:N0} units were allocated at warehouses outside the benchmark network.");

        Console.WriteLine();
        Console.WriteLine($"Oversell check over {check.SkusChecked:N0} SKUs touched by orders:");
        if (check.SkusUnreadable > 0)
            Console.WriteLine($"  ERROR: availability unreadable for {check.SkusUnreadable:N0} SKUs (first: {check.FirstFailure})");
        Console.WriteLine(check.CrossChecked
            ? $"  SKU-locations oversold (reserved or acknowledged > on hand): {check.OversoldLocations:N0}"
            : $"  SKU-locations oversold (reserved > on hand): {check.OversoldLocations:N0}");
        if (check.CrossChecked)
        {
            Console.WriteLine("  cross-check with the acknowledged responses (the network was seeded by this run):");
            Console.WriteLine($"    {check.AcknowledgedUnits:N0} units acknowledged; {check.AcknowledgedNotReserved:N0} acknowledged but not reserved (must be 0); "
                + $"{check.ReservedNotAcknowledged:N0} reserved without acknowledgement (failed requests that landed, or earlier runs)");
        }
        else
        {
            Console.WriteLine("  cross-check with the acknowledged responses skipped: --skip-seed, the network may hold reservations of earlier runs");
        }

        foreach (var example in check.Examples)
            Console.WriteLine("    " + example);
        if (check.View is { } view)
        {
            Console.WriteLine(view.UnitsStillBehind == 0
                ? $"  availability views: {view.UnitsBehind:N0} acknowledged unit(s) held by their SKU-locations were missing from the view at the first reading; every view caught up within {view.Waited.TotalSeconds:0} s"
                : $"  availability views: {view.UnitsStillBehind:N0} of {view.UnitsBehind:N0} acknowledged unit(s) held by their SKU-locations still missing from the view after {view.Waited.TotalSeconds:0} s (must be 0)");
        }
        if (check.Orders is { } orders)
            Console.WriteLine($"  acknowledged orders stored: {orders.Acknowledged - orders.Missing:N0} of {orders.Acknowledged:N0}; missing {orders.Missing:N0} (must be 0)");
        Console.WriteLine(check.SkusUnreadable > 0
            ? $"oversold units: {check.OversoldUnits} (unverified: {check.SkusUnreadable:N0} SKUs unreadable)"
            : $"oversold units: {check.OversoldUnits}");
    }

    /// <summary>Appends one row per level to <paramref name="path"/>, with a header when the file is new or empty.</summary>
    /// <param name="target">The url column: the system under test.</param>
    public static void AppendCsv(string path, Options options, string target, IReadOnlyList<LevelResult> results, OversellReport check)
    {
        var csv = new StringBuilder();
        if (!File.Exists(path) || new FileInfo(path).Length == 0)
        {
            csv.AppendLine("timestamp_utc,run_id,url,stock,warehouses,skus,on_hand,concurrency,warmup_s,duration_s,orders,orders_per_s,"
                + "p50_ms,p95_ms,p99_ms,max_ms,mean_ms,errors,error_detail,backordered_lines,backordered_units,"
                + "cpu_bench_pct,cpu_host_pct,cpu_servers_pct,oversold_units,acknowledged_not_reserved,"
                + "avail_p50_ms,avail_p99_ms,query100_p50_ms,query100_p99_ms");
        }

        var now = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        foreach (var r in results)
        {
            var servers = string.Join(';', r.Cpu.Servers.Select(s => $"{s.Pid}:{Number(s.Percent)}"));
            csv.AppendLine(CultureInfo.InvariantCulture,
                $"{now},{options.RunId},{target},{(options.Scarce ? "scarce" : "ample")},{options.Warehouses},{options.Skus},{options.OnHand},"
                + $"{r.Concurrency},{Number(options.Warmup.TotalSeconds)},{Number(r.Measured.TotalSeconds)},{r.Orders},{Number(r.OrdersPerSecond)},"
                + $"{Number(r.Latency.P50)},{Number(r.Latency.P95)},{Number(r.Latency.P99)},{Number(r.Latency.Max)},{Number(r.Latency.Mean)},"
                + $"{r.ErrorCount},{ErrorDetail(r, ";")},{r.BackorderedLines},{r.BackorderedUnits},"
                + $"{Number(r.Cpu.BenchmarkPercent)},{Number(r.Cpu.HostPercent)},{servers},{check.OversoldUnits},{(check.CrossChecked ? check.AcknowledgedNotReserved.ToString(CultureInfo.InvariantCulture) : "")},"
                + $"{Number(Ms(r.Probe?.Availability))},{Number(Ms(r.Probe?.Availability, 99))},{Number(Ms(r.Probe?.Query100))},{Number(Ms(r.Probe?.Query100, 99))}");
        }

        File.AppendAllText(path, csv.ToString());
    }

    private static string ErrorDetail(LevelResult r, string separator) =>
        string.Join(separator, r.Errors.Select(e => $"{e.Key}:{e.Value}"));

    /// <summary>p50 (or p99) of a probe series; null when the probe was off or got no answer.</summary>
    private static double? Ms(LatencySummary? latency, int percentile = 50) =>
        latency is { Count: > 0 } l ? (percentile == 99 ? l.P99 : l.P50) : null;

    private static string Millis(LatencySummary? latency, int percentile = 50) =>
        Ms(latency, percentile) is { } v ? v.ToString("F1", CultureInfo.InvariantCulture) : "n/a";

    private static string Percent(double? value) => value is { } v ? v.ToString("F0", CultureInfo.InvariantCulture) + "%" : "n/a";

    private static string Number(double? value) => value is { } v ? v.ToString("0.###", CultureInfo.InvariantCulture) : "";
}
