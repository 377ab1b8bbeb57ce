using System.Globalization;

namespace Distribution.Benchmark;

/// <summary>An order to send and, for the checks, the SKU index of each of its lines.</summary>
internal sealed record PlannedOrder(OrderBody Body, int[] SkuIndexes);

/// <summary>
/// What every order stream shares: the network, the Zipf(1.1) popularity over the SKUs and which
/// SKU holds which popularity rank (a seeded shuffle, so the hot SKUs are not SKU-000001, -2, ...).
/// </summary>
internal sealed class OrderWorkload
{
    public const double ZipfExponent = 1.1;

    private readonly int[] skuByRank;

    public OrderWorkload(Network network, int seed)
    {
        Network = network;
        Popularity = new ZipfSampler(network.Skus.Count, ZipfExponent);
        skuByRank = Enumerable.Range(0, network.Skus.Count).ToArray();
        new Random(unchecked(seed ^ 0x5EED)).Shuffle(skuByRank);
    }

    public Network Network { get; }

    public ZipfSampler Popularity { get; }

    public int SkuByRank(int rank) => skuByRank[rank];
}

/// <summary>
/// Generates orders for one closed-loop worker: 1–5 lines (uniform), distinct SKUs drawn by
/// popularity, quantity 1–3, ship-to uniform over the map, split and backorder allowed.
/// Deterministic for a given seed; the order ids come from the caller.
/// </summary>
internal sealed class OrderStream(OrderWorkload workload, int seed)
{
    private static readonly string[] LineIds = ["1", "2", "3", "4", "5"];

    private readonly Random random = new(seed);

    public PlannedOrder Next(string orderId)
    {
        var network = workload.Network;
        var lineCount = Math.Min(random.Next(1, 6), network.Skus.Count);
        var skus = new int[lineCount];
        var lines = new OrderLineBody[lineCount];
        for (var i = 0; i < lineCount; i++)
        {
            int sku;
            do
            {
                sku = workload.SkuByRank(workload.Popularity.Sample(random));
            }
            while (Array.IndexOf(skus, sku, 0, i) >= 0);

            skus[i] = sku;
            lines[i] = new OrderLineBody(LineIds[i], network.Skus[sku], random.Next(1, 4));
        }

        var shipTo = new GeoPoint(
            Math.Round(Network.MinLatitude + (random.NextDouble() * (Network.MaxLatitude - Network.MinLatitude)), 4),
            Math.Round(Network.MinLongitude + (random.NextDouble() * (Network.MaxLongitude - Network.MinLongitude)), 4));
        var body = new OrderBody(orderId, "bench", shipTo, lines, "normal", AllowSplit: true, AllowBackorder: true);
        return new PlannedOrder(body, skus);
    }

    /// <summary>Order id of the <paramref name="sequence"/>-th order of a run.</summary>
    public static string OrderId(string runId, long sequence) =>
        runId + "-" + sequence.ToString("D8", CultureInfo.InvariantCulture);

    /// <summary>Seed of one worker's stream, mixed from the run seed, the level and the worker.</summary>
    public static int WorkerSeed(int seed, int level, int worker) =>
        unchecked((seed * 1_000_003) + (level * 10_007) + worker);
}
