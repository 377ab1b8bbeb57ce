using System.Text;
using Distribution.Common;

namespace Distribution.Purchasing;

/// <summary>The rules a purchase order and a ship notice must meet before anything changes (pure; unit tested).</summary>
public static class PurchaseOrderValidation
{
    /// <summary>A ship notice's ETA may lie at most this far ahead.</summary>
    public static readonly TimeSpan MaxEtaAhead = TimeSpan.FromDays(366);

    public static IReadOnlyList<FieldError> Validate(PurchaseOrderRequest request)
    {
        var errors = new List<FieldError>();
        Identifiers.Check(errors, "purchaseOrderId", request.PurchaseOrderId);
        Identifiers.Check(errors, "supplierId", request.SupplierId);
        Identifiers.Check(errors, "warehouseId", request.WarehouseId);
        SkuLines.CheckReason(errors, request.Reason);
        SkuLines.Check(errors, request.Lines, l => l.Sku, l => l.Quantity);
        return errors;
    }

    /// <summary>
    /// A ship notice names SKUs of the purchase order, each at most its ordered quantity (an
    /// over-shipment is received and raised as an over-receipt instead); its ETA, if given, lies
    /// between the purchase order's creation and a year ahead of <paramref name="now"/>.
    /// </summary>
    public static IReadOnlyList<FieldError> ValidateShipNotice(
        ShipNoticeRequest notice, IReadOnlyDictionary<string, int> ordered, DateTimeOffset createdAt, DateTimeOffset now)
    {
        var errors = new List<FieldError>();
        if (SkuLines.Check(errors, notice.Lines, l => l.Sku, l => l.Quantity))
        {
            for (var i = 0; i < notice.Lines!.Count; i++)
            {
                if (notice.Lines[i] is not { Sku: { } sku } line || !Identifiers.IsValid(sku))
                {
                    continue;
                }

                if (!ordered.TryGetValue(sku, out var quantity))
                {
                    errors.Add(new($"lines[{i}].sku", $"SKU '{sku}' is not on the purchase order"));
                }
                else if (line.Quantity > quantity)
                {
                    errors.Add(new($"lines[{i}].quantity", $"{line.Quantity} unit(s) of '{sku}' exceed the {quantity} ordered"));
                }
            }
        }

        if (notice.Eta is { } eta && (eta < createdAt || eta > now + MaxEtaAhead))
        {
            errors.Add(new("eta", $"must lie between the purchase order's creation ({createdAt:O}) and {MaxEtaAhead.TotalDays:0} days ahead"));
        }

        return errors;
    }

    /// <summary>A canonical text of everything that defines the purchase order, for idempotency checks.</summary>
    public static string Fingerprint(PurchaseOrderRequest r)
    {
        var b = new StringBuilder(64 + (r.Lines?.Count ?? 0) * 24);
        b.Append(r.PurchaseOrderId).Append('\u001f').Append(r.SupplierId).Append('\u001f').Append(r.WarehouseId)
            .Append('\u001f').Append(r.Reason);
        AppendLines(b, r.Lines);
        return b.ToString();
    }

    /// <summary>A canonical text of a ship notice: the same notice again is a repeat, another one a conflict.</summary>
    public static string Fingerprint(ShipNoticeRequest r)
    {
        var b = new StringBuilder(32 + (r.Lines?.Count ?? 0) * 24);
        // A notice is a set of lines: the same lines in another order are the same notice.
        b.Append(r.Eta?.UtcTicks);
        AppendLines(b, r.Lines?.OrderBy(l => l?.Sku, StringComparer.Ordinal).ToList());
        return b.ToString();
    }

    private static void AppendLines(StringBuilder b, IReadOnlyList<PurchaseOrderLineRequest>? lines)
    {
        foreach (var line in lines ?? [])
        {
            b.Append('\u001e').Append(line.Sku).Append('\u001f').Append(line.Quantity);
        }
    }
}
