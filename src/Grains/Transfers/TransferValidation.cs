using System.Text;
using Distribution.Common;

namespace Distribution.Transfers;

/// <summary>The rules a transfer request must meet before anything is reserved (pure; unit tested).</summary>
public static class TransferValidation
{
    public const int MaxLines = SkuLines.MaxLines;
    public const int MaxQuantity = SkuLines.MaxQuantity;
    public const int MaxReasonLength = SkuLines.MaxReasonLength;

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

        SkuLines.CheckReason(errors, request.Reason);
        SkuLines.Check(errors, request.Lines, l => l.Sku, l => l.Quantity);
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
