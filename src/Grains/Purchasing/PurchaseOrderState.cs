using Distribution.Common;

namespace Distribution.Purchasing;

/// <summary>Stored state of one purchase order.</summary>
[GenerateSerializer]
public sealed class PurchaseOrderState : IHasWakeTime
{
    [Id(0)] public PurchaseOrderRequest? Request { get; set; }
    /// <summary>Canonical form of the request: a resubmission with another body is a conflict.</summary>
    [Id(1)] public string? Fingerprint { get; set; }
    [Id(2)] public PurchaseOrderStatus Status { get; set; }
    [Id(3)] public DateTimeOffset CreatedAt { get; set; }
    /// <summary>The supplier's lead time when the order was raised (later changes do not move its dates).</summary>
    [Id(4)] public double LeadTimeDays { get; set; }
    [Id(5)] public DateTimeOffset? SentAt { get; set; }
    [Id(6)] public DateTimeOffset? AcknowledgedAt { get; set; }
    /// <summary>When the ship notice was recorded, its ETA and its canonical form (a repeat answers the same).</summary>
    [Id(7)] public DateTimeOffset? ShipNoticeAt { get; set; }
    [Id(8)] public DateTimeOffset? ShipNoticeEta { get; set; }
    [Id(9)] public string? ShipNoticeFingerprint { get; set; }
    [Id(10)] public DateTimeOffset? ClosedAt { get; set; }
    [Id(11)] public DateTimeOffset? CancelledAt { get; set; }
    [Id(12)] public List<PurchaseOrderLineState> Lines { get; set; } = [];
    [Id(13)] public List<PurchaseOrderTimelineEntry> Timeline { get; set; } = [];

    /// <summary>
    /// Set (and written) with every change before the destination's inbound is updated, cleared
    /// once it is: after a crash in between, the recovery sweep wakes the purchase order to set it.
    /// </summary>
    [Id(14)] public DateTimeOffset? InboundDueBy { get; set; }

    /// <summary>The expected ship date and the ETA at which lateness was last judged (each is judged once; a new date asks for a new review).</summary>
    [Id(15)] public DateTimeOffset? ReviewedShipBy { get; set; }
    [Id(16)] public DateTimeOffset? ReviewedEta { get; set; }

    /// <summary>A purchaseOrderLate exception is open (resolved once nothing is late any more).</summary>
    [Id(17)] public bool LateRaised { get; set; }

    public PurchaseOrderFacts Facts => new()
    {
        CreatedAt = CreatedAt,
        LeadTimeDays = LeadTimeDays,
        RequestedDelivery = Request?.RequestedDeliveryDate,
        SentAt = SentAt,
        AcknowledgedAt = AcknowledgedAt,
        ShipNoticeAt = ShipNoticeAt,
        ShipNoticeEta = ShipNoticeEta,
        Closed = ClosedAt is not null,
        Cancelled = CancelledAt is not null,
        Lines = [.. Lines.Select(l => l.Totals)],
    };

    /// <summary>An owed inbound update, else the earliest deadline (expected ship date, ETA) not yet judged.</summary>
    public DateTimeOffset? WakeAt => InboundDueBy ?? DueReview;

    public DateTimeOffset? DueReview
    {
        get
        {
            if (Request is null)
            {
                return null;
            }

            var (shipBy, arriveBy) = PurchaseOrderRules.Deadlines(Facts);
            DateTimeOffset? due = null;
            if (shipBy is { } s && s != ReviewedShipBy)
            {
                due = s;
            }

            if (arriveBy is { } a && a != ReviewedEta && (due is null || a < due))
            {
                due = a;
            }

            return due;
        }
    }
}

[GenerateSerializer]
public sealed class PurchaseOrderLineState
{
    [Id(0)] public required string Sku { get; set; }
    [Id(1)] public int Quantity { get; set; }
    /// <summary>What the ship notice said shipped.</summary>
    [Id(2)] public int Shipped { get; set; }
    /// <summary>Total received at the destination, as its SKU-location reported it.</summary>
    [Id(3)] public int Received { get; set; }

    public PurchaseLineTotals Totals => new(Quantity, Shipped, Received);
}
