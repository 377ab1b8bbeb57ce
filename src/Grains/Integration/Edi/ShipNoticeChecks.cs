using Distribution.Common;
using Distribution.Purchasing;

namespace Distribution.Integration.Edi;

/// <summary>
/// What an 856 must pass, per purchase order it names, before any of its notices is recorded (pure):
/// the purchase order exists and is the partner's supplier's, is named once in the set, fits the
/// ship-notice transition (sent, open, no other notice) and the notice fits its lines. Checking
/// all of them first is what makes an 856 naming several purchase orders all-or-nothing.
/// </summary>
public static class ShipNoticeChecks
{
    /// <param name="view">The purchase order as it stands (null: unknown).</param>
    /// <param name="seenBefore">The same purchase order was named earlier in the set.</param>
    public static IReadOnlyList<FieldError> Check(
        string purchaseOrderId, ShipNoticeRequest notice, PurchaseOrderView? view, string? supplierId, bool seenBefore, DateTimeOffset now)
    {
        if (view is null)
        {
            return [new("purchaseOrderId", $"unknown purchase order '{purchaseOrderId}'")];
        }

        if (view.SupplierId != supplierId)
        {
            return [new("purchaseOrderId", $"purchase order '{purchaseOrderId}' is not from supplier '{supplierId}'")];
        }

        if (seenBefore)
        {
            return [new("purchaseOrderId", $"purchase order '{purchaseOrderId}' is named twice; one ship notice per purchase order")];
        }

        var check = PurchaseOrderRules.Check(PurchaseOrderCommand.Ship, FactsOf(view), SameNotice(view, notice));
        if (check.Verdict == TransitionVerdict.Refused)
        {
            return [new("purchaseOrderId", $"purchase order '{purchaseOrderId}': {check.Reason}")];
        }

        var ordered = view.Lines.ToDictionary(l => l.Sku, l => l.OrderedQuantity, StringComparer.Ordinal);
        return PurchaseOrderValidation.ValidateShipNotice(notice, ordered, view.CreatedAt, now);
    }

    private static PurchaseOrderFacts FactsOf(PurchaseOrderView view) => new()
    {
        CreatedAt = view.CreatedAt,
        LeadTimeDays = view.LeadTimeDays,
        RequestedDelivery = view.RequestedDeliveryDate,
        SentAt = view.SentAt,
        AcknowledgedAt = view.AcknowledgedAt,
        ShipNoticeAt = view.ShippedAt,
        ShipNoticeEta = view.ShippedAt is null ? null : view.Eta,
        Closed = view.ClosedAt is not null,
        Cancelled = view.CancelledAt is not null,
        Lines = [.. view.Lines.Select(l => new PurchaseLineTotals(l.OrderedQuantity, l.ShippedQuantity, l.ReceivedQuantity))],
    };

    /// <summary>
    /// Whether the notice is the one already recorded (a resent 856): the same units per SKU and,
    /// when it names one, the same ETA. The grain decides on its stored fingerprint; this is the
    /// view's approximation of it, used only to let a resent notice through the check.
    /// </summary>
    private static bool SameNotice(PurchaseOrderView view, ShipNoticeRequest notice)
    {
        if (view.ShippedAt is null)
        {
            return false;
        }

        var shipped = (notice.Lines ?? []).Where(l => l.Sku is not null)
            .GroupBy(l => l.Sku!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Sum(l => l.Quantity), StringComparer.Ordinal);
        return view.Lines.All(l => l.ShippedQuantity == shipped.GetValueOrDefault(l.Sku))
            && shipped.Keys.All(sku => view.Lines.Any(l => l.Sku == sku))
            && (notice.Eta is null || notice.Eta == view.Eta);
    }
}
