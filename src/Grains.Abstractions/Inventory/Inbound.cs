namespace Distribution.Inventory;

/// <summary>What brings stock towards a SKU-location.</summary>
public enum InboundSourceKind
{
    Transfer = 0,
    PurchaseOrder = 1,
}

/// <summary>
/// Units on their way to a SKU-location from one source (a transfer in transit, a purchase order
/// shipped by its supplier), with when they are expected. Never counted as available.
/// </summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed record InboundEntry
{
    [Id(0)] public InboundSourceKind SourceKind { get; init; }
    [Id(1)] public required string SourceId { get; init; }
    [Id(2)] public int Quantity { get; init; }
    [Id(3)] public DateTimeOffset Eta { get; init; }
    /// <summary>Units of <see cref="Quantity"/> already promised to orders (set by the SKU-location in its reports; sources leave it 0).</summary>
    [Id(4)] public int Promised { get; init; }

    /// <summary>Units still free to promise.</summary>
    public int Free => Math.Max(0, Quantity - Promised);

    public string Source => InboundSources.Format(SourceKind, SourceId);
}
