namespace Distribution.Integration.Edi;

/// <summary>Functional group error codes (X12 element 716, reported in AK905…AK909).</summary>
public enum X12GroupErrorCode
{
    NotSupported = 1,
    VersionNotSupported = 2,
    TrailerMissing = 3,
    ControlNumberMismatch = 4,
    SetCountMismatch = 5,
    ControlNumberInvalid = 6,
}

/// <summary>Transaction set error codes (X12 element 718, reported in AK502…AK506).</summary>
public enum X12SetErrorCode
{
    NotSupported = 1,
    TrailerMissing = 2,
    ControlNumberMismatch = 3,
    SegmentCountMismatch = 4,
    SegmentsInError = 5,
    IdentifierInvalid = 6,
    ControlNumberInvalid = 7,
    ControlNumberNotUnique = 23,
}

/// <summary>Segment error codes (X12 element 720, AK304).</summary>
public enum X12SegmentErrorCode
{
    UnrecognizedSegment = 1,
    UnexpectedSegment = 2,
    MandatorySegmentMissing = 3,
    LoopOverMaximum = 4,
    SegmentOverMaximumUse = 5,
    NotInTransactionSet = 6,
    OutOfSequence = 7,
    ElementErrors = 8,
}

/// <summary>Data element error codes (X12 element 723, AK403).</summary>
public enum X12ElementErrorCode
{
    MandatoryMissing = 1,
    ConditionalMissing = 2,
    TooManyElements = 3,
    TooShort = 4,
    TooLong = 5,
    InvalidCharacter = 6,
    InvalidCode = 7,
    InvalidDate = 8,
    InvalidTime = 9,
    ExclusionViolated = 10,
}

/// <summary>An element in error: its position in the segment (and component in a composite), as AK4 reports it.</summary>
public sealed record X12ElementError(int Position, X12ElementErrorCode Code, string Message, string? BadValue = null, int? Component = null);

/// <summary>A segment in error inside a transaction set (an AK3 with its AK4s).</summary>
/// <param name="Position">Counted from the set's ST (ST = 1); for a missing segment, where it was expected.</param>
public sealed record X12SegmentError(string SegmentId, int Position, X12SegmentErrorCode Code, string Message, IReadOnlyList<X12ElementError> Elements)
{
    public static X12SegmentError Element(X12Segment segment, int position, X12ElementErrorCode code, string message, string? badValue = null) =>
        new(segment.Id, segment.Position, X12SegmentErrorCode.ElementErrors, message, [new X12ElementError(position, code, message, badValue)]);

    public static X12SegmentError Missing(string segmentId, int position, string message) =>
        new(segmentId, position, X12SegmentErrorCode.MandatorySegmentMissing, message, []);

    /// <summary>Where the error is, as a problem+json field or a log line names it: <c>PO1[4].PO107</c>.</summary>
    public string Field => Elements.Count == 0
        ? $"{SegmentId}[{Position}]"
        : $"{SegmentId}[{Position}].{SegmentId}{Elements[0].Position:00}";
}

/// <summary>
/// The interchange itself cannot be read or its envelope does not hold together (a truncated or
/// malformed ISA, bad separators, IEA missing or not matching): nothing in it can be acknowledged
/// reliably, so it is refused whole. Names the segment (by its position from the ISA) and element.
/// </summary>
/// <param name="Note">The TA1 note code (TA105) that reports this error to the sender.</param>
public sealed record X12EnvelopeError(string SegmentId, int Position, int? Element, string Message, X12InterchangeNote Note = X12InterchangeNote.InvalidControlStructure)
{
    /// <summary>The field a problem+json names, e.g. <c>ISA13</c> or <c>IEA01</c>.</summary>
    public string Field => Element is { } e ? $"{SegmentId}{e:00}" : SegmentId;
}

/// <summary>
/// Interchange note codes (X12 element I18, TA105): what a TA1 says of the interchange envelope.
/// Only those the hub reports are listed.
/// </summary>
public enum X12InterchangeNote
{
    NoError = 0,
    /// <summary>ISA13 and IEA02 differ.</summary>
    ControlNumberMismatch = 1,
    /// <summary>IEA01 is not the number of functional groups.</summary>
    InvalidGroupCount = 21,
    /// <summary>Segments out of place: something other than GS … GE groups and the IEA, or no group at all.</summary>
    InvalidControlStructure = 22,
    /// <summary>The interchange ends before its IEA (a segment without terminator, no trailer).</summary>
    PrematureEnd = 23,
    /// <summary>A segment that is not X12 (its id unreadable) or a GS without its mandatory elements.</summary>
    InvalidContent = 24,
}

/// <summary>
/// The parser's answer: the interchange, or why it could not be read. When the ISA itself was read
/// but the envelope behind it is broken, <paramref name="Isa"/> holds it, so the sender can be
/// answered with a TA1.
/// </summary>
public sealed record X12ParseResult(X12Interchange? Interchange, X12EnvelopeError? Error, X12Segment? Isa = null)
{
    public bool Succeeded => Interchange is not null;
}
