namespace Distribution.Integration.BusinessEvents;

/// <summary>
/// The finance feed (key 0): shipments, receipts, adjustments and transfer movements in the order
/// they were applied, each with a sequence number that is its cursor. An ERP reads it page by page
/// and keeps the last cursor it posted. The warehouse event consumers call <see cref="IBusinessEventConsumer.Consume"/>
/// with their batches' movements (at least once; an event id seen before is not appended again).
/// </summary>
public interface IFinanceFeedGrain : IBusinessEventConsumer, IGrainWithIntegerKey
{
    [ReadOnly, AlwaysInterleave]
    Task<FinanceFeedPage> Read(long after, int limit);
}

[GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed record FinanceFeedEntry
{
    /// <summary>Position in the feed (1, 2, ...): the cursor of this entry.</summary>
    [Id(0)] public long Sequence { get; init; }
    [Id(1)] public required BusinessEvent Event { get; init; }
}

[GenerateSerializer, Immutable]
public sealed record FinanceFeedPage(
    [property: Id(0)] IReadOnlyList<FinanceFeedEntry> Items,
    /// <summary>The cursor to ask after next time (the last item's, or the one asked after when empty).</summary>
    [property: Id(1)] long Next,
    [property: Id(2)] bool HasMore);
