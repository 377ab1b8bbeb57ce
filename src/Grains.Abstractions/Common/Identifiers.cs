using System.Buffers;

namespace Distribution.Common;

/// <summary>Identifiers (order, line, SKU, warehouse ids) are short and URL- and key-safe.</summary>
public static class Identifiers
{
    public const int MaxLength = 100;

    public static bool IsValid(string? id) =>
        !string.IsNullOrEmpty(id) && id.Length <= MaxLength && !id.AsSpan().ContainsAnyExcept(Allowed);

    /// <summary>Adds an error naming <paramref name="field"/> when <paramref name="id"/> is not a valid identifier.</summary>
    public static bool Check(List<FieldError> errors, string field, string? id)
    {
        if (string.IsNullOrEmpty(id))
        {
            errors.Add(new(field, "is required"));
            return false;
        }

        if (!IsValid(id))
        {
            errors.Add(new(field, $"must be 1-{MaxLength} characters of letters, digits, '-', '_', '.' or ':'"));
            return false;
        }

        return true;
    }

    /// <summary>
    /// As <see cref="Check(List{FieldError}, string, string?)"/> for the field <c>{prefix}.{name}</c>,
    /// whose name is only put together for an error (a batch checks thousands of valid ones).
    /// </summary>
    public static bool Check(List<FieldError> errors, string prefix, string name, string? id) =>
        IsValid(id) || Check(errors, $"{prefix}.{name}", id);

    private static readonly SearchValues<char> Allowed =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:");
}

/// <summary>Checks on map positions.</summary>
public static class Geo
{
    /// <summary>Checks a position whose fields sit under <paramref name="field"/> (empty: at the top level).</summary>
    public static void Check(List<FieldError> errors, string field, GeoPoint point)
    {
        var prefix = field.Length == 0 ? "" : field + ".";
        if (!double.IsFinite(point.Latitude) || point.Latitude is < -90 or > 90)
        {
            errors.Add(new($"{prefix}latitude", "must be between -90 and 90"));
        }

        if (!double.IsFinite(point.Longitude) || point.Longitude is < -180 or > 180)
        {
            errors.Add(new($"{prefix}longitude", "must be between -180 and 180"));
        }
    }
}
