using System.Text;
using Distribution.Common;

namespace Distribution.Orders;

/// <summary>The rules an order must meet before anything is reserved (pure; unit tested).</summary>
public static class OrderValidation
{
    public const int MaxLines = 1000;
    public const int MaxQuantity = 1_000_000;

    public static IReadOnlyList<FieldError> Validate(OrderRequest request)
    {
        var errors = new List<FieldError>();
        Identifiers.Check(errors, "orderId", request.OrderId);
        if (request.Channel is { Length: > 64 })
        {
            errors.Add(new("channel", "must be at most 64 characters"));
        }

        if (request.ShipTo is null)
        {
            errors.Add(new("shipTo", "is required"));
        }
        else
        {
            Geo.Check(errors, "shipTo", request.ShipTo);
        }

        if (!Enum.IsDefined(request.Priority))
        {
            errors.Add(new("priority", "must be normal, high or urgent"));
        }

        var lines = request.Lines;
        if (lines is null || lines.Count == 0)
        {
            errors.Add(new("lines", "must contain at least one line"));
            return errors;
        }

        if (lines.Count > MaxLines)
        {
            errors.Add(new("lines", $"must contain at most {MaxLines} lines (got {lines.Count})"));
            return errors;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            var path = $"lines[{i}]";
            if (line is null)
            {
                errors.Add(new(path, "must not be null"));
                continue;
            }

            if (Identifiers.Check(errors, $"{path}.lineId", line.LineId) && !seen.Add(line.LineId!))
            {
                errors.Add(new($"{path}.lineId", $"duplicate line id '{line.LineId}'"));
            }

            Identifiers.Check(errors, $"{path}.sku", line.Sku);
            if (line.Quantity <= 0)
            {
                errors.Add(new($"{path}.quantity", "must be greater than 0"));
            }
            else if (line.Quantity > MaxQuantity)
            {
                errors.Add(new($"{path}.quantity", $"must be at most {MaxQuantity}"));
            }
        }

        return errors;
    }

    /// <summary>A canonical text of everything that defines the order, for idempotency checks.</summary>
    public static string Fingerprint(OrderRequest r)
    {
        var b = new StringBuilder(64 + (r.Lines?.Count ?? 0) * 24);
        b.Append(r.OrderId).Append('\u001f').Append(r.Channel).Append('\u001f')
            .Append(r.ShipTo?.Latitude.ToString("R", System.Globalization.CultureInfo.InvariantCulture)).Append(',')
            .Append(r.ShipTo?.Longitude.ToString("R", System.Globalization.CultureInfo.InvariantCulture)).Append('\u001f')
            .Append((int)r.Priority).Append(r.AllowSplit ? 'S' : 's').Append(r.AllowBackorder ? 'B' : 'b')
            .Append(r.RequestedDeliveryDate?.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        foreach (var line in r.Lines ?? [])
        {
            b.Append('\u001e').Append(line.LineId).Append('\u001f').Append(line.Sku).Append('\u001f').Append(line.Quantity);
        }

        return b.ToString();
    }
}
