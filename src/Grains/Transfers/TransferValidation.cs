using System.Text;
using Distribution.Common;

namespace Distribution.Transfers;

/// <summary>The rules a transfer request must meet before anything is reserved (pure; unit tested).</summary>
public static class TransferValidation
{
    public const int MaxLines = 1000;
    public const int MaxQuantity = 1_000_000;
    public const int MaxReasonLength = 200;

    public static IReadOnlyList<FieldError> Validate(TransferRequest request)
    {
        var errors = new List<FieldError>();
        Identifiers.Check(errors, "transferId", request.TransferId);
        var from = Identifiers.Check(errors, "fromWarehouseId", request.FromWarehouseId);
        var to = Identifiers.Check(errors, "toWarehouseId", request.ToWarehouseId);
        if (from && to && string.Equals(request.FromWarehouseId, request.ToWarehouseId, StringComparison.Ordinal))
        {
            errors.Add(new("toWarehouseId", "must differ from fromWarehouseId"));
        }

        if (request.Reason is { } reason && (reason.Length > MaxReasonLength || reason.Any(char.IsControl)))
        {
            errors.Add(new("reason", $"must be at most {MaxReasonLength} printable characters"));
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

        // A transfer line is identified by its SKU (events name only the SKU), so a SKU appears once.
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

            if (Identifiers.Check(errors, $"{path}.sku", line.Sku) && !seen.Add(line.Sku!))
            {
                errors.Add(new($"{path}.sku", $"duplicate SKU '{line.Sku}'; put its whole quantity on one line"));
            }

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

    /// <summary>A canonical text of everything that defines the transfer, for idempotency checks.</summary>
    public static string Fingerprint(TransferRequest r)
    {
        var b = new StringBuilder(64 + (r.Lines?.Count ?? 0) * 24);
        b.Append(r.TransferId).Append('\u001f').Append(r.FromWarehouseId).Append('\u001f').Append(r.ToWarehouseId)
            .Append('\u001f').Append(r.Reason);
        foreach (var line in r.Lines ?? [])
        {
            b.Append('\u001e').Append(line.Sku).Append('\u001f').Append(line.Quantity);
        }

        return b.ToString();
    }
}
