using System.Globalization;
using Distribution.Common;

namespace Distribution.Integration.Edi;

/// <summary>
/// Reads the elements a mapping needs and records what is wrong with them as segment errors
/// (pure). Dates are CCYYMMDD, times HHMM or HHMMSS, both taken as UTC (partners agree on it).
/// </summary>
public sealed class X12Elements(X12TransactionSet set)
{
    private readonly List<X12SegmentError> _errors = [];

    public IReadOnlyList<X12SegmentError> Errors => _errors;

    public X12TransactionSet Set => set;

    /// <summary>The first segment with this id (and first element, when given) in the set's body.</summary>
    public X12Segment? First(string id, string? qualifier = null) =>
        set.Body.FirstOrDefault(s => s.Id == id && (qualifier is null || s[1] == qualifier));

    /// <summary>A segment the document cannot do without; a missing one is recorded where it was expected.</summary>
    public X12Segment? Required(string id, int expectedPosition, string what)
    {
        var segment = First(id);
        if (segment is null)
        {
            Missing(id, expectedPosition, $"{id} ({what}) is required");
        }

        return segment;
    }

    public void Missing(string id, int expectedPosition, string message) =>
        _errors.Add(X12SegmentError.Missing(id, expectedPosition, message));

    public void Fail(X12Segment segment, int element, X12ElementErrorCode code, string message) =>
        _errors.Add(X12SegmentError.Element(segment, element, code, message, segment[element]));

    public string? Text(X12Segment segment, int element, string what)
    {
        var value = segment[element].Trim();
        if (value.Length == 0)
        {
            _errors.Add(X12SegmentError.Element(segment, element, X12ElementErrorCode.MandatoryMissing, $"{Name(segment, element)} ({what}) is required"));
            return null;
        }

        return value;
    }

    /// <summary>A required element that becomes an identifier of the hub (letters, digits, '-', '_', '.', ':').</summary>
    public string? Identifier(X12Segment segment, int element, string what)
    {
        var value = Text(segment, element, what);
        if (value is null)
        {
            return null;
        }

        if (!Identifiers.IsValid(value))
        {
            Fail(segment, element,
                value.Length > Identifiers.MaxLength ? X12ElementErrorCode.TooLong : X12ElementErrorCode.InvalidCharacter,
                $"{Name(segment, element)} ({what}) must be 1-{Identifiers.MaxLength} letters, digits, '-', '_', '.' or ':'");
            return null;
        }

        return value;
    }

    /// <summary>A required whole quantity (X12 numbers may carry a decimal point: 3 and 3.00 are both 3).</summary>
    public int? Quantity(X12Segment segment, int element, string what, bool allowZero = false)
    {
        var value = Text(segment, element, what);
        if (value is null)
        {
            return null;
        }

        if (!decimal.TryParse(value, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            Fail(segment, element, X12ElementErrorCode.InvalidCharacter, $"{Name(segment, element)} ({what}) must be a number");
            return null;
        }

        if (number != decimal.Truncate(number) || number < (allowZero ? 0 : 1) || number > 1_000_000)
        {
            Fail(segment, element, X12ElementErrorCode.InvalidCode,
                $"{Name(segment, element)} ({what}) must be a whole number of units from {(allowZero ? 0 : 1)} to 1,000,000");
            return null;
        }

        return (int)number;
    }

    public double? Number(X12Segment segment, int element, string what, double min, double max)
    {
        var value = Text(segment, element, what);
        if (value is null)
        {
            return null;
        }

        if (!double.TryParse(value, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
            || number < min || number > max)
        {
            Fail(segment, element, X12ElementErrorCode.InvalidCode, $"{Name(segment, element)} ({what}) must be a number from {min} to {max}");
            return null;
        }

        return number;
    }

    public DateOnly? Date(X12Segment segment, int element, string what)
    {
        var value = Text(segment, element, what);
        if (value is null)
        {
            return null;
        }

        if (value.Length != 8 || !DateOnly.TryParseExact(value, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            Fail(segment, element, X12ElementErrorCode.InvalidDate, $"{Name(segment, element)} ({what}) must be a date CCYYMMDD");
            return null;
        }

        return date;
    }

    /// <summary>An optional time (HHMM or HHMMSS); midnight when absent.</summary>
    public TimeOnly? Time(X12Segment segment, int element, string what)
    {
        var value = segment[element].Trim();
        if (value.Length == 0)
        {
            return TimeOnly.MinValue;
        }

        if (value.Length is 4 or 6 && TimeOnly.TryParseExact(value, value.Length == 4 ? "HHmm" : "HHmmss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            return time;
        }

        Fail(segment, element, X12ElementErrorCode.InvalidTime, $"{Name(segment, element)} ({what}) must be a time HHMM or HHMMSS");
        return null;
    }

    /// <summary>A date element and an optional time element, as a UTC instant.</summary>
    public DateTimeOffset? Instant(X12Segment segment, int dateElement, int timeElement, string what)
    {
        var date = Date(segment, dateElement, what);
        var time = Time(segment, timeElement, what);
        return date is { } d && time is { } t ? new DateTimeOffset(d.ToDateTime(t), TimeSpan.Zero) : null;
    }

    /// <summary>An element that must hold one of the given codes.</summary>
    public bool Code(X12Segment segment, int element, string what, params string[] allowed)
    {
        var value = Text(segment, element, what);
        if (value is null)
        {
            return false;
        }

        if (!allowed.Contains(value, StringComparer.Ordinal))
        {
            Fail(segment, element, X12ElementErrorCode.InvalidCode, $"{Name(segment, element)} ({what}) must be {string.Join(" or ", allowed)}");
            return false;
        }

        return true;
    }

    /// <summary>
    /// The product id of a segment carrying qualifier/id pairs from <paramref name="firstPair"/> on
    /// (PO106/PO107, LIN02/LIN03, …): the first pair qualified SK (our SKU), VN or VP (vendor's
    /// item number, which the hub's SKU is), BP (buyer's part number, when partners use our SKUs).
    /// </summary>
    public (string? Sku, int Element) Product(X12Segment segment, int firstPair, int pairs, string what)
    {
        for (var p = 0; p < pairs; p++)
        {
            var qualifier = firstPair + 2 * p;
            if (segment[qualifier] is "SK" or "VN" or "VP" or "BP")
            {
                return (Identifier(segment, qualifier + 1, what), qualifier + 1);
            }
        }

        _errors.Add(X12SegmentError.Element(segment, firstPair + 1, X12ElementErrorCode.ConditionalMissing,
            $"{Name(segment, firstPair + 1)} ({what}) is required, qualified SK, VN, VP or BP in {Name(segment, firstPair)}"));
        return (null, firstPair + 1);
    }

    public static string Name(X12Segment segment, int element) => $"{segment.Id}{element:00}";
}
