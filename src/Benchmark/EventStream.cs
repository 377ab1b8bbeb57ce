using System.Globalization;

namespace Distribution.Benchmark;

/// <summary>A batch to post and, for the ledger, its warehouse and the popularity rank of each event's SKU.</summary>
internal sealed record PlannedBatch(EventBatchBody Body, int Warehouse, int[] Ranks);

/// <summary>
/// Generates event batches for one closed-loop worker. A batch belongs to one warehouse, chosen
/// uniformly (a WMS posts its own events); each event's SKU is drawn from the same Zipf(1.1)
/// popularity as the orders mode, 80% are Received (quantity 1–5) and 20% Adjusted (−1 DAMAGE or
/// +1 FOUND, so adjustments never drain the stock). Deterministic for a given seed, except
/// occurredAt, which is the send time (the API refuses events outside its duplicate window).
/// </summary>
internal sealed class EventStream(OrderWorkload workload, int batchSize, int seed)
{
    public const double AdjustedShare = 0.2;

    private readonly Random random = new(seed);

    public PlannedBatch Next(string batchId)
    {
        var network = workload.Network;
        var warehouse = random.Next(network.Warehouses.Count);
        var warehouseId = network.Warehouses[warehouse].Id;
        var occurredAt = DateTimeOffset.UtcNow;
        var ranks = new int[batchSize];
        var events = new EventBody[batchSize];
        for (var i = 0; i < batchSize; i++)
        {
            var rank = workload.Popularity.Sample(random);
            ranks[i] = rank;
            var sku = network.Skus[workload.SkuByRank(rank)];
            var eventId = batchId + ":" + i.ToString(CultureInfo.InvariantCulture);
            events[i] = random.NextDouble() >= AdjustedShare
                ? new EventBody(eventId, warehouseId, "Received", sku, random.Next(1, 6), null, occurredAt)
                : random.Next(2) == 0
                    ? new EventBody(eventId, warehouseId, "Adjusted", sku, -1, "DAMAGE", occurredAt)
                    : new EventBody(eventId, warehouseId, "Adjusted", sku, 1, "FOUND", occurredAt);
        }

        return new PlannedBatch(new EventBatchBody(events), warehouse, ranks);
    }

    /// <summary>
    /// Id of the <paramref name="sequence"/>-th batch of a run; its events append ":index". Only
    /// letters, digits, '-', '_', '.' and ':' (what event ids allow), at most 100 characters with
    /// a run id of <see cref="Options.MaxEventRunIdLength"/>.
    /// </summary>
    public static string BatchId(string runId, long sequence) =>
        runId + ":" + sequence.ToString("D8", CultureInfo.InvariantCulture);

    /// <summary>Seed of one worker's stream, apart from the order workers' seeds of the same level.</summary>
    public static int WorkerSeed(int seed, int level, int worker) =>
        unchecked(OrderStream.WorkerSeed(seed, level, worker) ^ 0x00E7_E475);
}
