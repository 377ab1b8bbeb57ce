namespace Distribution.Common;

/// <summary>
/// The rules a list of SKU lines meets wherever one is sent (transfers, purchase orders, ship
/// notices), as pure functions: 1 to <see cref="MaxLines"/> lines, each SKU once (warehouse events
/// name only the SKU, so it identifies the line), quantities from 1 to <see cref="MaxQuantity"/>.
/// </summary>
public static class SkuLines
{
    public const int MaxLines = 1000;
    public const int MaxQuantity = 1_000_000;
    public const int MaxReasonLength = 200;

    /// <summary>Adds an error naming the field (<c>lines</c>, <c>lines[2].sku</c>, ...) for each rule a line list breaks.</summary>
    /// <returns>Whether the list is usable line by line (present and within bounds).</returns>
    public static bool Check<T>(List<FieldError> errors, IReadOnlyList<T?>? lines, Func<T, string?> sku, Func<T, int> quantity, string field = "lines")
        where T : class
    {
        if (lines is null || lines.Count == 0)
        {
            errors.Add(new(field, "must contain at least one line"));
            return false;
        }

        if (lines.Count > MaxLines)
        {
            errors.Add(new(field, $"must contain at most {MaxLines} lines (got {lines.Count})"));
            return false;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            var path = $"{field}[{i}]";
            if (line is null)
            {
                errors.Add(new(path, "must not be null"));
                continue;
            }

            var id = sku(line);
            if (Identifiers.Check(errors, $"{path}.sku", id) && !seen.Add(id!))
            {
                errors.Add(new($"{path}.sku", $"duplicate SKU '{id}'; put its whole quantity on one line"));
            }

            var units = quantity(line);
            if (units <= 0)
            {
                errors.Add(new($"{path}.quantity", "must be greater than 0"));
            }
            else if (units > MaxQuantity)
            {
                errors.Add(new($"{path}.quantity", $"must be at most {MaxQuantity}"));
            }
        }

        return true;
    }

    /// <summary>A free-text reason: optional, short and printable.</summary>
    public static void CheckReason(List<FieldError> errors, string? reason, string field = "reason")
    {
        if (reason is not null && (reason.Length > MaxReasonLength || reason.Any(char.IsControl)))
        {
            errors.Add(new(field, $"must be at most {MaxReasonLength} printable characters"));
        }
    }
}
