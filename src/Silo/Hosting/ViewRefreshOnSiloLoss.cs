using Distribution.Inventory;

namespace Distribution.Silo.Hosting;

/// <summary>
/// When a silo of the cluster is declared dead, every availability view active on this silo
/// re-reads its SKU-locations. A SKU-location on the dead silo may have stored a change whose
/// report never left, and nothing else would reactivate it until its next order; asking it
/// reactivates it on a live silo with its stored numbers. Nothing runs while no silo dies.
/// </summary>
public sealed class ViewRefreshOnSiloLoss(
    IClusterMembershipService membership,
    LocalSkuViews views,
    IGrainFactory grains,
    ILogger<ViewRefreshOnSiloLoss> logger) : BackgroundService
{
    private const int Parallelism = 64;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Silos already dead when this one starts were handled by the views' own activation.
        var dead = membership.CurrentSnapshot.Members.Values
            .Where(m => m.Status == SiloStatus.Dead).Select(m => m.SiloAddress).ToHashSet();
        await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(stoppingToken))
        {
            var newlyDead = snapshot.Members.Values
                .Where(m => m.Status == SiloStatus.Dead && dead.Add(m.SiloAddress))
                .Select(m => m.SiloAddress)
                .ToList();
            if (newlyDead.Count == 0)
            {
                continue;
            }

            var skus = views.Snapshot();
            logger.LogInformation(
                "Silo(s) {Silos} declared dead: {Count} availability view(s) on this silo re-read their SKU-locations",
                string.Join(", ", newlyDead), skus.Count);
            var failed = 0;
            await Parallel.ForEachAsync(skus, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = stoppingToken }, async (sku, _) =>
            {
                try
                {
                    await grains.GetGrain<ISkuGrain>(sku).RefreshLocations();
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    // The view keeps what it has; its SKU-locations report again on their next change.
                    Interlocked.Increment(ref failed);
                    logger.LogDebug(e, "Refreshing the view of {Sku} failed", sku);
                }
            });
            if (failed > 0)
            {
                logger.LogWarning("{Failed} of {Count} view refreshes failed after the loss of {Silos}", failed, skus.Count, string.Join(", ", newlyDead));
            }
        }
    }
}
