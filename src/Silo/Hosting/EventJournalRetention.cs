using Distribution.Common;
using Distribution.Events;
using Distribution.Gateway;
using Microsoft.Extensions.Options;

namespace Distribution.Silo.Hosting;

/// <summary>
/// Keeps the event journal to the duplicate window: entries that occurred more than the window
/// (plus a day of margin) before now are deleted every <see cref="Interval"/>. Every silo runs it;
/// deleting twice is harmless. Events that old are refused at ingest, so a dropped key cannot
/// come back as new.
/// </summary>
public sealed class EventJournalRetention(
    IEventJournal journal,
    TimeProvider time,
    IOptions<AllocationOptions> options,
    ILogger<EventJournalRetention> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        while (await timer.TickUntilStoppedAsync(stoppingToken))
        {
            try
            {
                var purged = await journal.PurgeAsync(time.GetUtcNow() - options.Value.EventDedupeWindow - TimeSpan.FromDays(1), stoppingToken);
                if (purged > 0)
                {
                    logger.LogInformation("Event journal retention dropped {Count} entries", purged);
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Event journal retention failed; retrying in {Interval}", Interval);
            }
        }
    }
}
