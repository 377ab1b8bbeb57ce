using System.Diagnostics;

namespace Distribution.Benchmark;

/// <summary>Runs setup-style work with a bounded number of requests in flight and a progress line.</summary>
internal static class ParallelWork
{
    /// <param name="body">Does one piece of work and returns how many units it completed.</param>
    public static async Task RunAsync<T>(
        string unit, IReadOnlyList<T> work, long totalUnits, int parallelism,
        Func<T, CancellationToken, Task<long>> body, CancellationToken ct)
    {
        long done = 0;
        var started = Stopwatch.GetTimestamp();
        using var stopReporting = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var reporter = ReportAsync(() => Interlocked.Read(ref done), unit, totalUnits, started, stopReporting.Token);
        try
        {
            await Parallel.ForEachAsync(
                work,
                new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = ct },
                async (item, token) => Interlocked.Add(ref done, await body(item, token)));
        }
        finally
        {
            await stopReporting.CancelAsync();
            await reporter;
        }

        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        ConsoleStatus.Line($"  {unit}: {done:N0} in {seconds:F1} s ({done / Math.Max(seconds, 1e-3):N0}/s)");
    }

    private static async Task ReportAsync(Func<long> done, string unit, long total, long started, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                var count = done();
                var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
                var rate = count / seconds;
                var eta = rate > 0 ? $"{(int)((total - count) / rate / 60)}:{(int)((total - count) / rate % 60):D2}" : "?";
                ConsoleStatus.Update(
                    $"  {unit}: {count:N0}/{total:N0} ({100.0 * count / Math.Max(total, 1):F0}%)  {rate:N0}/s  ETA {eta}");
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
