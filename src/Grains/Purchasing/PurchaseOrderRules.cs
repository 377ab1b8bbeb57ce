using Distribution.Events;

namespace Distribution.Purchasing;

/// <summary>One purchase order line's figures: what was ordered, what the ship notice said shipped, what arrived.</summary>
public readonly record struct PurchaseLineTotals(int Ordered, int Shipped, int Received)
{
    /// <summary>
    /// Still expected at the destination: ordered − received, or, once the ship notice said what
    /// shipped, shipped − received (what it did not ship is no longer expected). Never below 0.
    /// </summary>
    public int Outstanding(bool shipNoticed) => Math.Max(0, (shipNoticed ? Shipped : Ordered) - Received);
}

/// <summary>What a purchase order's rules need to know of it, without any Orleans type.</summary>
public sealed record PurchaseOrderFacts
{
    public DateTimeOffset CreatedAt { get; init; }
    public double LeadTimeDays { get; init; }
    /// <summary>Deliver not before this day (UTC), if the order asked for one.</summary>
    public DateOnly? RequestedDelivery { get; init; }
    public DateTimeOffset? SentAt { get; init; }
    public DateTimeOffset? AcknowledgedAt { get; init; }
    public DateTimeOffset? ShipNoticeAt { get; init; }
    public DateTimeOffset? ShipNoticeEta { get; init; }
    public bool Closed { get; init; }
    public bool Cancelled { get; init; }
    public IReadOnlyList<PurchaseLineTotals> Lines { get; init; } = [];

    public bool ShipNoticed => ShipNoticeAt is not null;

    public bool AnyReceived => Lines.Any(l => l.Received > 0);
}

public enum PurchaseOrderCommand
{
    Send = 0,
    Acknowledge = 1,
    Ship = 2,
    Close = 3,
    Cancel = 4,
}

public enum TransitionVerdict
{
    /// <summary>The command applies now.</summary>
    Apply = 0,
    /// <summary>It was applied before: answer as then, change nothing.</summary>
    AlreadyDone = 1,
    /// <summary>It does not fit the purchase order's status (see the reason).</summary>
    Refused = 2,
}

public sealed record TransitionCheck(TransitionVerdict Verdict, string? Reason = null);

public enum LatenessKind
{
    /// <summary>Sent, and no ship notice (nor any receipt) by the expected ship date.</summary>
    NoShipNotice = 0,
    /// <summary>Units still outstanding at the ETA.</summary>
    NotReceived = 1,
}

public sealed record Lateness(LatenessKind Kind, DateTimeOffset Deadline);

/// <summary>
/// The rules of a purchase order, as pure functions: its status follows from the commands it took
/// and its lines' totals (so receipts reported in any order converge); what is still expected is
/// inbound at the destination until the ETA (expected arrival = sent, or created until then, plus
/// the supplier's lead time; the ship notice's ETA once it arrives); past the expected ship date
/// without a ship notice, or past the ETA with units outstanding, it is late.
/// </summary>
public static class PurchaseOrderRules
{
    /// <summary>Whether a purchase order keeps its inbound (still waits for goods).</summary>
    public static bool IsOpen(PurchaseOrderFacts f) => !f.Closed && !f.Cancelled;

    /// <summary>What a line counts as inbound at the destination (0 once closed or cancelled).</summary>
    public static int OnOrder(PurchaseOrderFacts f, PurchaseLineTotals line) => IsOpen(f) ? line.Outstanding(f.ShipNoticed) : 0;

    /// <summary>
    /// Sent (or, until it is sent, created) plus the supplier's lead time, or the start of the
    /// requested delivery day if that is later (a supplier delivers on the day it was asked to).
    /// </summary>
    public static DateTimeOffset ExpectedArrival(PurchaseOrderFacts f)
    {
        var byLeadTime = (f.SentAt ?? f.CreatedAt) + TimeSpan.FromDays(f.LeadTimeDays);
        if (f.RequestedDelivery is not { } day)
        {
            return byLeadTime;
        }

        var requested = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        return requested > byLeadTime ? requested : byLeadTime;
    }

    /// <summary>
    /// One day before the expected arrival (a ship notice should come at least that early), but not
    /// before the order was sent: a supplier cannot ship what it has not received.
    /// </summary>
    public static DateTimeOffset ExpectedShipDate(PurchaseOrderFacts f)
    {
        var basis = f.SentAt ?? f.CreatedAt;
        var ship = ExpectedArrival(f) - TimeSpan.FromDays(1);
        return ship < basis ? basis : ship;
    }

    /// <summary>The ship notice's ETA once it arrived, else the expected arrival.</summary>
    public static DateTimeOffset Eta(PurchaseOrderFacts f) => f.ShipNoticeEta ?? ExpectedArrival(f);

    /// <summary>A ship notice means the goods left the supplier: by default they are expected one day later.</summary>
    public static DateTimeOffset DefaultShipNoticeEta(DateTimeOffset noticeAt) => noticeAt + TimeSpan.FromDays(1);

    /// <summary>
    /// The status the commands and totals imply. Received means every line received at least what
    /// is expected of it (ordered, or shipped after the ship notice); a receipt before the ship
    /// notice counts (the supplier shipped without notice).
    /// </summary>
    public static PurchaseOrderStatus DeriveStatus(PurchaseOrderFacts f)
    {
        if (f.Cancelled)
        {
            return PurchaseOrderStatus.Cancelled;
        }

        if (f.Closed)
        {
            return PurchaseOrderStatus.Closed;
        }

        if (f.AnyReceived)
        {
            return f.Lines.All(l => l.Outstanding(f.ShipNoticed) == 0) ? PurchaseOrderStatus.Received : PurchaseOrderStatus.PartiallyReceived;
        }

        if (f.ShipNoticed)
        {
            return PurchaseOrderStatus.Shipped;
        }

        return f.AcknowledgedAt is not null ? PurchaseOrderStatus.Acknowledged
            : f.SentAt is not null ? PurchaseOrderStatus.Sent
            : PurchaseOrderStatus.Created;
    }

    /// <summary>
    /// Whether a command applies, was applied before, or does not fit. <paramref name="sameShipNotice"/>
    /// says whether a ship notice is the one already recorded (only one per purchase order).
    /// </summary>
    public static TransitionCheck Check(PurchaseOrderCommand command, PurchaseOrderFacts f, bool sameShipNotice = false)
    {
        var status = Name(DeriveStatus(f));
        var shipped = f.ShipNoticed || f.AnyReceived;
        return command switch
        {
            PurchaseOrderCommand.Send when f.SentAt is not null => Done(),
            PurchaseOrderCommand.Send when f.Cancelled => Refuse($"a {status} purchase order cannot be sent"),
            PurchaseOrderCommand.Send => Apply(),

            PurchaseOrderCommand.Acknowledge when f.AcknowledgedAt is not null => Done(),
            PurchaseOrderCommand.Acknowledge when f.Cancelled || f.Closed => Refuse($"a {status} purchase order cannot be acknowledged"),
            PurchaseOrderCommand.Acknowledge when f.SentAt is null => Refuse($"a {status} purchase order was not sent yet; send it first"),
            PurchaseOrderCommand.Acknowledge when shipped => Refuse($"a {status} purchase order is past acknowledgement: the supplier already shipped"),
            PurchaseOrderCommand.Acknowledge => Apply(),

            PurchaseOrderCommand.Ship when f.ShipNoticed => sameShipNotice
                ? Done()
                : Refuse($"a {status} purchase order already has a ship notice (one per purchase order; order the rest on a new one)"),
            PurchaseOrderCommand.Ship when f.Cancelled || f.Closed => Refuse($"a {status} purchase order cannot be shipped"),
            PurchaseOrderCommand.Ship when f.SentAt is null => Refuse($"a {status} purchase order was not sent yet; send it first"),
            PurchaseOrderCommand.Ship => Apply(),

            PurchaseOrderCommand.Close when f.Closed => Done(),
            PurchaseOrderCommand.Close when f.Cancelled => Refuse($"a {status} purchase order cannot be closed"),
            PurchaseOrderCommand.Close when f.SentAt is null => Refuse($"a {status} purchase order was never sent; cancel it instead"),
            PurchaseOrderCommand.Close => Apply(),

            PurchaseOrderCommand.Cancel when f.Cancelled => Done(),
            PurchaseOrderCommand.Cancel when f.Closed => Refuse($"a {status} purchase order cannot be cancelled"),
            PurchaseOrderCommand.Cancel when shipped => Refuse($"a {status} purchase order cannot be cancelled: the supplier already shipped; close it instead"),
            PurchaseOrderCommand.Cancel => Apply(),

            _ => throw new ArgumentOutOfRangeException(nameof(command)),
        };

        static TransitionCheck Apply() => new(TransitionVerdict.Apply);
        static TransitionCheck Done() => new(TransitionVerdict.AlreadyDone);
        static TransitionCheck Refuse(string reason) => new(TransitionVerdict.Refused, reason);
    }

    /// <summary>
    /// The business times at which the purchase order must be judged, while they matter: the
    /// expected ship date (sent, open, and neither a ship notice nor any receipt yet) and the ETA
    /// (sent, open, and units outstanding). A purchase order not yet sent is never judged: its
    /// dates count from the sending.
    /// </summary>
    public static (DateTimeOffset? ShipBy, DateTimeOffset? ArriveBy) Deadlines(PurchaseOrderFacts f)
    {
        if (f.SentAt is null || !IsOpen(f))
        {
            return (null, null);
        }

        DateTimeOffset? shipBy = f.ShipNoticed || f.AnyReceived ? null : ExpectedShipDate(f);
        DateTimeOffset? arriveBy = f.Lines.Any(l => l.Outstanding(f.ShipNoticed) > 0) ? Eta(f) : null;
        return (shipBy, arriveBy);
    }

    /// <summary>What is late at <paramref name="now"/> (null: nothing). Units outstanding at the ETA outrank a missing ship notice.</summary>
    public static Lateness? Late(PurchaseOrderFacts f, DateTimeOffset now)
    {
        var (shipBy, arriveBy) = Deadlines(f);
        if (arriveBy is { } eta && eta <= now)
        {
            return new Lateness(LatenessKind.NotReceived, eta);
        }

        return shipBy is { } ship && ship <= now ? new Lateness(LatenessKind.NoShipNotice, ship) : null;
    }

    /// <summary>A line received beyond what was ordered (certain whenever seen: nothing can make it right).</summary>
    public static bool OverReceived(PurchaseLineTotals line) => line.Received > line.Ordered;

    /// <summary>
    /// Why a purchase receipt cannot be applied at a warehouse (null: it can). Checked before the
    /// event touches stock, so a receipt for an unknown or cancelled purchase order, at another
    /// warehouse or of a SKU it does not carry becomes a dead letter with that reason.
    /// </summary>
    public static string? RefuseReceipt(PurchaseOrderRoute? route, WarehouseEvent e)
    {
        if (route is null)
        {
            return $"unknown purchase order '{e.PurchaseOrderId}'";
        }

        if (route.Status == PurchaseOrderStatus.Cancelled)
        {
            return $"purchase order '{route.PurchaseOrderId}' was cancelled";
        }

        if (!string.Equals(e.WarehouseId, route.WarehouseId, StringComparison.Ordinal))
        {
            return $"purchase order '{route.PurchaseOrderId}' is received at '{route.WarehouseId}', not '{e.WarehouseId}'";
        }

        return route.Skus.Contains(e.Sku, StringComparer.Ordinal) ? null : $"SKU '{e.Sku}' is not on purchase order '{route.PurchaseOrderId}'";
    }

    /// <summary>The status as the JSON writes it (camelCase), for messages.</summary>
    public static string Name(PurchaseOrderStatus status) => char.ToLowerInvariant(status.ToString()[0]) + status.ToString()[1..];
}
