using System.Globalization;

namespace Distribution.Benchmark.Erp;

/// <summary>The hub's and the ERP-centric design's figures side by side, with the ratios the issue targets.</summary>
internal static class ComparisonReport
{
    /// <summary>The concurrency level the headline ratios are taken at.</summary>
    public const int HeadlineConcurrency = 64;

    public static void Print(IReadOnlyList<LevelResult> hub, IReadOnlyList<LevelResult> erp)
    {
        Console.WriteLine();
        Console.WriteLine("Hub vs ERP-centric (same network, order streams, levels, warm-up and duration; measured windows):");
        Console.WriteLine($"{"conc",5} {"hub orders/s",12} {"ERP orders/s",12} {"hub/ERP",8} {"hub p99 ms",10} {"ERP p99 ms",10}");

        // Both ran the same --concurrency list in the same order; a run stopped early has fewer rows.
        for (var i = 0; i < Math.Max(hub.Count, erp.Count); i++)
        {
            var h = i < hub.Count ? hub[i] : null;
            var e = i < erp.Count ? erp[i] : null;
            Console.WriteLine($"{(h ?? e)!.Concurrency,5} {Rate(h),12} {Rate(e),12} {Ratio(h, e),8} {P99(h),10} {P99(e),10}");
        }

        var hubHeadline = hub.FirstOrDefault(r => r.Concurrency == HeadlineConcurrency);
        var erpHeadline = erp.FirstOrDefault(r => r.Concurrency == HeadlineConcurrency);
        var erpBest = erp.MaxBy(r => r.OrdersPerSecond);
        Console.WriteLine($"hub at c={HeadlineConcurrency} / ERP at c={HeadlineConcurrency}: {Ratio(hubHeadline, erpHeadline)}");
        Console.WriteLine(erpBest is null
            ? $"hub at c={HeadlineConcurrency} / ERP at its best level: n/a"
            : $"hub at c={HeadlineConcurrency} / ERP at its best level (c={erpBest.Concurrency}, {erpBest.OrdersPerSecond:N0} orders/s): {Ratio(hubHeadline, erpBest)}");
        if (hubHeadline is null)
            Console.WriteLine($"NOTE: c={HeadlineConcurrency} is not among the levels run; pass it in --concurrency for the headline ratios.");
    }

    private static string Rate(LevelResult? r) => r is null ? "n/a" : r.OrdersPerSecond.ToString("N0", CultureInfo.InvariantCulture);

    private static string P99(LevelResult? r) => r is null ? "n/a" : r.Latency.P99.ToString("F1", CultureInfo.InvariantCulture);

    private static string Ratio(LevelResult? hub, LevelResult? erp) =>
        hub is null || erp is not { OrdersPerSecond: > 0 }
            ? "n/a"
            : (hub.OrdersPerSecond / erp.OrdersPerSecond).ToString("F1", CultureInfo.InvariantCulture) + "x";
}
