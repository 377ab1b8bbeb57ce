using System.Globalization;

namespace Distribution.Integration.Edi;

/// <summary>
/// A strict reader of X12 interchanges (pure). The delimiters come from the fixed-width ISA: the
/// element separator is its 4th character, the repetition separator ISA11 (when not the standards
/// id <c>U</c>), the sub-element separator ISA16 and the segment terminator the character after it.
/// A line break after a segment terminator is tolerated. Control numbers must match
/// (ISA13 = IEA02, GS06 = GE02, ST02 = SE02) and counts must be right (SE01 segments, GE01 sets,
/// IEA01 groups). Errors of a group or set stay on it (a 997 reports them); errors of the
/// interchange envelope refuse it whole, with the TA1 note code that reports them and, when the
/// ISA could be read, that ISA (to address the TA1).
/// </summary>
public static class X12Parser
{
    /// <summary>The ISA segment's fixed length, its terminator included.</summary>
    public const int IsaLength = 106;

    // Element widths of ISA01…ISA16 (fixed in every X12 version).
    private static readonly int[] IsaWidths = [2, 10, 2, 10, 2, 15, 2, 15, 6, 4, 1, 5, 9, 1, 1, 1];

    public static X12ParseResult Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var start = 0;
        while (start < text.Length && char.IsWhiteSpace(text[start]))
        {
            start++;
        }

        if (ReadIsa(text, start, out var separators, out var isa) is { } isaError)
        {
            return new(null, isaError);
        }

        if (SplitSegments(text, start + IsaLength, separators!, out var segments) is { } splitError)
        {
            return new(null, splitError, isa);
        }

        var result = Envelope(separators!, isa!, segments);
        return result.Succeeded ? result : result with { Isa = isa };
    }

    private static X12EnvelopeError? ReadIsa(string text, int start, out X12Separators? separators, out X12Segment? isa)
    {
        separators = null;
        isa = null;
        if (text.Length - start < 4 || string.CompareOrdinal(text, start, "ISA", 0, 3) != 0)
        {
            return new("ISA", 1, null, "the interchange must start with an ISA segment");
        }

        if (text.Length - start < IsaLength)
        {
            return new("ISA", 1, null, $"the ISA segment is truncated: it is {IsaLength} characters long, {text.Length - start} were sent");
        }

        var element = text[start + 3];
        if (char.IsAsciiLetterOrDigit(element) || char.IsWhiteSpace(element))
        {
            return new("ISA", 1, null, $"the element separator (the ISA's 4th character) must not be a letter, digit or space; it is '{element}'");
        }

        var values = new string[16];
        var at = start + 3;
        for (var i = 0; i < 16; i++)
        {
            if (text[at] != element)
            {
                return new("ISA", 1, i + 1, $"ISA{i + 1:00} must start at character {at - start + 1} after an element separator '{element}': the ISA is fixed-width ({IsaLength} characters)");
            }

            values[i] = text.Substring(at + 1, IsaWidths[i]);
            at += 1 + IsaWidths[i];
        }

        var segment = text[at];
        var subElement = values[15][0];
        char? repetition = char.IsAsciiLetterOrDigit(values[10][0]) ? null : values[10][0];
        if (char.IsAsciiLetterOrDigit(segment) || segment == ' ')
        {
            return new("ISA", 1, null, $"the segment terminator (the character after ISA16) must not be a letter, digit or space; it is '{segment}'");
        }

        if (char.IsAsciiLetterOrDigit(subElement) || subElement == ' ')
        {
            return new("ISA", 1, 16, $"the sub-element separator must not be a letter, digit or space; it is '{subElement}'");
        }

        char[] delimiters = repetition is { } r ? [element, r, subElement, segment] : [element, subElement, segment];
        if (delimiters.Distinct().Count() != delimiters.Length)
        {
            return new("ISA", 1, null, "the element separator, repetition separator (ISA11), sub-element separator (ISA16) and segment terminator must all differ");
        }

        if (!IsDigits(values[8], 6) || !DateOnly.TryParseExact(values[8], "yyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            return new("ISA", 1, 9, "ISA09 must be a date YYMMDD");
        }

        if (!IsDigits(values[9], 4) || !TimeOnly.TryParseExact(values[9], "HHmm", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            return new("ISA", 1, 10, "ISA10 must be a time HHMM");
        }

        if (!IsDigits(values[11], 5))
        {
            return new("ISA", 1, 12, "ISA12 (version) must be five digits, e.g. 00401");
        }

        if (!IsDigits(values[12], 9))
        {
            return new("ISA", 1, 13, "ISA13 (interchange control number) must be nine digits");
        }

        if (values[13] is not ("0" or "1"))
        {
            return new("ISA", 1, 14, "ISA14 (acknowledgment requested) must be 0 or 1");
        }

        if (values[14] is not ("P" or "T"))
        {
            return new("ISA", 1, 15, "ISA15 (usage) must be P or T");
        }

        if (values[5].Trim().Length == 0)
        {
            return new("ISA", 1, 6, "ISA06 (sender id) is required");
        }

        if (values[7].Trim().Length == 0)
        {
            return new("ISA", 1, 8, "ISA08 (receiver id) is required");
        }

        separators = new X12Separators(element, repetition, subElement, segment);
        isa = new X12Segment("ISA", 1, values);
        return null;
    }

    private static X12EnvelopeError? SplitSegments(string text, int from, X12Separators separators, out List<X12Segment> segments)
    {
        segments = [];
        var position = 1;
        var at = SkipLineBreak(text, from, separators);
        while (at < text.Length)
        {
            var end = text.IndexOf(separators.Segment, at);
            if (end < 0)
            {
                if (string.IsNullOrWhiteSpace(text[at..]))
                {
                    break;
                }

                return new(Head(text[at..], separators), position + 1, null, $"the interchange is truncated: the segment after position {position} has no segment terminator '{separators.Segment}'", X12InterchangeNote.PrematureEnd);
            }

            position++;
            var raw = text[at..end];
            var parts = raw.Split(separators.Element);
            var id = parts[0];
            if (id.Length is < 2 or > 3 || !id.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c)))
            {
                return new(id.Length > 3 ? id[..3] : id, position, null,
                    $"segment {position} has no valid segment id ('{Shorten(id)}'): the separators in the ISA may not be the ones the interchange uses", X12InterchangeNote.InvalidContent);
            }

            segments.Add(new X12Segment(id, position, parts[1..]));
            at = SkipLineBreak(text, end + 1, separators);
        }

        return null;
    }

    private static X12ParseResult Envelope(X12Separators separators, X12Segment isa, List<X12Segment> segments)
    {
        var groups = new List<X12FunctionalGroup>();
        var i = 0;
        while (i < segments.Count && segments[i].Id == "GS")
        {
            var gs = segments[i];
            if (gs[1].Length == 0 || gs[6].Length == 0)
            {
                return Fail(gs, gs[1].Length == 0 ? 1 : 6, "GS01 (functional id) and GS06 (group control number) are required", X12InterchangeNote.InvalidContent);
            }

            var sets = new List<X12TransactionSet>();
            i++;
            while (i < segments.Count && segments[i].Id == "ST")
            {
                var st = segments[i];
                var body = new List<X12Segment>();
                var stIndex = i;
                i++;
                while (i < segments.Count && segments[i].Id is not ("SE" or "ST" or "GE" or "GS" or "IEA"))
                {
                    body.Add(Relative(segments[i], stIndex));
                    i++;
                }

                var setErrors = new List<X12SetErrorCode>();
                if (!IsDigits(st[1], 3))
                {
                    setErrors.Add(X12SetErrorCode.IdentifierInvalid);
                }

                if (st[2].Length is < 4 or > 9 || !st[2].All(char.IsAsciiDigit))
                {
                    setErrors.Add(X12SetErrorCode.ControlNumberInvalid);
                }
                else if (sets.Any(s => s.ControlNumber == st[2]))
                {
                    setErrors.Add(X12SetErrorCode.ControlNumberNotUnique);
                }

                if (i < segments.Count && segments[i].Id == "SE")
                {
                    var se = segments[i];
                    if (se[2] != st[2])
                    {
                        setErrors.Add(X12SetErrorCode.ControlNumberMismatch);
                    }

                    // SE01 counts the segments from ST to SE, both included.
                    if (!int.TryParse(se[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count != body.Count + 2)
                    {
                        setErrors.Add(X12SetErrorCode.SegmentCountMismatch);
                    }

                    i++;
                }
                else
                {
                    setErrors.Add(X12SetErrorCode.TrailerMissing);
                }

                sets.Add(new X12TransactionSet { St = Relative(st, stIndex), Body = body, Errors = setErrors });
            }

            var groupErrors = new List<X12GroupErrorCode>();
            int? declared = null;
            if (!IsNumber(gs[6], 9))
            {
                groupErrors.Add(X12GroupErrorCode.ControlNumberInvalid);
            }

            if (i < segments.Count && segments[i].Id == "GE")
            {
                var ge = segments[i];
                if (ge[2] != gs[6])
                {
                    groupErrors.Add(X12GroupErrorCode.ControlNumberMismatch);
                }

                if (int.TryParse(ge[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count))
                {
                    declared = count;
                }

                if (declared != sets.Count)
                {
                    groupErrors.Add(X12GroupErrorCode.SetCountMismatch);
                }

                i++;
            }
            else if (i < segments.Count && segments[i].Id is not ("GS" or "IEA"))
            {
                return Fail(segments[i], null, $"unexpected segment {segments[i].Id} inside functional group {gs[6]}: only ST … SE transaction sets and the GE trailer belong there");
            }
            else
            {
                groupErrors.Add(X12GroupErrorCode.TrailerMissing);
            }

            groups.Add(new X12FunctionalGroup { Gs = gs, Sets = sets, Errors = groupErrors, DeclaredSetCount = declared });
        }

        if (i >= segments.Count)
        {
            return new(null, new("IEA", segments.Count + 2, null, "the interchange is truncated: the IEA trailer is missing", X12InterchangeNote.PrematureEnd));
        }

        var iea = segments[i];
        if (iea.Id != "IEA")
        {
            return Fail(iea, null, $"unexpected segment {iea.Id} at position {iea.Position}: an interchange holds GS … GE functional groups, then the IEA trailer");
        }

        if (i + 1 < segments.Count)
        {
            return Fail(segments[i + 1], null, "nothing may follow the IEA trailer");
        }

        if (iea[2] != isa[13])
        {
            return Fail(iea, 2, $"IEA02 ({iea[2]}) must equal the interchange control number ISA13 ({isa[13]})", X12InterchangeNote.ControlNumberMismatch);
        }

        if (!int.TryParse(iea[1], NumberStyles.None, CultureInfo.InvariantCulture, out var groupCount) || groupCount != groups.Count)
        {
            return Fail(iea, 1, $"IEA01 ({iea[1]}) must be the number of functional groups, {groups.Count}", X12InterchangeNote.InvalidGroupCount);
        }

        if (groups.Count == 0)
        {
            return Fail(iea, null, "the interchange holds no functional group");
        }

        return new(new X12Interchange { Separators = separators, Isa = isa, Groups = groups }, null);
    }

    private static X12ParseResult Fail(X12Segment segment, int? element, string message, X12InterchangeNote note = X12InterchangeNote.InvalidControlStructure) =>
        new(null, new X12EnvelopeError(segment.Id, segment.Position, element, message, note));

    // Positions inside a transaction set count from its ST, as AK302 does.
    private static X12Segment Relative(X12Segment segment, int stIndex) =>
        new(segment.Id, segment.Position - (stIndex + 2) + 1, [.. segment.Elements]);

    private static int SkipLineBreak(string text, int at, X12Separators separators)
    {
        if (separators.Segment is '\r' or '\n')
        {
            return at;
        }

        if (at < text.Length && text[at] == '\r')
        {
            at++;
        }

        if (at < text.Length && text[at] == '\n')
        {
            at++;
        }

        return at;
    }

    private static bool IsDigits(string value, int length) => value.Length == length && value.All(char.IsAsciiDigit);

    private static bool IsNumber(string value, int maxLength) => value.Length >= 1 && value.Length <= maxLength && value.All(char.IsAsciiDigit);

    private static string Head(string raw, X12Separators separators)
    {
        var id = raw.Split(separators.Element)[0].Trim();
        return id.Length is >= 2 and <= 3 ? id : "IEA";
    }

    private static string Shorten(string value) => value.Length > 20 ? value[..20] + "…" : value;
}
