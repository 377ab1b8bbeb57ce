using Orleans.Streams;

namespace Distribution.Events.Streaming;

/// <summary>
/// Reads one journal queue for its pulling agent. Each read becomes one container per warehouse
/// holding all of that warehouse's entries of the read, in journal order: a warehouse's stream
/// item costs the consumer a few durable round trips whatever its size, so a warehouse's backlog
/// should not be cut into the short runs that clients interleaving warehouses on a queue leave.
/// Containers go out in order of their last sequence (their token), the order the queue cache
/// assumes. Container ranges interleave, so a delivered container does not mean everything before
/// its last sequence was processed: the checkpoint stays just before the earliest entry of any
/// container handed out and not yet reported delivered (every consumer has processed it).
/// A restarted or moved agent resumes after the checkpoint; entries it hands out again are
/// recognised by the consumers by sequence.
/// </summary>
internal sealed class JournalQueueReceiver(int queue, IEventJournal journal, EventStreamOptions options, ILogger<JournalQueueReceiver> logger)
    : IQueueAdapterReceiver
{
    // Containers handed out and not yet delivered: last sequence -> first sequence.
    private readonly Dictionary<long, long> _outstanding = [];
    private long _readThrough;
    private long _checkpoint;

    public async Task Initialize(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        _checkpoint = _readThrough = await journal.ReadCheckpointAsync(queue, cancel.Token);
        _outstanding.Clear();
        logger.LogInformation("Event journal queue {Queue} resumes after sequence {Sequence}", queue, _checkpoint);
    }

    [Obsolete("Use the overload which accepts a CancellationToken.")]
    public Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount) => GetQueueMessagesAsync(maxCount, CancellationToken.None);

    public async Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount, CancellationToken cancellationToken)
    {
        if (maxCount == 0)
        {
            return [];
        }

        var entries = await journal.ReadQueueEventsAsync(queue, _readThrough, options.ReadBatchSize, cancellationToken);
        if (entries.Count == 0)
        {
            return [];
        }

        // maxCount is the cache's room in containers: stop before the entry of one warehouse too
        // many, so what is handed out is the whole read up to a sequence and the next read goes on
        // from there without skipping or repeating an entry.
        var byWarehouse = new Dictionary<string, List<JournaledEvent>>(StringComparer.Ordinal);
        var through = _readThrough;
        foreach (var journaled in entries)
        {
            if (!byWarehouse.TryGetValue(journaled.Event.WarehouseId, out var events))
            {
                if (maxCount > 0 && byWarehouse.Count >= maxCount)
                {
                    break;
                }

                byWarehouse[journaled.Event.WarehouseId] = events = [];
            }

            events.Add(journaled);
            through = journaled.Sequence;
        }

        var containers = byWarehouse
            .Select(w => new JournalBatchContainer(EventStreams.StreamOf(w.Key), new WarehouseEventBatch(w.Value)))
            .OrderBy(c => c.LastSequence)
            .ToList();
        foreach (var container in containers)
        {
            _outstanding[container.LastSequence] = container.FirstSequence;
        }

        _readThrough = through;
        return [.. containers];
    }

    [Obsolete("Use the overload which accepts a CancellationToken.")]
    public Task MessagesDeliveredAsync(IList<IBatchContainer> messages) => MessagesDeliveredAsync(messages, CancellationToken.None);

    public async Task MessagesDeliveredAsync(IList<IBatchContainer> messages, CancellationToken cancellationToken)
    {
        foreach (var container in messages.OfType<JournalBatchContainer>())
        {
            _outstanding.Remove(container.LastSequence);
        }

        // A container whose delivery failed leaves the cache unreported and so holds the
        // checkpoint back: after a restart it is read again rather than skipped.
        var through = _outstanding.Count == 0 ? _readThrough : _outstanding.Values.Min() - 1;
        if (through > _checkpoint)
        {
            await journal.WriteCheckpointAsync(queue, through, cancellationToken);
            _checkpoint = through;
        }
    }

    public Task Shutdown(TimeSpan timeout) => Task.CompletedTask;
}
