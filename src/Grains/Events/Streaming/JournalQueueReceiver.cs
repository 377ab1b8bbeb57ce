using Orleans.Streams;

namespace Distribution.Events.Streaming;

/// <summary>
/// Reads one journal queue for its pulling agent. Hands out entries after the last sequence it
/// read; when the agent reports entries delivered (every consumer has processed them), the
/// checkpoint moves so a restarted or moved agent resumes there. Entries between the checkpoint and
/// the crash are delivered again; the consumers recognise them by sequence.
/// </summary>
internal sealed class JournalQueueReceiver(int queue, IEventJournal journal, EventStreamOptions options, ILogger<JournalQueueReceiver> logger)
    : IQueueAdapterReceiver
{
    private long _readThrough;
    private long _checkpoint;

    public async Task Initialize(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        _checkpoint = _readThrough = await journal.ReadCheckpointAsync(queue, cancel.Token);
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

        var entries = await journal.ReadQueueAsync(queue, _readThrough, options.ReadBatchSize, cancellationToken);
        if (entries.Count == 0)
        {
            return [];
        }

        // Runs of one warehouse become one container; stop when the cache has no room for more.
        var containers = new List<IBatchContainer>();
        var run = new List<JournaledEvent>();
        string? warehouse = null;
        foreach (var stored in entries)
        {
            if (warehouse is not null && stored.Entry.WarehouseId != warehouse)
            {
                containers.Add(new JournalBatchContainer(EventStreams.StreamOf(warehouse), new WarehouseEventBatch([.. run])));
                run.Clear();
                if (maxCount > 0 && containers.Count >= maxCount)
                {
                    break;
                }
            }

            warehouse = stored.Entry.WarehouseId;
            run.Add(JournalCodec.ToJournaled(stored));
        }

        if (run.Count > 0 && (maxCount < 0 || containers.Count < maxCount))
        {
            containers.Add(new JournalBatchContainer(EventStreams.StreamOf(warehouse!), new WarehouseEventBatch([.. run])));
        }

        _readThrough = ((JournalBatchContainer)containers[^1]).LastSequence;
        return containers;
    }

    [Obsolete("Use the overload which accepts a CancellationToken.")]
    public Task MessagesDeliveredAsync(IList<IBatchContainer> messages) => MessagesDeliveredAsync(messages, CancellationToken.None);

    public async Task MessagesDeliveredAsync(IList<IBatchContainer> messages, CancellationToken cancellationToken)
    {
        // The cache purges from its oldest end, so the delivered containers are a prefix of what was read.
        var through = messages.OfType<JournalBatchContainer>().Select(c => c.LastSequence).DefaultIfEmpty(0).Max();
        if (through > _checkpoint)
        {
            await journal.WriteCheckpointAsync(queue, through, cancellationToken);
            _checkpoint = through;
        }
    }

    public Task Shutdown(TimeSpan timeout) => Task.CompletedTask;
}
