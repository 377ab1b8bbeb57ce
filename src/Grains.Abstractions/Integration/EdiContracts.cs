using Distribution.Common;

namespace Distribution.Integration;

public enum EdiReceiptOutcome
{
    /// <summary>Processed now; the 997 says what was accepted.</summary>
    Acknowledged = 0,
    /// <summary>The same interchange (sender and control number, same content) was processed before: the stored 997, nothing done again.</summary>
    Replayed = 1,
    /// <summary>The sender used this control number before for another interchange: nothing done.</summary>
    Conflict = 2,
    /// <summary>The interchange could not be read or its sender is unknown: nothing done, no 997.</summary>
    Refused = 3,
    /// <summary>The hub is behind applying warehouse events: nothing done; send the same interchange again later.</summary>
    Busy = 4,
    /// <summary>The interchange envelope is broken (its ISA was read, the sender is known): answered with a TA1 rejection; nothing done, nothing stored.</summary>
    InterchangeRejected = 5,
}

[GenerateSerializer, Immutable]
public sealed record EdiReceipt(
    [property: Id(0)] EdiReceiptOutcome Outcome,
    [property: Id(1)] string? Acknowledgment,
    [property: Id(2)] IReadOnlyList<FieldError> Errors,
    [property: Id(3)] TimeSpan? RetryAfter = null);

/// <summary>
/// One received interchange (key <c>{ISA05}:{ISA06}|{ISA13}</c>): processes it once, stores the 997
/// it answered, and answers a repeat with that same 997.
/// </summary>
public interface IEdiInterchangeGrain : IGrainWithStringKey
{
    Task<EdiReceipt> Receive(string interchange);
}

/// <summary>A document the hub generated for a partner.</summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed record EdiOutboundDocument
{
    [Id(0)] public int ControlNumber { get; init; }
    /// <summary>The transaction set (997, 855, 940, 850), or TA1 for an interchange rejection.</summary>
    [Id(1)] public required string SetId { get; init; }
    /// <summary>What it is about (an order, purchase order or received interchange id).</summary>
    [Id(2)] public required string Reference { get; init; }
    [Id(3)] public DateTimeOffset CreatedAt { get; init; }
    [Id(4)] public required string Interchange { get; init; }
}

/// <summary>
/// One partner's outbound side (key: the partner id): the interchange control numbers the hub
/// sends it from, and the documents generated for it, newest last.
/// </summary>
public interface IEdiOutboxGrain : IGrainWithStringKey
{
    /// <summary>The next interchange control number (1 … 999,999,999, then 1 again), stored before it is handed out.</summary>
    Task<int> NextControlNumber();

    /// <summary>Keeps a generated document, unless one with the same set and reference is kept already; returns the one kept.</summary>
    Task<EdiOutboundDocument> Add(EdiOutboundDocument document);

    [ReadOnly]
    Task<IReadOnlyList<EdiOutboundDocument>> List();

    /// <summary>Whether a document of <paramref name="setId"/> about <paramref name="reference"/> is kept.</summary>
    [ReadOnly]
    Task<bool> Holds(string setId, string reference);

    /// <summary>Whether any document of <paramref name="setId"/> whose reference starts with <paramref name="referencePrefix"/> is kept.</summary>
    [ReadOnly]
    Task<bool> HoldsAny(string setId, string referencePrefix);
}

/// <summary>
/// The EDI outbound writer (one activation, key 0): a business event consumer that writes 940s to
/// 3PL partners for allocated orders and 850s to supplier partners for sent purchase orders.
/// </summary>
public interface IEdiOutboundGrain : BusinessEvents.IBusinessEventConsumer, IGrainWithIntegerKey
{
}

/// <summary>
/// The door of inbound X12 (stateless, any silo): reads the envelope to find the interchange's
/// sender and control number and hands it to that interchange's grain.
/// </summary>
public interface IEdiInboxGrain : IGrainWithIntegerKey
{
    Task<EdiReceipt> Receive(string interchange);
}
