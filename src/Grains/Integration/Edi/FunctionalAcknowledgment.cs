using System.Globalization;

namespace Distribution.Integration.Edi;

/// <summary>What became of one received transaction set: accepted, or rejected with its envelope codes and the segments in error.</summary>
public sealed record X12SetOutcome(string SetId, string ControlNumber, IReadOnlyList<X12SetErrorCode> Errors, IReadOnlyList<X12SegmentError> SegmentErrors)
{
    public bool Accepted => Errors.Count == 0 && SegmentErrors.Count == 0;

    public static X12SetOutcome Accept(X12TransactionSet set) => new(set.Id, set.ControlNumber, [], []);

    public static X12SetOutcome Reject(X12TransactionSet set, IReadOnlyList<X12SetErrorCode> errors, IReadOnlyList<X12SegmentError> segmentErrors) =>
        new(set.Id, set.ControlNumber, errors, segmentErrors);
}

/// <summary>What became of one received functional group: its envelope errors and each set's outcome.</summary>
public sealed record X12GroupOutcome(X12FunctionalGroup Group, IReadOnlyList<X12SetOutcome> Sets)
{
    /// <summary>A group whose envelope is broken is rejected whole: none of its sets was applied.</summary>
    public bool EnvelopeRejected => Group.Errors.Count > 0;

    public int AcceptedSets => EnvelopeRejected ? 0 : Sets.Count(s => s.Accepted);
}

/// <summary>
/// Builds 997 functional acknowledgments (pure), 4010 style: per received group an AK1, per set an
/// AK2 with AK3 (segment id, position from ST, syntax error code) and AK4 (element position, error
/// code, a copy of the bad value) for each error, and AK5 (A or R with its codes); AK9 says A (all
/// accepted), P (some) or R (none) with the counts. The 5010 IK3/IK4/IK5 names are not used.
/// </summary>
public static class FunctionalAcknowledgment
{
    public const string SetId = "997";
    public const string FunctionalId = "FA";

    /// <summary>The 997 interchange answering <paramref name="received"/>: sender and receiver swapped, one 997 per received group.</summary>
    public static X12OutgoingInterchange For(X12Interchange received, IReadOnlyList<X12GroupOutcome> groups, int controlNumber, DateTimeOffset at)
    {
        var sets = new List<X12OutgoingSet>(groups.Count);
        for (var i = 0; i < groups.Count; i++)
        {
            sets.Add(new X12OutgoingSet(SetId, i + 1, Body(groups[i], received.Separators.SubElement)));
        }

        var first = received.Groups[0].Gs;
        return new X12OutgoingInterchange(
            received.Receiver, received.Sender, controlNumber, at,
            [new X12OutgoingGroup(FunctionalId, first[3], first[2], controlNumber, "004010", sets)],
            Test: received.UsageIndicator == "T",
            // The envelope held together (it was parsed): a TA1 asked for says so, ahead of the 997.
            InterchangeAcknowledgments: InterchangeAcknowledgment.Requested(received.Isa)
                ? [InterchangeAcknowledgment.For(received.Isa, X12InterchangeNote.NoError)]
                : null);
    }

    /// <summary>The body of one 997 (AK1 … AK9) for one received group.</summary>
    public static IReadOnlyList<X12Segment> Body(X12GroupOutcome outcome, char subElementSeparator = '>')
    {
        var group = outcome.Group;
        var body = new List<X12Segment> { new("AK1", group.FunctionalId, group.ControlNumber) };
        foreach (var set in outcome.Sets)
        {
            body.Add(new("AK2", set.SetId, set.ControlNumber));
            foreach (var segment in set.SegmentErrors)
            {
                body.Add(new("AK3", segment.SegmentId, Number(segment.Position), "", Code(segment.Code)));
                foreach (var element in segment.Elements)
                {
                    var position = element.Component is { } c ? $"{element.Position}>{c}" : Number(element.Position);
                    body.Add(new("AK4", position, "", Code(element.Code), Printable(element.BadValue, subElementSeparator)));
                }
            }

            var codes = set.Errors.Count > 0 || set.SegmentErrors.Count == 0
                ? set.Errors.Select(Code)
                : [Code(X12SetErrorCode.SegmentsInError)];
            var accepted = set.Accepted && !outcome.EnvelopeRejected;
            body.Add(new("AK5", [accepted ? "A" : "R", .. codes.Take(5)]));
        }

        var received = outcome.Sets.Count;
        var acceptedCount = outcome.AcceptedSets;
        var status = acceptedCount == received && !outcome.EnvelopeRejected && received > 0 ? "A" : acceptedCount == 0 ? "R" : "P";
        body.Add(new("AK9", [status, Number(group.DeclaredSetCount ?? received), Number(received), Number(acceptedCount), .. group.Errors.Take(5).Select(Code)]));
        return body;
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Code<T>(T code) where T : struct, Enum => Convert.ToInt32(code, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);

    // AK404 copies the bad value; one holding a delimiter or too long for the element is left out.
    private static string Printable(string? value, char subElementSeparator) =>
        value is null || value.Length > 99 || value.AsSpan().IndexOfAny(['*', '~', '^', '>', subElementSeparator, '\r', '\n']) >= 0 ? "" : value;
}
