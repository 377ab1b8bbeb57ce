using Distribution.Events;

namespace Distribution.Transfers;

/// <summary>One transfer line's figures: what was asked, what left the source, what arrived.</summary>
public readonly record struct TransferLineTotals(int Quantity, int Shipped, int Received)
{
    /// <summary>Shipped and not yet received: what the destination counts as inbound. A receipt
    /// reported before its shipment makes this 0, never negative.</summary>
    public int InTransit => Math.Max(0, Shipped - Received);

    public bool FullyShipped => Shipped >= Quantity;
}

public enum DiscrepancyKind
{
    /// <summary>More received than shipped (or than the line's quantity).</summary>
    OverReceipt = 0,
    /// <summary>Past the ETA, some but not all shipped units received.</summary>
    ShortReceipt = 1,
}

public sealed record ReceiptDiscrepancy(string Sku, DiscrepancyKind Kind, TransferLineTotals Totals);

/// <summary>A line as the business-time review sees it.</summary>
public sealed record ReviewedLine(string Sku, TransferLineTotals Totals, DateTimeOffset? Eta);

/// <summary>What the review of a transfer found at one moment.</summary>
public sealed record TransferReview(IReadOnlyList<ReviewedLine> Overdue, IReadOnlyList<ReceiptDiscrepancy> Discrepancies);

/// <summary>
/// The rules of a transfer, as pure functions: its status follows from its lines' totals (so
/// totals reported in any order converge to the same status), in-transit units are inbound at the
/// destination until their ETA (last shipment + the lane's transit days), and past the ETA what
/// has not arrived is overdue or short.
/// </summary>
public static class TransferRules
{
    /// <summary>When units shipped at <paramref name="shippedAt"/> are expected at the destination.</summary>
    public static DateTimeOffset Eta(DateTimeOffset shippedAt, double transitDays) => shippedAt + TimeSpan.FromDays(transitDays);

    /// <summary>
    /// The status the totals imply. A cancelled transfer stays cancelled unless stock moved anyway
    /// (a shipment that raced the cancel): then it is followed like any other.
    /// </summary>
    public static TransferStatus DeriveStatus(IReadOnlyList<TransferLineTotals> lines, bool cancelled)
    {
        int shipped = 0, received = 0;
        bool allShipped = true, allReceived = true;
        foreach (var line in lines)
        {
            shipped += line.Shipped;
            received += line.Received;
            allShipped &= line.FullyShipped;
            allReceived &= line.FullyShipped && line.Received >= line.Shipped;
        }

        if (shipped == 0 && received == 0)
        {
            return cancelled ? TransferStatus.Cancelled : TransferStatus.Requested;
        }

        if (allReceived)
        {
            return TransferStatus.Received;
        }

        if (received > 0)
        {
            return TransferStatus.PartiallyReceived;
        }

        return allShipped ? TransferStatus.Shipped : TransferStatus.PartiallyShipped;
    }

    /// <summary>
    /// Discrepancies that are certain whenever they are seen: more received than the line's
    /// quantity can never be made right by a shipment still to be reported.
    /// </summary>
    public static ReceiptDiscrepancy? ImmediateDiscrepancy(string sku, TransferLineTotals line) =>
        line.Received > line.Quantity ? new ReceiptDiscrepancy(sku, DiscrepancyKind.OverReceipt, line) : null;

    /// <summary>
    /// Past a line's ETA: units still in transit are overdue; a line received in part is short, one
    /// received beyond what shipped is over. Before the ETA nothing is judged, because a receipt may
    /// legitimately be reported before its shipment.
    /// </summary>
    public static TransferReview Review(IReadOnlyList<ReviewedLine> lines, DateTimeOffset now)
    {
        var overdue = new List<ReviewedLine>();
        var discrepancies = new List<ReceiptDiscrepancy>();
        foreach (var line in lines)
        {
            if (line.Eta is not { } eta || eta > now)
            {
                continue;
            }

            var t = line.Totals;
            if (t.InTransit > 0)
            {
                overdue.Add(line);
                if (t.Received > 0)
                {
                    discrepancies.Add(new ReceiptDiscrepancy(line.Sku, DiscrepancyKind.ShortReceipt, t));
                }
            }
            else if (t.Received > t.Shipped)
            {
                discrepancies.Add(new ReceiptDiscrepancy(line.Sku, DiscrepancyKind.OverReceipt, t));
            }
        }

        return new TransferReview(overdue, discrepancies);
    }

    /// <summary>
    /// Why a transfer movement cannot be applied at a warehouse (null: it can). Checked before the
    /// event touches stock, so a movement for an unknown transfer, at the wrong warehouse or of a
    /// SKU the transfer does not carry becomes a dead letter with that reason.
    /// </summary>
    public static string? RefuseMovement(TransferRoute? route, WarehouseEvent e)
    {
        if (route is null)
        {
            return $"unknown transfer '{e.TransferId}'";
        }

        switch (route.Status)
        {
            case TransferStatus.Reserving:
                return $"transfer '{route.TransferId}' is still being created; retry";
            case TransferStatus.Rejected:
                return $"transfer '{route.TransferId}' was rejected and holds nothing";
            case TransferStatus.Cancelled:
                return $"transfer '{route.TransferId}' was cancelled";
        }

        if (e.Type == WarehouseEventType.TransferShipped && !string.Equals(e.WarehouseId, route.FromWarehouseId, StringComparison.Ordinal))
        {
            return $"transfer '{route.TransferId}' ships from '{route.FromWarehouseId}', not '{e.WarehouseId}'";
        }

        if (e.Type == WarehouseEventType.TransferReceived && !string.Equals(e.WarehouseId, route.ToWarehouseId, StringComparison.Ordinal))
        {
            return $"transfer '{route.TransferId}' is received at '{route.ToWarehouseId}', not '{e.WarehouseId}'";
        }

        return route.Skus.Contains(e.Sku, StringComparer.Ordinal) ? null : $"SKU '{e.Sku}' is not on transfer '{route.TransferId}'";
    }

    /// <summary>Describes a discrepancy for the exception queue.</summary>
    public static string Describe(string transferId, ReceiptDiscrepancy d) => d.Kind switch
    {
        DiscrepancyKind.OverReceipt => $"transfer '{transferId}' received {d.Totals.Received} unit(s) of '{d.Sku}' "
            + $"but shipped {d.Totals.Shipped} of {d.Totals.Quantity}",
        _ => $"transfer '{transferId}' received only {d.Totals.Received} of {d.Totals.Shipped} shipped unit(s) of '{d.Sku}' by its ETA",
    };
}
