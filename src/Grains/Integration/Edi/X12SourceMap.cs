using Distribution.Common;

namespace Distribution.Integration.Edi;

/// <summary>
/// Where each field of a mapped request came from (segment and element), so an error a grain
/// reports on the request (<c>lines[1].sku</c>: unknown SKU) is acknowledged at the segment and
/// element the partner sent (AK3 PO1 at 5, AK4 element 7).
/// </summary>
public sealed class X12SourceMap(X12Segment fallback)
{
    private readonly Dictionary<string, (X12Segment Segment, int Element)> _fields = new(StringComparer.Ordinal);

    public void Add(string field, X12Segment segment, int element = 0) => _fields[field] = (segment, element);

    /// <summary>The segment error for a field error; an unknown field falls back to its nearest mapped parent, then to the set's header.</summary>
    public X12SegmentError Locate(FieldError error)
    {
        var field = error.Field;
        while (true)
        {
            if (_fields.TryGetValue(field, out var source))
            {
                return source.Element > 0
                    ? X12SegmentError.Element(source.Segment, source.Element, X12ElementErrorCode.InvalidCode, Describe(error), source.Segment[source.Element])
                    : new X12SegmentError(source.Segment.Id, source.Segment.Position, X12SegmentErrorCode.ElementErrors, Describe(error), []);
            }

            var cut = Math.Max(field.LastIndexOf('.'), field.LastIndexOf('['));
            if (cut <= 0)
            {
                return new X12SegmentError(fallback.Id, fallback.Position, X12SegmentErrorCode.ElementErrors, Describe(error), []);
            }

            field = field[..cut];
        }
    }

    private static string Describe(FieldError error) => $"{error.Field}: {error.Message}";
}
