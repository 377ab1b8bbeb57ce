namespace Distribution.Operations;

/// <summary>A transfer with units on the road, as the operations page draws it (a line from source to destination).</summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed record InTransitTransfer
{
    [Id(0)] public required string TransferId { get; init; }
    [Id(1)] public required string FromWarehouseId { get; init; }
    [Id(2)] public required string ToWarehouseId { get; init; }
    /// <summary>Shipped and not yet received, over every line; 0 means it is no longer in transit.</summary>
    [Id(3)] public int Units { get; init; }
    /// <summary>The latest line ETA of what has shipped.</summary>
    [Id(4)] public DateTimeOffset? Eta { get; init; }
    [Id(5)] public Transfers.TransferStatus Status { get; init; }
}

/// <summary>
/// The transfers in transit across the network (key <see cref="Key"/>), kept by the transfers
/// themselves: a transfer tells it where it stands after every shipment, receipt or cancellation,
/// so reading the list never walks the transfers.
/// </summary>
public interface ITransfersInTransitGrain : IGrainWithStringKey
{
    const string Key = "network";

    /// <summary>Records the transfer as it is now; one with nothing in transit leaves the list.</summary>
    Task Track(InTransitTransfer transfer);

    [ReadOnly, AlwaysInterleave]
    Task<IReadOnlyList<InTransitTransfer>> List();
}
