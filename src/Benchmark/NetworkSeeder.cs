using System.Globalization;

namespace Distribution.Benchmark;

/// <summary>
/// Loads the benchmark network through the API: warehouses, items, then stock at every warehouse
/// for every SKU by inventory snapshots of at most 5,000 lines.
/// </summary>
internal sealed class NetworkSeeder(ApiClient api, Network network, long onHand, int parallelism)
{
    public const int MaxSnapshotLines = 5_000;

    /// <summary>Seeds the network; returns the snapshot lines applied and reported stale.</summary>
    public async Task<SnapshotResult> SeedAsync(CancellationToken ct)
    {
        await ParallelWork.RunAsync("warehouses", network.Warehouses, network.Warehouses.Count, parallelism, async (w, token) =>
        {
            var body = new WarehouseBody(w.Name, w.Latitude, w.Longitude, "active", null, null, "23:59", "UTC");
            await api.PutWarehouseAsync(w.Id, body, token);
            return 1;
        }, ct);

        await ParallelWork.RunAsync("items", network.Skus, network.Skus.Count, parallelism, async (sku, token) =>
        {
            await api.PutItemAsync(sku, new ItemBody("Benchmark item " + sku, "EA"), token);
            return 1;
        }, ct);

        // Now, so a re-seed supersedes an earlier one instead of being ignored as stale.
        var asOf = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var chunks = new List<(WarehouseSite Warehouse, int First, int Count)>();
        for (var first = 0; first < network.Skus.Count; first += MaxSnapshotLines)
        {
            // Interleaved, so the requests in flight spread over the warehouses.
            foreach (var warehouse in network.Warehouses)
                chunks.Add((warehouse, first, Math.Min(MaxSnapshotLines, network.Skus.Count - first)));
        }

        long applied = 0, stale = 0;
        var total = (long)network.Skus.Count * network.Warehouses.Count;
        await ParallelWork.RunAsync("stock (SKU-locations)", chunks, total, parallelism, async (chunk, token) =>
        {
            var lines = new SnapshotLine[chunk.Count];
            for (var i = 0; i < chunk.Count; i++)
                lines[i] = new SnapshotLine(network.Skus[chunk.First + i], onHand);
            var result = await api.PostSnapshotAsync(new SnapshotBody(chunk.Warehouse.Id, asOf, lines), token);
            Interlocked.Add(ref applied, result.Applied);
            Interlocked.Add(ref stale, result.Stale);
            return chunk.Count;
        }, ct);

        return new SnapshotResult(applied, stale);
    }
}
