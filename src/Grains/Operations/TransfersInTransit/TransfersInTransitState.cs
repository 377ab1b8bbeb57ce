namespace Distribution.Operations;

/// <summary>Stored state of the in-transit index: transfer id → where it stands.</summary>
[GenerateSerializer]
public sealed class TransfersInTransitState
{
    [Id(0)] public Dictionary<string, InTransitTransfer> Transfers { get; set; } = new(StringComparer.Ordinal);
}
