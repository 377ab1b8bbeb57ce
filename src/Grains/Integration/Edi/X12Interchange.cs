namespace Distribution.Integration.Edi;

/// <summary>The delimiters of an interchange, all taken from its ISA segment.</summary>
/// <param name="Repetition">ISA11 when it is a delimiter (version 00402 and later); null when ISA11 is the standards id <c>U</c>.</param>
public sealed record X12Separators(char Element, char? Repetition, char SubElement, char Segment)
{
    /// <summary>What the hub writes: none of these occur in its identifiers (letters, digits, '-', '_', '.', ':').</summary>
    public static readonly X12Separators Default = new('*', '^', '>', '~');
}

/// <summary>A party's interchange address: ISA05/ISA06 for the sender, ISA07/ISA08 for the receiver.</summary>
public sealed record X12Party(string Qualifier, string Id)
{
    public override string ToString() => $"{Qualifier}:{Id}";
}

/// <summary>A parsed interchange (ISA … IEA). Envelope errors below the interchange are kept on the group or set they concern.</summary>
public sealed record X12Interchange
{
    public required X12Separators Separators { get; init; }
    public required X12Segment Isa { get; init; }
    public required IReadOnlyList<X12FunctionalGroup> Groups { get; init; }

    public X12Party Sender => new(Isa[5], Isa[6].Trim());
    public X12Party Receiver => new(Isa[7], Isa[8].Trim());

    /// <summary>ISA13, nine digits.</summary>
    public string ControlNumber => Isa[13];

    /// <summary>ISA12, e.g. 00401.</summary>
    public string Version => Isa[12];

    /// <summary>ISA15: P production, T test.</summary>
    public string UsageIndicator => Isa[15];
}

/// <summary>A functional group (GS … GE).</summary>
public sealed record X12FunctionalGroup
{
    public required X12Segment Gs { get; init; }
    public required IReadOnlyList<X12TransactionSet> Sets { get; init; }

    /// <summary>What is wrong with the group's envelope (a group with errors is rejected whole).</summary>
    public IReadOnlyList<X12GroupErrorCode> Errors { get; init; } = [];

    /// <summary>GS01, e.g. PO for an 850.</summary>
    public string FunctionalId => Gs[1];

    /// <summary>GS06.</summary>
    public string ControlNumber => Gs[6];

    /// <summary>GS08, e.g. 004010.</summary>
    public string Version => Gs[8];

    /// <summary>GE01 as sent (null when the trailer is missing or not a number).</summary>
    public int? DeclaredSetCount { get; init; }
}

/// <summary>A transaction set (ST … SE): its body is the segments between them.</summary>
public sealed record X12TransactionSet
{
    public required X12Segment St { get; init; }
    public required IReadOnlyList<X12Segment> Body { get; init; }

    /// <summary>What is wrong with the set's envelope (a set with errors is rejected).</summary>
    public IReadOnlyList<X12SetErrorCode> Errors { get; init; } = [];

    /// <summary>ST01, e.g. 850.</summary>
    public string Id => St[1];

    /// <summary>ST02.</summary>
    public string ControlNumber => St[2];
}
