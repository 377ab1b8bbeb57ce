using Orleans.Providers.Streams.Common;
using Orleans.Streams;

namespace Distribution.Events.Streaming;

/// <summary>Consecutive journal entries of one warehouse, delivered to its stream as one item.</summary>
[GenerateSerializer]
public sealed class JournalBatchContainer : IBatchContainer
{
    public JournalBatchContainer(StreamId streamId, WarehouseEventBatch batch)
    {
        StreamId = streamId;
        Batch = batch;
        Token = new EventSequenceTokenV2(batch.Events[^1].Sequence);
    }

    [Id(0)] public StreamId StreamId { get; }

    [Id(1)] public WarehouseEventBatch Batch { get; }

    [Id(2)] public EventSequenceTokenV2 Token { get; }

    public StreamSequenceToken SequenceToken => Token;

    /// <summary>The last journal sequence in the container.</summary>
    public long LastSequence => Batch.Events[^1].Sequence;

    public IEnumerable<Tuple<T, StreamSequenceToken>> GetEvents<T>() =>
        Batch is T item ? [Tuple.Create<T, StreamSequenceToken>(item, Token)] : [];

    // Correlation ids travel inside each event, not in the request context.
    public bool ImportRequestContext() => false;
}
