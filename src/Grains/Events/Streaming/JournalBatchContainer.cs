using Orleans.Providers.Streams.Common;
using Orleans.Streams;

namespace Distribution.Events.Streaming;

/// <summary>
/// One warehouse's entries of one journal read, in journal order, delivered to its stream as one
/// item. Other warehouses' entries may lie between them; the token is the last sequence.
/// </summary>
[GenerateSerializer]
public sealed class JournalBatchContainer : IBatchContainer
{
    public JournalBatchContainer(StreamId streamId, WarehouseEventBatch batch)
    {
        StreamId = streamId;
        Batch = batch;
        Token = new EventSequenceTokenV2(batch.Events[^1].Sequence);
    }

    /// <summary>Several containers of one warehouse as one, in journal order (a cursor's waiting items).</summary>
    public static JournalBatchContainer Merge(StreamId streamId, IEnumerable<JournalBatchContainer> containers) =>
        new(streamId, WarehouseEventBatch.Concat(containers.Select(c => c.Batch)));

    [Id(0)] public StreamId StreamId { get; }

    [Id(1)] public WarehouseEventBatch Batch { get; }

    [Id(2)] public EventSequenceTokenV2 Token { get; }

    public StreamSequenceToken SequenceToken => Token;

    /// <summary>The first journal sequence in the container.</summary>
    public long FirstSequence => Batch.Events[0].Sequence;

    /// <summary>The last journal sequence in the container.</summary>
    public long LastSequence => Batch.Events[^1].Sequence;

    public IEnumerable<Tuple<T, StreamSequenceToken>> GetEvents<T>() =>
        Batch is T item ? [Tuple.Create<T, StreamSequenceToken>(item, Token)] : [];

    // Correlation ids travel inside each event, not in the request context.
    public bool ImportRequestContext() => false;
}
