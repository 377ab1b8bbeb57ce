using Distribution.Common;

namespace Distribution.Transfers;

/// <summary>Stored state of one transfer.</summary>
[GenerateSerializer]
public sealed class TransferState : IHasWakeTime
{
    [Id(0)] public TransferRequest? Request { get; set; }
    /// <summary>Canonical form of the request: a resubmission with another body is a conflict.</summary>
    [Id(1)] public string? Fingerprint { get; set; }
    [Id(2)] public TransferStatus Status { get; set; }
    [Id(3)] public DateTimeOffset CreatedAt { get; set; }
    /// <summary>The lane's transit days when the transfer was created (later lane changes do not move its ETA).</summary>
    [Id(4)] public double TransitDays { get; set; }
    [Id(5)] public List<TransferLineState> Lines { get; set; } = [];
    [Id(6)] public string? RejectionReason { get; set; }
    /// <summary>The field errors a rejection was answered with, so a repeated request gets the same answer.</summary>
    [Id(7)] public List<FieldError> RejectionErrors { get; set; } = [];
    [Id(8)] public List<TransferTimelineEntry> Timeline { get; set; } = [];
    /// <summary>
    /// Set (and written) before the first source reservation is requested, cleared with the
    /// outcome: after a crash the transfer knows it must release what it may hold and try again.
    /// </summary>
    [Id(9)] public DateTimeOffset? IntentDeadline { get; set; }
    /// <summary>An overdue exception is open for this transfer (resolved once nothing is in transit).</summary>
    [Id(10)] public bool OverdueRaised { get; set; }
    /// <summary>Cancelled by request (the status says cancelled while nothing has moved).</summary>
    [Id(11)] public bool Cancelled { get; set; }

    /// <summary>The intent's deadline, else the earliest ETA of a line not yet reviewed at it.</summary>
    public DateTimeOffset? WakeAt => IntentDeadline ?? Lines.Select(DueReview).Where(d => d is not null).Min();

    public DateTimeOffset? Eta(TransferLineState line) =>
        line.LastShippedAt is { } shipped ? TransferRules.Eta(shipped, TransitDays) : null;

    /// <summary>When the line must be reviewed (its ETA), if it has something to judge and was not reviewed at that ETA yet.</summary>
    public DateTimeOffset? DueReview(TransferLineState line)
    {
        var t = line.Totals;
        return Eta(line) is { } eta && eta != line.ReviewedEta && (t.InTransit > 0 || t.Received > t.Shipped) ? eta : null;
    }
}

[GenerateSerializer]
public sealed class TransferLineState
{
    [Id(0)] public required string Sku { get; set; }
    [Id(1)] public int Quantity { get; set; }
    /// <summary>Total shipped by the source, as its SKU-location reported it.</summary>
    [Id(2)] public int Shipped { get; set; }
    /// <summary>Total received at the destination, as its SKU-location reported it.</summary>
    [Id(3)] public int Received { get; set; }
    /// <summary>Business time of the latest shipment: the in-transit units' ETA counts from it.</summary>
    [Id(4)] public DateTimeOffset? LastShippedAt { get; set; }
    /// <summary>The ETA at which the line was last reviewed (a later shipment moves the ETA and asks for a new review).</summary>
    [Id(5)] public DateTimeOffset? ReviewedEta { get; set; }
    /// <summary>The kind of the receipt discrepancy raised for this line, if one is open.</summary>
    [Id(6)] public DiscrepancyKind? Discrepancy { get; set; }
    /// <summary>Business time of the latest receipt (a receipt may be applied before its shipment).</summary>
    [Id(7)] public DateTimeOffset? LastReceivedAt { get; set; }

    public TransferLineTotals Totals => new(Quantity, Shipped, Received);
}
