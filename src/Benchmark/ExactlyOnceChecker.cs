using System.Diagnostics;

namespace Distribution.Benchmark;

/// <summary>What one read of a SKU-location said: on-hand, and the last event applied to it.</summary>
internal readonly record struct StockReading(long OnHand, long LastEventSequence);

/// <summary>The sample's on-hand before a level; null entries could not be read.</summary>
internal sealed record StockBaseline(StockReading?[] Readings, bool Settled, string? FirstFailure);

/// <summary>Outcome of one level's exactly-once check.</summary>
internal sealed record ExactlyOnceReport(
    int Locations,
    int Mismatches,
    int Unreadable,
    int Uncertain,
    bool Settled,
    TimeSpan Waited,
    long ReusedIds,
    string? FirstFailure,
    IReadOnlyList<string> Examples)
{
    /// <summary>SKU-locations actually compared.</summary>
    public int Checked => Locations - Unreadable - Uncertain;

    public bool Passed => Mismatches == 0;

    /// <summary>Event ids of an earlier run came back as duplicates: the figures cannot be trusted either way.</summary>
    public bool Trustworthy => ReusedIds == 0 && Unreadable == 0 && Checked > 0;
}

/// <summary>
/// Checks that every accepted event was applied exactly once: the on-hand of each sampled
/// SKU-location must move by the summed quantity of its accepted events, no more (a duplicate
/// applied) and no less (an event lost). Application is asynchronous, so the after-reads poll until
/// two consecutive reads agree and equal the expectation. The wait ends <see cref="SettleTimeout"/>
/// after the sample last moved: a backlog still being applied is waited for (up to
/// <see cref="MaxWait"/>), a lost or doubled event is not. SKU-locations touched by a batch that never got an answer are left out: its fate is unknown.
/// </summary>
internal sealed class ExactlyOnceChecker(ApiClient api, OrderWorkload workload, int parallelism)
{
    public static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(60);
    private const int MaxExamples = 5;
    private static readonly TimeSpan MaxWait = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>Reads the sample until two consecutive reads agree (the previous level's events have drained).</summary>
    public async Task<StockBaseline> ReadBaselineAsync(EventLedger ledger, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var (previous, _) = await ReadAsync(ledger, ct);
        while (true)
        {
            var (current, failure) = await ReadAsync(ledger, ct);
            var settled = current.AsSpan().SequenceEqual(previous);
            if (settled || Stopwatch.GetElapsedTime(started) >= SettleTimeout)
                return new StockBaseline(current, settled, failure);
            previous = current;
            await Task.Delay(PollInterval, ct);
        }
    }

    public async Task<ExactlyOnceReport> CheckAsync(StockBaseline before, EventLedger ledger, CancellationToken ct)
    {
        var expected = new long?[ledger.Count];
        var uncertain = 0;
        for (var slot = 0; slot < ledger.Count; slot++)
        {
            if (ledger.IsUncertain(slot))
                uncertain++;
            else if (before.Readings[slot] is { } reading)
                expected[slot] = reading.OnHand + ledger.Posted(slot);
        }

        var started = Stopwatch.GetTimestamp();
        var lastMoved = started;
        StockReading?[]? previous = null;
        StockReading?[] current;
        string? failure;
        bool settled;
        while (true)
        {
            (current, failure) = await ReadAsync(ledger, ct);
            var now = Stopwatch.GetTimestamp();
            var unchanged = previous is not null && current.AsSpan().SequenceEqual(previous);
            if (!unchanged)
                lastMoved = now;
            settled = unchanged && Enumerable.Range(0, ledger.Count).All(s => expected[s] is not { } e || current[s]?.OnHand == e);
            if (settled || Stopwatch.GetElapsedTime(lastMoved, now) >= SettleTimeout || Stopwatch.GetElapsedTime(started, now) >= MaxWait)
                break;
            previous = current;
            await Task.Delay(PollInterval, ct);
        }

        int mismatches = 0, unreadable = 0;
        var examples = new List<string>();
        for (var slot = 0; slot < ledger.Count; slot++)
        {
            if (ledger.IsUncertain(slot))
                continue;
            if (expected[slot] is not { } e || current[slot] is not { } after)
            {
                unreadable++;
                continue;
            }

            if (after.OnHand == e)
                continue;
            mismatches++;
            if (examples.Count < MaxExamples)
            {
                var (sku, warehouse) = Ids(ledger, slot);
                var was = before.Readings[slot]!.Value.OnHand;
                examples.Add($"{sku} @ {warehouse}: on hand {was} -> {after.OnHand} ({after.OnHand - was:+#;-#;0}), accepted events {ledger.Posted(slot):+#;-#;0}");
            }
        }

        return new ExactlyOnceReport(
            ledger.Count, mismatches, unreadable, uncertain, settled, Stopwatch.GetElapsedTime(started), ledger.Replayed,
            before.FirstFailure ?? failure, examples);
    }

    /// <summary>One read of every sampled SKU-location; unreadable ones are null, with the first reason.</summary>
    private async Task<(StockReading?[] Readings, string? FirstFailure)> ReadAsync(EventLedger ledger, CancellationToken ct)
    {
        var readings = new StockReading?[ledger.Count];
        string? firstFailure = null;
        await Parallel.ForEachAsync(
            Enumerable.Range(0, ledger.Count),
            new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = ct },
            async (slot, token) =>
            {
                var (sku, warehouse) = Ids(ledger, slot);
                var (result, failure) = await api.GetSkuLocationAsync(warehouse, sku, token);
                if (result is null)
                    Interlocked.CompareExchange(ref firstFailure, $"{sku} @ {warehouse}: {failure}", null);
                else
                    readings[slot] = new StockReading(result.OnHand, result.LastEventSequence);
            });
        return (readings, firstFailure);
    }

    private (string Sku, string Warehouse) Ids(EventLedger ledger, int slot)
    {
        var (rank, warehouse) = ledger.Location(slot);
        return (workload.Network.Skus[workload.SkuByRank(rank)], workload.Network.Warehouses[warehouse].Id);
    }
}
