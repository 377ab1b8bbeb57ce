using System.Diagnostics.Metrics;

namespace Distribution.Common;

/// <summary>
/// The hub's business metrics (meter <see cref="MeterName"/>), exported for Prometheus at
/// <c>/metrics</c> by each process that hosts HTTP.
/// </summary>
public static class HubMetrics
{
    public const string MeterName = "Distribution.Hub";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Events posted, tagged type, warehouse and verdict (accepted, duplicate, rejected).</summary>
    public static readonly Counter<long> EventsIngested = Meter.CreateCounter<long>(
        "distribution.events.ingested", "{event}", "Warehouse events posted, by type, warehouse and verdict");

    /// <summary>Business time from an event's occurredAt to its application, tagged warehouse.</summary>
    public static readonly Histogram<double> EventLatency = Meter.CreateHistogram(
        "distribution.events.latency", "s", "Time from an event's occurredAt to its application at its SKU-location",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3600, 86400] });

    /// <summary>Wall time from acceptance (202) to application, tagged warehouse.</summary>
    public static readonly Histogram<double> EventApplyLag = Meter.CreateHistogram(
        "distribution.events.apply_lag", "s", "Time from an event's acceptance to its application",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });

    /// <summary>Batches answered 429 because a journal queue's backlog was at its limit.</summary>
    public static readonly Counter<long> EventBatchesThrottled = Meter.CreateCounter<long>(
        "distribution.events.throttled", "{batch}", "Event batches not taken (429) because applying was behind");

    /// <summary>Events dead-lettered while being applied, tagged warehouse.</summary>
    public static readonly Counter<long> EventsDeadLettered = Meter.CreateCounter<long>(
        "distribution.events.dead_lettered", "{event}", "Accepted events that could not be applied");

    /// <summary>One group commit of the PostgreSQL event journal (lock, insert, commit).</summary>
    public static readonly Histogram<double> JournalCommitDuration = Meter.CreateHistogram(
        "distribution.journal.commit_duration", "s", "Duration of one group commit of the event journal",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1] });

    public static readonly Histogram<int> JournalCommitSize = Meter.CreateHistogram(
        "distribution.journal.commit_size", "{event}", "Events appended by one group commit of the event journal",
        advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 10, 50, 100, 200, 500, 1000, 2000, 5000] });

    public static readonly Counter<long> PromiseBreaches = Meter.CreateCounter<long>(
        "distribution.promise_breaches", "{shipment}", "Shipments later than the promised ship date, by warehouse");

    /// <summary>Transfers whose source reservations were all made, tagged from and to warehouse.</summary>
    public static readonly Counter<long> TransfersCreated = Meter.CreateCounter<long>(
        "distribution.transfers.created", "{transfer}", "Transfers created (every line reserved at the source)");

    /// <summary>Transfers that shipped every line in full, tagged from and to warehouse.</summary>
    public static readonly Counter<long> TransfersShipped = Meter.CreateCounter<long>(
        "distribution.transfers.shipped", "{transfer}", "Transfers shipped in full by their source");

    /// <summary>Transfers whose destination received everything shipped, tagged from and to warehouse.</summary>
    public static readonly Counter<long> TransfersReceived = Meter.CreateCounter<long>(
        "distribution.transfers.received", "{transfer}", "Transfers received in full at their destination");

    /// <summary>Purchase orders created, tagged supplier and (destination) warehouse.</summary>
    public static readonly Counter<long> PurchaseOrdersCreated = Meter.CreateCounter<long>(
        "distribution.purchase_orders.created", "{purchase_order}", "Purchase orders created");

    /// <summary>Purchase orders sent to their supplier (the outbound event), tagged supplier and warehouse.</summary>
    public static readonly Counter<long> PurchaseOrdersSent = Meter.CreateCounter<long>(
        "distribution.purchase_orders.sent", "{purchase_order}", "Purchase orders sent to their supplier");

    /// <summary>Purchase orders whose destination received everything expected, tagged supplier and warehouse.</summary>
    public static readonly Counter<long> PurchaseOrdersReceived = Meter.CreateCounter<long>(
        "distribution.purchase_orders.received", "{purchase_order}", "Purchase orders received in full at their destination");

    /// <summary>Replenishment recommendations created, tagged destination warehouse and kind (transfer, purchase).</summary>
    public static readonly Counter<long> RecommendationsCreated = Meter.CreateCounter<long>(
        "distribution.replenishment.recommendations", "{recommendation}", "Replenishment recommendations created, by warehouse and kind");

    /// <summary>
    /// Replenishment cycle time: from the signal (the recommendation) to the receipt in full of the
    /// transfer or purchase order it created, in business days, tagged warehouse and kind.
    /// </summary>
    public static readonly Histogram<double> ReplenishmentCycleTime = Meter.CreateHistogram(
        "distribution.replenishment.cycle_time", "d", "Business days from a replenishment recommendation to the receipt of what it created",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.5, 1, 2, 3, 5, 7, 10, 14, 21, 30, 45, 60] });

    /// <summary>Stockouts: a SKU-location's available quantity fell to zero (from above), tagged warehouse.</summary>
    public static readonly Counter<long> Stockouts = Meter.CreateCounter<long>(
        "distribution.stockouts", "{stockout}", "Times a SKU-location's available quantity fell to zero");

    /// <summary>Duration of a network replenishment pass.</summary>
    public static readonly Histogram<double> ReplenishmentPassDuration = Meter.CreateHistogram(
        "distribution.replenishment.pass_duration", "s", "Duration of one network replenishment pass",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60] });

    /// <summary>Orders placed (first placement, not replays), tagged status and backordered (true when any unit waits).</summary>
    public static readonly Counter<long> OrdersPlaced = Meter.CreateCounter<long>(
        "distribution.orders.placed", "{order}", "Orders placed, by resulting status and whether any unit was backordered");

    /// <summary>Units backordered when orders were placed.</summary>
    public static readonly Counter<long> OrderBackorderedUnits = Meter.CreateCounter<long>(
        "distribution.orders.backordered_units", "{unit}", "Units backordered at placement");

    /// <summary>Wall time of an order's first placement, from validation to its answer.</summary>
    public static readonly Histogram<double> AllocationLatency = Meter.CreateHistogram(
        "distribution.orders.allocation_latency", "s", "Wall time of placing an order: validation, sourcing, reservations and its write",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5] });
}
