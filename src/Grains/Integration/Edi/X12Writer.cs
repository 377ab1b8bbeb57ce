using System.Globalization;
using System.Text;

namespace Distribution.Integration.Edi;

/// <summary>A transaction set to write: its id (ST01), control number (ST02) and body (between ST and SE).</summary>
public sealed record X12OutgoingSet(string Id, int ControlNumber, IReadOnlyList<X12Segment> Body);

/// <summary>A functional group to write (GS01 functional id, GS02/GS03 application codes, GS06, GS08).</summary>
public sealed record X12OutgoingGroup(string FunctionalId, string ApplicationSender, string ApplicationReceiver, int ControlNumber, string Version, IReadOnlyList<X12OutgoingSet> Sets);

/// <summary>The envelope of an interchange to write.</summary>
/// <param name="InterchangeAcknowledgments">TA1 segments, written after the ISA and before any group (IEA01 counts groups only).</param>
public sealed record X12OutgoingInterchange(
    X12Party Sender,
    X12Party Receiver,
    int ControlNumber,
    DateTimeOffset At,
    IReadOnlyList<X12OutgoingGroup> Groups,
    bool Test = false,
    string Version = "00401",
    IReadOnlyList<X12Segment>? InterchangeAcknowledgments = null);

/// <summary>
/// Writes interchanges (pure): ISA with its fixed widths, GS/ST … SE/GE/IEA with the counts and
/// control numbers filled in, one segment per line. X12 has no escape character, so a value that
/// contains a delimiter is refused rather than written into a document its reader would split wrongly.
/// </summary>
public static class X12Writer
{
    public const int MaxControlNumber = 999_999_999;

    public static string Write(X12OutgoingInterchange interchange, X12Separators? separators = null)
    {
        ArgumentNullException.ThrowIfNull(interchange);
        var s = separators ?? X12Separators.Default;
        CheckControlNumber(interchange.ControlNumber, "interchange");
        var utc = interchange.At.ToUniversalTime();
        var b = new StringBuilder(256);
        var control = interchange.ControlNumber.ToString("D9", CultureInfo.InvariantCulture);
        string[] isa =
        [
            "00", Pad("", 10), "00", Pad("", 10),
            Fixed(interchange.Sender.Qualifier, 2, "ISA05"), Fixed(interchange.Sender.Id, 15, "ISA06"),
            Fixed(interchange.Receiver.Qualifier, 2, "ISA07"), Fixed(interchange.Receiver.Id, 15, "ISA08"),
            utc.ToString("yyMMdd", CultureInfo.InvariantCulture), utc.ToString("HHmm", CultureInfo.InvariantCulture),
            s.Repetition is { } r && string.CompareOrdinal(interchange.Version, "00402") >= 0 ? r.ToString() : "U",
            interchange.Version, control, "0", interchange.Test ? "T" : "P", s.SubElement.ToString(),
        ];
        AppendSegment(b, s, "ISA", isa, checkDelimiters: false);
        foreach (var ta1 in interchange.InterchangeAcknowledgments ?? [])
        {
            AppendSegment(b, s, ta1.Id, ta1.Elements);
        }

        foreach (var group in interchange.Groups)
        {
            CheckControlNumber(group.ControlNumber, "group");
            var groupControl = group.ControlNumber.ToString(CultureInfo.InvariantCulture);
            AppendSegment(b, s, "GS",
            [
                group.FunctionalId, group.ApplicationSender, group.ApplicationReceiver,
                utc.ToString("yyyyMMdd", CultureInfo.InvariantCulture), utc.ToString("HHmm", CultureInfo.InvariantCulture),
                groupControl, "X", group.Version,
            ]);
            foreach (var set in group.Sets)
            {
                CheckControlNumber(set.ControlNumber, "transaction set");
                var setControl = set.ControlNumber.ToString("D4", CultureInfo.InvariantCulture);
                AppendSegment(b, s, "ST", [set.Id, setControl]);
                foreach (var segment in set.Body)
                {
                    AppendSegment(b, s, segment.Id, segment.Elements);
                }

                AppendSegment(b, s, "SE", [(set.Body.Count + 2).ToString(CultureInfo.InvariantCulture), setControl]);
            }

            AppendSegment(b, s, "GE", [group.Sets.Count.ToString(CultureInfo.InvariantCulture), groupControl]);
        }

        AppendSegment(b, s, "IEA", [interchange.Groups.Count.ToString(CultureInfo.InvariantCulture), control]);
        return b.ToString();
    }

    private static void AppendSegment(StringBuilder b, X12Separators s, string id, IReadOnlyList<string> elements, bool checkDelimiters = true)
    {
        // Trailing empty elements are dropped, as X12 requires.
        var count = elements.Count;
        while (count > 0 && string.IsNullOrEmpty(elements[count - 1]))
        {
            count--;
        }

        b.Append(id);
        for (var i = 0; i < count; i++)
        {
            var value = elements[i] ?? "";
            if (checkDelimiters && value.AsSpan().IndexOfAny([s.Element, s.SubElement, s.Segment, s.Repetition ?? s.Element, '\r', '\n']) >= 0)
            {
                throw new ArgumentException($"{id}{i + 1:00} ('{value}') contains an X12 delimiter or line break and cannot be written");
            }

            b.Append(s.Element).Append(value);
        }

        b.Append(s.Segment).Append('\n');
    }

    private static string Fixed(string value, int width, string element) =>
        value.Length > width
            ? throw new ArgumentException($"{element} ('{value}') is longer than its {width} characters")
            : Pad(value, width);

    private static string Pad(string value, int width) => value.PadRight(width);

    private static void CheckControlNumber(int value, string what)
    {
        if (value is < 1 or > MaxControlNumber)
        {
            throw new ArgumentOutOfRangeException(nameof(value), $"the {what} control number must be 1-{MaxControlNumber}");
        }
    }
}
