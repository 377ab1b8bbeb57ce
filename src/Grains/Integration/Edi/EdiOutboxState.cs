namespace Distribution.Integration.Edi;

/// <summary>Stored state of one partner's outbox.</summary>
[GenerateSerializer]
public sealed class EdiOutboxState
{
    /// <summary>The last interchange control number handed out.</summary>
    [Id(0)] public int LastControlNumber { get; set; }
    [Id(1)] public List<EdiOutboundDocument> Documents { get; set; } = [];
}
