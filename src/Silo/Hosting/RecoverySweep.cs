using Distribution.Common;
using Distribution.Gateway;
using Distribution.Persistence;

namespace Distribution.Silo.Hosting;

/// <summary>
/// Wakes grains whose stored state says they have unfinished work (an interrupted allocation, an
/// unconfirmed hold) once its time has passed. After a crash nothing else would activate them.
/// Every silo runs it; waking a grain twice is harmless.
/// </summary>
public sealed class RecoverySweep(
    IGrainWakeQueue queue,
    IGrainFactory grains,
    TimeProvider time,
    Microsoft.Extensions.Options.IOptions<HubOptions> options,
    ILogger<RecoverySweep> logger) : BackgroundService
{
    private const int BatchSize = 500;
    private const int MaxBatchesPerTick = 20;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.RecoverySweepInterval, time);
        while (await timer.TickUntilStoppedAsync(stoppingToken))
        {
            try
            {
                // A full batch means more are due (after a crash, thousands may be): go on at once,
                // up to a bound per tick, so a grain that fails to move its wake time cannot spin the loop.
                IReadOnlyList<GrainId> due;
                var batches = 0;
                do
                {
                    due = await queue.GetDueAsync(time.GetUtcNow(), BatchSize, stoppingToken);
                    if (due.Count > 0)
                    {
                        logger.LogInformation("Recovery sweep wakes {Count} grain(s)", due.Count);
                        await Task.WhenAll(due.Select(id => grains.GetGrain<IRecoverableGrain>(id).Wake()));
                    }
                }
                while (due.Count == BatchSize && ++batches < MaxBatchesPerTick && !stoppingToken.IsCancellationRequested);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Recovery sweep failed; retrying at the next tick");
            }
        }
    }
}
