using System.Diagnostics;
using Microsoft.Extensions.Options;

namespace Distribution.Events.Streaming;

/// <summary>
/// Whether ingest may take a batch now. A journal queue holding more accepted but unprocessed events
/// than <see cref="EventStreamOptions.MaxPendingPerQueue"/> means its consumers are falling behind;
/// accepting more would only grow the apply lag for as long as the senders keep up their rate.
/// The counts come from the journal, so every silo sees the cluster's backlog; they are re-read at
/// most every <see cref="EventStreamOptions.BacklogRefreshInterval"/>, and what this silo admitted
/// since the last count is added to it, so a burst of batches does not all get in on one stale count.
/// A batch for a full queue waits up to <see cref="EventStreamOptions.AdmissionWait"/> for room
/// before it is refused: a backlog drains in a fraction of a second, while a refused sender waits
/// <see cref="RetryAfter"/>. Wall time throughout: this is load control, not business time.
/// </summary>
public sealed class EventBacklog(IEventJournal journal, EventStreams streams, IOptions<EventStreamOptions> options)
{
    /// <summary>What a throttled sender is told to wait before sending the batch again.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);

    private readonly int _limit = options.Value.MaxPendingPerQueue;
    private readonly TimeSpan _refreshInterval = options.Value.BacklogRefreshInterval;
    private readonly TimeSpan _admissionWait = options.Value.AdmissionWait;
    private readonly Lock _lock = new();
    private readonly int[] _admittedSinceCount = new int[streams.QueueCount];
    private Task<IReadOnlyList<int>>? _counts;
    private long _countedAt;

    /// <summary>
    /// Admits a batch whose events go to <paramref name="eventQueues"/> (one entry per event) once
    /// every queue it touches is under the limit, waiting up to the admission wait; false when there
    /// was no room in time. Always true when unlimited.
    /// </summary>
    public async ValueTask<bool> TryAdmitAsync(IReadOnlyList<int> eventQueues, CancellationToken cancellationToken = default)
    {
        if (_limit <= 0 || eventQueues.Count == 0)
        {
            return true;
        }

        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            var counts = await CountsAsync();
            lock (_lock)
            {
                if (!eventQueues.Any(q => IsFull(counts, q)))
                {
                    foreach (var queue in eventQueues)
                    {
                        _admittedSinceCount[queue]++;
                    }

                    return true;
                }
            }

            var left = _admissionWait - Stopwatch.GetElapsedTime(started);
            if (left <= TimeSpan.Zero)
            {
                return false;
            }

            await Task.Delay(left < _refreshInterval ? left : _refreshInterval, cancellationToken);
        }
    }

    private bool IsFull(IReadOnlyList<int> counts, int queue) =>
        queue < counts.Count && counts[queue] + _admittedSinceCount[queue] >= _limit;

    /// <summary>One count in flight at a time, shared by every caller; a failed count is retried by the next caller.</summary>
    private Task<IReadOnlyList<int>> CountsAsync()
    {
        lock (_lock)
        {
            if (_counts is { IsCompleted: false } running)
            {
                return running;
            }

            if (_counts is { IsCompletedSuccessfully: true } fresh && Stopwatch.GetElapsedTime(_countedAt) < _refreshInterval)
            {
                return fresh;
            }

            // Batches admitted from here on may miss the new count; counting them on top of it is
            // the safe side (one appended before the count runs is counted twice until the next).
            Array.Clear(_admittedSinceCount);
            _countedAt = Stopwatch.GetTimestamp();
            return _counts = journal.CountPendingAsync([.. Enumerable.Range(0, streams.QueueCount)], _limit);
        }
    }
}
