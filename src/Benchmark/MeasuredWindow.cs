using System.Diagnostics;

namespace Distribution.Benchmark;

/// <summary>
/// The timeline of one concurrency level, shared by both modes: prints a progress line a second
/// (rate of <paramref name="completed"/> in <paramref name="unit"/>), takes the CPU sample when the
/// measured window opens, and returns when it closes or the run is cancelled.
/// </summary>
internal static class MeasuredWindow
{
    /// <returns>The CPU sample at the start of the window (null if it never opened) and when measuring stopped.</returns>
    public static async Task<(CpuMeter.Sample? CpuStart, long StoppedAt)> WatchAsync(
        Options options, int concurrency, long start, long measureStart, long measureEnd,
        CpuMeter cpu, Func<long> completed, Func<long> errors, string unit, CancellationToken ct)
    {
        CpuMeter.Sample? cpuStart = null;
        var stoppedAt = measureEnd;
        var nextPrint = start + Stopwatch.Frequency;
        long lastCompleted = 0, lastPrint = start;
        try
        {
            while (true)
            {
                var now = Stopwatch.GetTimestamp();
                if (cpuStart is null && now >= measureStart)
                    cpuStart = cpu.Take();
                if (now >= measureEnd)
                    break;
                if (now >= nextPrint)
                {
                    var done = completed();
                    var rate = (done - lastCompleted) / Stopwatch.GetElapsedTime(lastPrint, now).TotalSeconds;
                    var phase = now < measureStart
                        ? $"warmup {Stopwatch.GetElapsedTime(start, now).TotalSeconds:F0}/{options.Warmup.TotalSeconds:F0} s"
                        : $"run {Stopwatch.GetElapsedTime(measureStart, now).TotalSeconds:F0}/{options.Duration.TotalSeconds:F0} s";
                    ConsoleStatus.Update($"  c={concurrency,-4} {phase,-16} {rate,9:N0} {unit}   errors {errors():N0}");
                    (lastCompleted, lastPrint) = (done, now);
                    nextPrint += Stopwatch.Frequency;
                }

                var wakeAt = Math.Min(nextPrint, cpuStart is null ? measureStart : measureEnd);
                await Task.Delay(Stopwatch.GetElapsedTime(now, Math.Max(wakeAt, now + 1)), ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            stoppedAt = Math.Min(Stopwatch.GetTimestamp(), measureEnd);
        }

        return (cpuStart, stoppedAt);
    }
}
