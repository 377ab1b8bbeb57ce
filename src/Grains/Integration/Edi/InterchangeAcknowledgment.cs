using System.Globalization;

namespace Distribution.Integration.Edi;

/// <summary>
/// TA1 interchange acknowledgments (pure): what the hub says of a received interchange's envelope.
/// <c>TA1*{ISA13}*{ISA09}*{ISA10}*{A|R}*{note}</c>: A with note 000 when the sender asked for it
/// (ISA14 = 1) and the envelope holds together (the TA1 then rides in the 997's interchange, before
/// its group); R with the note code when the envelope is broken (alone in an interchange of its
/// own: IEA01 = 0).
/// </summary>
public static class InterchangeAcknowledgment
{
    public const string SegmentId = "TA1";

    /// <summary>Whether the sender asked for a TA1 (ISA14 = 1).</summary>
    public static bool Requested(X12Segment isa) => isa[14] == "1";

    /// <summary>The TA1 answering the interchange whose ISA is <paramref name="isa"/>.</summary>
    public static X12Segment For(X12Segment isa, X12InterchangeNote note) =>
        new(SegmentId, isa[13], isa[9], isa[10], note == X12InterchangeNote.NoError ? "A" : "R",
            ((int)note).ToString("D3", CultureInfo.InvariantCulture));

    /// <summary>
    /// The interchange rejecting a broken one: from the hub's address as the sender wrote it
    /// (ISA07/ISA08) back to the sender (ISA05/ISA06), holding only the TA1.
    /// </summary>
    public static X12OutgoingInterchange Rejection(X12Segment isa, X12InterchangeNote note, int controlNumber, DateTimeOffset at) =>
        new(new X12Party(isa[7], isa[8].Trim()), new X12Party(isa[5], isa[6].Trim()), controlNumber, at, [],
            Test: isa[15] == "T", InterchangeAcknowledgments: [For(isa, note)]);
}
