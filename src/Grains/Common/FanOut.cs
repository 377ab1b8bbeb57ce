namespace Distribution.Common;

/// <summary>
/// Calls many grains in waves of a bounded size instead of all at once. Thousands of first calls
/// in flight at once (a snapshot of 10,000 lines) each wait on placement and activation, and
/// Orleans' placement worker walks all waiting grains on every completion, so an unbounded fan-out
/// of cold grains costs quadratic time (seen when seeding a durable silo).
/// </summary>
public static class FanOut
{
    public const int DefaultWave = 512;

    /// <summary>The results of <paramref name="call"/> for each item, in order.</summary>
    public static async Task<TResult[]> InWavesAsync<TItem, TResult>(IReadOnlyList<TItem> items, Func<TItem, Task<TResult>> call, int wave = DefaultWave)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(wave, 1);
        var results = new TResult[items.Count];
        for (var start = 0; start < items.Count; start += wave)
        {
            var end = Math.Min(items.Count, start + wave);
            var tasks = new Task<TResult>[end - start];
            for (var i = start; i < end; i++)
            {
                tasks[i - start] = call(items[i]);
            }

            var done = await Task.WhenAll(tasks);
            done.CopyTo(results, start);
        }

        return results;
    }
}
