using System.Globalization;
using System.Text;

namespace Distribution.Benchmark;

/// <summary>The events-mode result table on the console and its CSV rows.</summary>
internal static class EventReport
{
    private const string CsvHeader =
        "timestamp_utc,mode,run_id,url,warehouses,skus,on_hand,batch_size,concurrency,warmup_s,duration_s,batches,events,events_per_s,"
        + "p50_ms,p95_ms,p99_ms,max_ms,mean_ms,errors,error_detail,throttled,rejected,replayed,parked_batches,unresolved_batches,"
        + "apply_lag_events,apply_lag_p50_ms,apply_lag_p99_ms,cpu_bench_pct,cpu_host_pct,cpu_servers_pct,"
        + "exactly_once_checked,exactly_once_mismatches,exactly_once_unreadable,exactly_once_uncertain";

    public static string Header(IReadOnlyList<int> serverPids)
    {
        var header = new StringBuilder(
            $"{"conc",5} {"batches",9} {"events/s",10} {"p50 ms",8} {"p95 ms",8} {"p99 ms",8} {"max ms",8} {"rejected",9} {"throttled",9} {"lag p50 ms",10} {"lag p99 ms",10} {"cpu bench",9} {"cpu host",9}");
        foreach (var pid in serverPids)
            header.Append(CultureInfo.InvariantCulture, $" {"cpu " + pid,11}");
        return header.Append("  errors").ToString();
    }

    public static string Row(EventLevelResult r)
    {
        var l = r.Latency;
        var row = new StringBuilder().Append(CultureInfo.InvariantCulture,
            $"{r.Concurrency,5} {r.Batches,9:N0} {r.EventsPerSecond,10:N0} {l.P50,8:F1} {l.P95,8:F1} {l.P99,8:F1} {l.Max,8:F1} {r.RejectedEvents,9:N0} {r.ThrottledAttempts,9:N0} "
            + $"{r.Lag?.P50.Milliseconds() ?? "n/a",10} {r.Lag?.P99.Milliseconds() ?? "n/a",10} {Percent(r.Cpu.BenchmarkPercent),9} {Percent(r.Cpu.HostPercent),9}");
        foreach (var (_, percent) in r.Cpu.Servers)
            row.Append(CultureInfo.InvariantCulture, $" {Percent(percent),11}");
        row.Append("  ").Append(r.ErrorCount.ToString("N0", CultureInfo.InvariantCulture));
        if (r.ErrorCount > 0)
            row.Append(" (").Append(ErrorDetail(r, " ")).Append(')');
        return row.ToString();
    }

    /// <summary>The apply lag of one level, or why it is not known.</summary>
    public static string LagLine(ApplyLagSummary? lag, string? missing) => lag is null
        ? $"apply lag: n/a ({missing})"
        : $"apply lag: p50 {lag.P50.Milliseconds()} ms, p99 {lag.P99.Milliseconds()} ms over {lag.Count:N0} events applied "
            + "(interpolated inside the server's histogram buckets; '>' = beyond the last bound)";

    public static string CheckLine(ExactlyOnceReport c)
    {
        var line = new StringBuilder($"exactly-once check: {c.Checked:N0} SKU-locations, {c.Mismatches:N0} mismatches");
        if (c.Unreadable > 0)
            line.Append(CultureInfo.InvariantCulture, $"; {c.Unreadable:N0} unreadable (first: {c.FirstFailure})");
        if (c.ReusedIds > 0)
            line.Append(CultureInfo.InvariantCulture, $"; NOT CONCLUSIVE: {c.ReusedIds:N0} event ids of an earlier run (reused --run-id)");
        if (c.Uncertain > 0)
            line.Append(CultureInfo.InvariantCulture, $"; {c.Uncertain:N0} not checked (touched by a batch that was never answered)");
        if (c.Settled)
            line.Append(CultureInfo.InvariantCulture, $" (journal drained after {c.Waited.TotalSeconds:F1} s)");
        else
            line.Append(CultureInfo.InvariantCulture, $" (on-hand not settled at the expected values; gave up after {c.Waited.TotalSeconds:F0} s)");
        foreach (var example in c.Examples)
            line.Append("\n    ").Append(example);
        return line.ToString();
    }

    public static void PrintSummary(Options options, IReadOnlyList<EventLevelResult> results, IReadOnlyList<ExactlyOnceReport> checks)
    {
        Console.WriteLine();
        Console.WriteLine($"Results (run {options.RunId}, events mode, {options.BatchSize} events per batch, "
            + $"{options.Duration.TotalSeconds:F0} s measured per level after {options.Warmup.TotalSeconds:F0} s warm-up; "
            + $"latency per batch; cpu in % of one core, {Environment.ProcessorCount} cores):");
        Console.WriteLine(Header(options.ServerPids));
        foreach (var r in results)
            Console.WriteLine(Row(r));
        foreach (var r in results.Where(r => r.Measured < options.Duration * 0.99))
            Console.WriteLine($"NOTE: level c={r.Concurrency} was stopped after {r.Measured.TotalSeconds:F1} s of measurement.");

        if (results.FirstOrDefault(r => r.FirstRejection is not null) is { } rejecting)
            Console.WriteLine($"WARNING: {results.Sum(r => r.RejectedEvents):N0} events rejected in the measured windows; first: {rejecting.FirstRejection}");
        if (results.Sum(r => r.ReplayedEvents) is var replayed and > 0)
            Console.WriteLine($"WARNING: {replayed:N0} events answered 'duplicate' on a first attempt: event ids of an earlier run were reused; pass a fresh --run-id.");
        if (results.Sum(r => r.UnresolvedBatches) is var unresolved and > 0)
            Console.WriteLine($"WARNING: {unresolved:N0} batches of {results.Sum(r => r.ParkedBatches):N0} parked (unanswered in the loop) stayed unanswered when resent after the level; their SKU-locations were not checked.");

        Console.WriteLine();
        var mismatches = checks.Sum(c => c.Mismatches);
        var unreadable = checks.Sum(c => c.Unreadable);
        Console.WriteLine($"Exactly-once over {checks.Count} level(s): {checks.Sum(c => c.Checked):N0} SKU-location checks, {mismatches:N0} mismatches"
            + (unreadable > 0 ? $", {unreadable:N0} unreadable (unverified)" : "")
            + (checks.Any(c => c.ReusedIds > 0) ? "; NOT CONCLUSIVE (reused --run-id)" : ""));
    }

    /// <summary>
    /// Appends one row per level to <paramref name="path"/>, with a header when the file is new or
    /// empty. A file that starts with another header (an orders CSV) is left alone: mixed columns
    /// would make both unreadable.
    /// </summary>
    public static void AppendCsv(string path, Options options, IReadOnlyList<EventLevelResult> results)
    {
        var csv = new StringBuilder();
        if (!File.Exists(path) || new FileInfo(path).Length == 0)
        {
            csv.AppendLine(CsvHeader);
        }
        else if (File.ReadLines(path).FirstOrDefault() != CsvHeader)
        {
            Console.Error.WriteLine($"WARNING: {path} has other columns (an orders CSV?); events rows not written. Use another --csv file.");
            return;
        }

        var now = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        foreach (var r in results)
        {
            var servers = string.Join(';', r.Cpu.Servers.Select(s => $"{s.Pid}:{Number(s.Percent)}"));
            var c = r.Check;
            csv.AppendLine(CultureInfo.InvariantCulture,
                $"{now},events,{options.RunId},{options.BaseUrl},{options.Warehouses},{options.Skus},{options.OnHand},{options.BatchSize},"
                + $"{r.Concurrency},{Number(options.Warmup.TotalSeconds)},{Number(r.Measured.TotalSeconds)},{r.Batches},{r.AcceptedEvents},{Number(r.EventsPerSecond)},"
                + $"{Number(r.Latency.P50)},{Number(r.Latency.P95)},{Number(r.Latency.P99)},{Number(r.Latency.Max)},{Number(r.Latency.Mean)},"
                + $"{r.ErrorCount},{ErrorDetail(r, ";")},{r.ThrottledAttempts},{r.RejectedEvents},{r.ReplayedEvents},{r.ParkedBatches},{r.UnresolvedBatches},"
                + $"{r.Lag?.Count},{r.Lag?.P50.Milliseconds("0.###")},{r.Lag?.P99.Milliseconds("0.###")},"
                + $"{Number(r.Cpu.BenchmarkPercent)},{Number(r.Cpu.HostPercent)},{servers},"
                + $"{c?.Checked},{c?.Mismatches},{c?.Unreadable},{c?.Uncertain}");
        }

        File.AppendAllText(path, csv.ToString());
    }

    private static string ErrorDetail(EventLevelResult r, string separator) =>
        string.Join(separator, r.Errors.Select(e => $"{e.Key}:{e.Value}"));

    private static string Percent(double? value) => value is { } v ? v.ToString("F0", CultureInfo.InvariantCulture) + "%" : "n/a";

    private static string Number(double? value) => value is { } v ? v.ToString("0.###", CultureInfo.InvariantCulture) : "";
}
