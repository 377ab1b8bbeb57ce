namespace Distribution.Integration.Edi;

/// <summary>Stored state of one received interchange: what it was and the 997 it was answered with.</summary>
[GenerateSerializer]
public sealed class EdiInterchangeState
{
    /// <summary>SHA-256 of the interchange's text: the same control number with other content is a conflict.</summary>
    [Id(0)] public string? Fingerprint { get; set; }
    [Id(1)] public string? Acknowledgment { get; set; }
    [Id(2)] public string? PartnerId { get; set; }
    [Id(3)] public DateTimeOffset ReceivedAt { get; set; }
}
