using System.Diagnostics;
using Microsoft.Extensions.Options;

namespace Distribution.Events.Streaming;

/// <summary>
/// Whether ingest must push back. A journal queue holding more accepted but unprocessed events than
/// <see cref="EventStreamOptions.MaxPendingPerQueue"/> means its consumers are falling behind;
/// accepting more would only grow the apply lag for as long as the senders keep up their rate.
/// The counts come from the journal, so every silo sees the cluster's backlog; they are re-read at
/// most every <see cref="RefreshInterval"/> (wall time: this is load control, not business time).
/// </summary>
public sealed class EventBacklog(IEventJournal journal, EventStreams streams, IOptions<EventStreamOptions> options)
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>What a throttled sender is told to wait before sending the batch again.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);

    private readonly int _limit = options.Value.MaxPendingPerQueue;
    private readonly Lock _lock = new();
    private Task<IReadOnlyList<int>>? _counts;
    private long _countedAt;

    /// <summary>Whether any of <paramref name="queues"/> holds a backlog at the limit (never when unlimited).</summary>
    public async ValueTask<bool> IsBehindAsync(IEnumerable<int> queues)
    {
        if (_limit <= 0)
        {
            return false;
        }

        var counts = await CountsAsync();
        return queues.Any(q => q < counts.Count && counts[q] >= _limit);
    }

    /// <summary>One count in flight at a time, shared by every caller; a failed count is retried by the next caller.</summary>
    private Task<IReadOnlyList<int>> CountsAsync()
    {
        lock (_lock)
        {
            if (_counts is { IsCompleted: false } running)
            {
                return running;
            }

            if (_counts is { IsCompletedSuccessfully: true } fresh && Stopwatch.GetElapsedTime(_countedAt) < RefreshInterval)
            {
                return fresh;
            }

            _countedAt = Stopwatch.GetTimestamp();
            return _counts = journal.CountPendingAsync([.. Enumerable.Range(0, streams.QueueCount)], _limit);
        }
    }
}
