using System.Diagnostics.CodeAnalysis;
using Orleans.Streams;

namespace Distribution.Events.Streaming;

/// <summary>
/// Creates each journal queue's <see cref="JournalQueueCache"/> for its pulling agent.
/// </summary>
internal sealed class JournalQueueAdapterCache(int capacity, int mergeLimit) : IQueueAdapterCache
{
    public IQueueCache CreateQueueCache(QueueId queueId) => new JournalQueueCache(capacity, mergeLimit);
}

/// <summary>
/// A pulling agent's cache of one journal queue, kept so that the queue's checkpoint follows the
/// deliveries. Each warehouse's items wait in their own list, and an item leaves the cache (reported
/// to the receiver as delivered, which lets the checkpoint move) at the first purge after every cursor
/// of its warehouse has passed it and it was delivered. Orleans' <c>SimpleQueueCache</c> releases only
/// whole tenths of the cache once no cursor is left in them: one slow warehouse held back the report
/// of every other warehouse on its queue, the checkpoint moved in bursts, and ingest pushed back
/// (429) while most of the counted backlog had in fact been applied (BENCHMARKS.md).
/// Only the agent uses it, on its own turns, so it takes no locks.
/// </summary>
internal sealed class JournalQueueCache(int capacity, int mergeLimit) : IQueueCache
{
    private readonly Dictionary<StreamId, CachedStream> _streams = [];

    /// <summary>Items held: handed out, waiting, or delivered and not yet purged.</summary>
    public int Count { get; private set; }

    // Never 0: the agent then skips its read, and with it the purge that would make room.
    public int GetMaxAddCount() => Math.Max(1, capacity - Count);

    // A full cache stops the reads until deliveries make room: a consumer that cannot be reached
    // holds its items (and the checkpoint), it never loses them.
    public bool IsUnderPressure() => Count >= capacity;

    public void AddToCache(IList<IBatchContainer> messages)
    {
        foreach (var message in messages)
        {
            // The receiver hands out one container per warehouse per read, reads in journal order:
            // appended here, each warehouse's list stays in order of last sequence.
            var container = (JournalBatchContainer)message;
            StreamOf(container.StreamId).Items.Add(new CachedJournalItem(container));
            Count++;
        }
    }

    // Never a cache miss: items leave only once every cursor of their warehouse is past them.
    public QueueCacheCursorResult<IQueueCacheCursor> TryGetCacheCursor(StreamId streamId, StreamSequenceToken? token) =>
        QueueCacheCursorResult<IQueueCacheCursor>.FromCursor(OpenCursor(streamId, token));

    public QueueCacheCursorResult<IQueueCacheCursor> TryGetCacheCursorAtPosition(StreamId streamId, StreamSubscriptionStartPosition startPosition) =>
        TryGetCacheCursor(streamId, null);

    [Obsolete("Use TryGetCacheCursor instead.")]
    public IQueueCacheCursor GetCacheCursor(StreamId streamId, StreamSequenceToken? token) => OpenCursor(streamId, token);

    private JournalQueueCursor OpenCursor(StreamId streamId, StreamSequenceToken? token)
    {
        var stream = StreamOf(streamId);
        // With a token, the cursor starts at the first item at or after it (the agent passes the
        // token of the item that made it register the stream). Without one (or at any start
        // position), at the oldest item still held: the agent asks for that only after a cursor
        // failed, and a redelivered item is recognised by its consumer, while a skipped one would
        // be lost.
        var passedThrough = token is not null ? token.SequenceNumber - 1
            : stream.Items.Count > 0 ? stream.Items[0].LastSequence - 1
            : long.MinValue;
        var cursor = new JournalQueueCursor(stream, passedThrough, mergeLimit);
        stream.Cursors.Add(cursor);
        return cursor;
    }

    public bool TryPurgeFromCache([MaybeNullWhen(false)] out IList<IBatchContainer> purgedItems)
    {
        List<IBatchContainer>? delivered = null;
        List<StreamId>? emptied = null;
        foreach (var (streamId, stream) in _streams)
        {
            var released = 0;
            while (released < stream.Items.Count && stream.IsReleasable(stream.Items[released]))
            {
                var item = stream.Items[released++];
                // A failed delivery leaves without a report, so the checkpoint stays before it and
                // a restarted reader reads it again.
                if (item.Delivered)
                {
                    (delivered ??= []).Add(item.Container);
                }
            }

            if (released > 0)
            {
                stream.Items.RemoveRange(0, released);
                Count -= released;
            }

            if (stream.Items.Count == 0 && stream.Cursors.Count == 0)
            {
                (emptied ??= []).Add(streamId);
            }
        }

        foreach (var streamId in emptied ?? [])
        {
            _streams.Remove(streamId);
        }

        purgedItems = delivered;
        return delivered is not null;
    }

    private CachedStream StreamOf(StreamId streamId)
    {
        if (!_streams.TryGetValue(streamId, out var stream))
        {
            _streams[streamId] = stream = new CachedStream(streamId);
        }

        return stream;
    }
}

/// <summary>One warehouse's items held by a <see cref="JournalQueueCache"/>, and the cursors reading them.</summary>
internal sealed class CachedStream(StreamId streamId)
{
    public StreamId StreamId { get; } = streamId;

    /// <summary>In order of last sequence.</summary>
    public List<CachedJournalItem> Items { get; } = [];

    public List<JournalQueueCursor> Cursors { get; } = [];

    /// <summary>Delivered (or given up on), and no cursor of the warehouse still before it or delivering it.</summary>
    public bool IsReleasable(CachedJournalItem item) =>
        (item.Delivered || item.Failed) && Cursors.TrueForAll(c => c.PassedThrough >= item.LastSequence);
}

internal sealed class CachedJournalItem(JournalBatchContainer container)
{
    public JournalBatchContainer Container { get; } = container;

    public long LastSequence => Container.LastSequence;

    /// <summary>A consumer has processed it.</summary>
    public bool Delivered { get; set; }

    /// <summary>Its delivery failed for good; it is dropped without a report.</summary>
    public bool Failed { get; set; }
}
