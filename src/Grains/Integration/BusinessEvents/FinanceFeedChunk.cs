namespace Distribution.Integration.BusinessEvents;

/// <summary>
/// Stored entries of the finance feed numbered <c>Index * size + 1</c> to <c>(Index + 1) * size</c>
/// (the feed's chunk size): one stored row for many movements. Immutable; an append stores a new one.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record FinanceFeedChunk
{
    [Id(0)] public long Index { get; init; }

    [Id(1)] public required FinanceFeedEntry[] Entries { get; init; }
}
