using Orleans.Streams;

namespace Distribution.Events.Streaming;

/// <summary>
/// A consumer's position in its warehouse's items of a <see cref="JournalQueueCache"/>.
/// <see cref="MoveNextWithResult"/> hands out every item waiting for the consumer (up to the merge limit) as
/// one container, so a backlog is applied in few steps. The agent asks for the next item only once
/// the previous one was delivered, so each call to <see cref="MoveNext"/> first confirms what the
/// previous call handed out (or, after <see cref="RecordDeliveryFailure"/>, gives up on it). That is
/// also why the agent must deliver one cache item at a time (<c>BatchContainerBatchSize</c> 1): its
/// own batching moves the cursor several times before delivering.
/// When the agent re-opens a cursor at a token it has processed and moves it until it passes that
/// token, a merged item counts as passed only if it ends at the token, so it holds nothing newer:
/// anything handed out that reaches beyond the token is delivered again, never skipped.
/// </summary>
internal sealed class JournalQueueCursor(CachedStream stream, long passedThrough, int mergeLimit) : IQueueCacheCursor
{
    private readonly List<CachedJournalItem> _handedOut = [];
    private JournalBatchContainer? _current;
    private bool _failed;

    /// <summary>The last sequence this cursor is done with: delivered, given up on, or before its start.</summary>
    public long PassedThrough { get; private set; } = passedThrough;

    public IBatchContainer? GetCurrent(out Exception? exception)
    {
        exception = null;
        return _current;
    }

    public QueueCacheCursorMoveResult MoveNextWithResult() =>
        Advance() ? QueueCacheCursorMoveResult.Success : QueueCacheCursorMoveResult.NoData;

    [Obsolete("Use MoveNextWithResult instead.")]
    public bool MoveNext() => Advance();

    private bool Advance()
    {
        ConfirmHandedOut();
        foreach (var item in stream.Items)
        {
            if (item.LastSequence <= PassedThrough)
            {
                continue;
            }

            _handedOut.Add(item);
            if (_handedOut.Count >= mergeLimit)
            {
                break;
            }
        }

        _current = _handedOut.Count switch
        {
            0 => null,
            1 => _handedOut[0].Container,
            _ => JournalBatchContainer.Merge(stream.StreamId, _handedOut.Select(i => i.Container)),
        };
        return _current is not null;
    }

    // New items are appended to the warehouse's list, which the cursor reads on every MoveNext.
    public void Refresh(StreamSequenceToken token)
    {
    }

    public void RecordDeliveryFailure() => _failed = _handedOut.Count > 0;

    public void Dispose()
    {
        // Handed out and not confirmed: left for another cursor of the warehouse (the agent opens a
        // new one at the oldest held item when a cursor fails), unless the delivery failed.
        if (_failed)
        {
            ConfirmHandedOut();
        }

        stream.Cursors.Remove(this);
        _current = null;
    }

    private void ConfirmHandedOut()
    {
        if (_handedOut.Count == 0)
        {
            return;
        }

        foreach (var item in _handedOut)
        {
            if (_failed)
            {
                item.Failed = true;
            }
            else
            {
                item.Delivered = true;
            }
        }

        PassedThrough = _handedOut[^1].LastSequence;
        _handedOut.Clear();
        _failed = false;
    }
}
