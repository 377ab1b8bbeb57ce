using System.Diagnostics;
using System.Runtime.InteropServices;
using Distribution.Common;
using Distribution.Events.Streaming;
using Distribution.Integration.BusinessEvents;
using Distribution.Inventory;
using Distribution.Operations;
using Distribution.Orders;
using Distribution.Purchasing;
using Distribution.Transfers;
using Orleans.Streams;
using Orleans.Streams.Core;

namespace Distribution.Events;

/// <summary>
/// Consumes one warehouse's event stream in journal order: checks the references (warehouse, SKUs,
/// the transfers and purchase orders that movements and receipts name), applies each SKU's events
/// at its SKU-location (SKUs in parallel, each SKU's in order), then tells the orders their pick
/// and ship totals, the transfers their shipped and received totals and the purchase orders their
/// received totals. Holds no state of its own: the SKU-locations recognise redelivered events by
/// sequence and orders, transfers and purchase orders take absolute totals, so processing a batch
/// twice is harmless.
/// </summary>
[ImplicitStreamSubscription(EventStreams.Namespace)]
public sealed class WarehouseEventsGrain(GrainReferences refs, KnownItems items, TimeProvider time, ILogger<WarehouseEventsGrain> logger)
    : Grain, IWarehouseEventsGrain, IStreamSubscriptionObserver, IAsyncObserver<WarehouseEventBatch>
{
    private bool _warehouseKnown;

    private string WarehouseId => this.GetPrimaryKeyString();

    public async Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory) =>
        await handleFactory.Create<WarehouseEventBatch>().ResumeAsync(this);

    /// <summary>
    /// A delivery of this warehouse's stream, applied as one batch. The journal's queue cache merges
    /// the items waiting for the warehouse (up to <c>Events:DeliveryBatchSize</c>, each one journal
    /// read's entries) into one: one write per SKU-location and one finance feed write for all of them.
    /// From the stream the batch continues the traces of the requests that posted its events.
    /// </summary>
    public Task OnNextAsync(WarehouseEventBatch item, StreamSequenceToken? token = null) => ApplyAsync(item, underCaller: false);

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex)
    {
        logger.LogWarning(ex, "Event stream of warehouse {Warehouse} reported an error", WarehouseId);
        return Task.CompletedTask;
    }

    // Called directly (a replay): the batch belongs to the caller's trace.
    public Task Process(WarehouseEventBatch batch) => ApplyAsync(batch, underCaller: true);

    private async Task ApplyAsync(WarehouseEventBatch batch, bool underCaller)
    {
        if (batch.Events.Count == 0)
        {
            return;
        }

        using var span = EventTracing.StartApply(WarehouseId, batch.Events, underCaller);
        var unknownWarehouse = await IsWarehouseKnownAsync() ? null : $"unknown warehouse '{WarehouseId}'";
        var refusals = unknownWarehouse is null ? await RefuseMovementsAsync(batch.Events) : null;
        var bySku = BySku(batch.Events);
        var results = await Task.WhenAll(bySku.Select(g => ApplySkuAsync(g.Key, g.Value, unknownWarehouse, refusals, underCaller ? null : span)));
        var outcomes = new List<(JournaledEvent Event, EventApplication Result)>(batch.Events.Count);
        // The dictionary, unchanged since, enumerates its SKUs in the same order again.
        foreach (var (events, applied) in bySku.Values.Zip(results))
        {
            for (var i = 0; i < events.Count; i++)
            {
                outcomes.Add((events[i], applied.Items[i]));
            }
        }

        // The movements' feed write goes alongside the notifications: neither needs the other.
        await Task.WhenAll(NotifyOrders(outcomes).Concat(NotifyTransfers(outcomes)).Concat(NotifyPurchaseOrders(outcomes)).Concat(CloseRedrives(outcomes))
            .Append(RecordStockMovementsAsync(outcomes)));
        Measure(outcomes);
    }

    /// <summary>The batch's events by SKU, each SKU's in journal order.</summary>
    private static Dictionary<string, List<JournaledEvent>> BySku(IReadOnlyList<JournaledEvent> events)
    {
        var bySku = new Dictionary<string, List<JournaledEvent>>(StringComparer.Ordinal);
        foreach (var e in events)
        {
            ref var list = ref CollectionsMarshal.GetValueRefOrAddDefault(bySku, e.Event.Sku, out _);
            (list ??= new List<JournaledEvent>(1)).Add(e);
        }

        return bySku;
    }

    /// <summary>One SKU's events at its SKU-location (the SKUs of a batch go in parallel).</summary>
    private async Task<EventApplications> ApplySkuAsync(
        string sku, List<JournaledEvent> events, string? unknownWarehouse, IReadOnlyDictionary<long, string>? refusals, Activity? batchSpan)
    {
        var reason = unknownWarehouse ?? (await items.IsKnownAsync(sku) ? null : $"unknown SKU '{sku}'");
        // From the stream, a SKU whose events came with another post than the batch's first
        // continues that post's trace (a replay keeps them all in the caller's).
        using var groupSpan = EventTracing.StartSkuGroup(batchSpan, WarehouseId, sku, events);
        // What the SKU-location's change sets off (backorders woken, allocated) carries the
        // correlation id of the request that brought the events.
        CorrelationContext.Current = events[^1].CorrelationId;
        return await GrainFactory.Keyed<ISkuLocationGrain>(SkuLocationKey.Format(WarehouseId, sku)).ApplyEvents(events, reason, refusals);
    }

    /// <summary>
    /// The batch's stock movements go to the finance feed directly (not through the business event
    /// bus, which would store each one, hand it over and delete it: two more writes per movement on
    /// the ingest path) and to the bus for webhook subscriptions that want them (the bus stores
    /// nothing when none does). Duplicates too, since the first delivery may have stopped before
    /// this; both recognise them by id. Before the batch counts as processed, so none is lost.
    /// </summary>
    private Task RecordStockMovementsAsync(List<(JournaledEvent Event, EventApplication Result)> outcomes)
    {
        var movements = BusinessEventBus.WithTraceContext([.. outcomes
            .Where(o => o.Result.Effect != EventEffect.DeadLettered)
            .Select(o => StockMovementEvents.Of(o.Event, o.Result.CountDifference))
            .OfType<BusinessEvent>()]);
        return movements.Count == 0
            ? Task.CompletedTask
            : Task.WhenAll(GrainFactory.GetGrain<IFinanceFeedGrain>(0).Consume(movements), BusinessEventBus.Publish(GrainFactory, movements));
    }

    /// <summary>
    /// Transfer movements whose transfer does not exist, is not under way, does not ship from or
    /// arrive at this warehouse, or does not carry the SKU, and purchase receipts whose purchase
    /// order does not exist, was cancelled, is received elsewhere or does not carry the SKU: each
    /// with its reason, by journal sequence.
    /// </summary>
    private async Task<IReadOnlyDictionary<long, string>?> RefuseMovementsAsync(IReadOnlyList<JournaledEvent> events)
    {
        var movements = events.Where(e => e.Event.Type is WarehouseEventType.TransferShipped or WarehouseEventType.TransferReceived).ToList();
        var receipts = events.Where(e => e.Event.Type == WarehouseEventType.PurchaseReceived).ToList();
        if (movements.Count == 0 && receipts.Count == 0)
        {
            return null;
        }

        var transfers = RoutesAsync(movements.Select(e => e.Event.TransferId!), id => GrainFactory.Keyed<ITransferGrain>(id).GetRoute());
        var purchaseOrders = RoutesAsync(receipts.Select(e => e.Event.PurchaseOrderId!), id => GrainFactory.Keyed<IPurchaseOrderGrain>(id).GetRoute());
        var refusals = new Dictionary<long, string>();
        foreach (var e in movements)
        {
            if (TransferRules.RefuseMovement((await transfers)[e.Event.TransferId!], e.Event) is { } reason)
            {
                refusals[e.Sequence] = reason;
            }
        }

        foreach (var e in receipts)
        {
            if (PurchaseOrderRules.RefuseReceipt((await purchaseOrders)[e.Event.PurchaseOrderId!], e.Event) is { } reason)
            {
                refusals[e.Sequence] = reason;
            }
        }

        return refusals;
    }

    /// <summary>The route of each id named, asked once per id and all at once.</summary>
    private static async Task<Dictionary<string, T?>> RoutesAsync<T>(IEnumerable<string> ids, Func<string, Task<T?>> get)
    {
        var distinct = ids.Distinct(StringComparer.Ordinal).ToList();
        var routes = await Task.WhenAll(distinct.Select(get));
        return distinct.Zip(routes).ToDictionary(x => x.First, x => x.Second, StringComparer.Ordinal);
    }

    /// <summary>Picks and shipments tell their orders the line's totals here.</summary>
    private IEnumerable<Task> NotifyOrders(List<(JournaledEvent Event, EventApplication Result)> outcomes) =>
        Notify(outcomes, r => r.Fulfilment, f => f.OrderId, (orderId, events) =>
            GrainFactory.Keyed<IOrderGrain>(orderId).RecordFulfilment([.. events.Select(e => new FulfilmentUpdate
            {
                Totals = e.Totals,
                EventId = e.Event.Event.EventId,
                Type = e.Event.Event.Type,
                OccurredAt = e.Event.Event.OccurredAt,
                CorrelationId = e.Event.CorrelationId,
            })]));

    /// <summary>Transfer movements tell their transfer its totals here.</summary>
    private IEnumerable<Task> NotifyTransfers(List<(JournaledEvent Event, EventApplication Result)> outcomes) =>
        Notify(outcomes, r => r.Transfer, t => t.TransferId, (transferId, events) =>
            GrainFactory.Keyed<ITransferGrain>(transferId).RecordMovements([.. events.Select(e => new TransferMovement
            {
                Totals = e.Totals,
                EventId = e.Event.Event.EventId,
                Type = e.Event.Event.Type,
                OccurredAt = e.Event.Event.OccurredAt,
                CorrelationId = e.Event.CorrelationId,
            })]));

    /// <summary>Purchase receipts tell their purchase order its received totals here.</summary>
    private IEnumerable<Task> NotifyPurchaseOrders(List<(JournaledEvent Event, EventApplication Result)> outcomes) =>
        Notify(outcomes, r => r.Purchase, p => p.PurchaseOrderId, (purchaseOrderId, events) =>
            GrainFactory.Keyed<IPurchaseOrderGrain>(purchaseOrderId).RecordReceipts([.. events.Select(e => new PurchaseReceipt
            {
                Totals = e.Totals,
                EventId = e.Event.Event.EventId,
                OccurredAt = e.Event.Event.OccurredAt,
                CorrelationId = e.Event.CorrelationId,
            })]));

    /// <summary>
    /// One call per order, transfer or purchase order named by the events' results, with its totals
    /// here in journal order. Duplicates notify too: the first attempt may not have got that far.
    /// </summary>
    private static IEnumerable<Task> Notify<TTotals>(
        List<(JournaledEvent Event, EventApplication Result)> outcomes,
        Func<EventApplication, TTotals?> totalsOf,
        Func<TTotals, string> targetOf,
        Func<string, IEnumerable<(JournaledEvent Event, TTotals Totals)>, Task> send)
        where TTotals : class =>
        outcomes
            .Where(o => o.Result.Effect != EventEffect.DeadLettered && totalsOf(o.Result) is not null)
            .Select(o => (o.Event, Totals: totalsOf(o.Result)!))
            .GroupBy(o => targetOf(o.Totals), StringComparer.Ordinal)
            .Select(g => send(g.Key, g));

    /// <summary>A re-driven dead letter that went through closes its exception (a failed one reopened it already).</summary>
    private IEnumerable<Task> CloseRedrives(List<(JournaledEvent Event, EventApplication Result)> outcomes) =>
        outcomes
            .Where(o => o.Event.RedriveOf is not null && o.Result.Effect != EventEffect.DeadLettered)
            .Select(o => ExceptionQueue.Shard(GrainFactory, o.Event.RedriveOf!)
                .ResolveByRetry(o.Event.RedriveOf!, $"re-driven event applied (journal sequence {o.Event.Sequence})"));

    private void Measure(List<(JournaledEvent Event, EventApplication Result)> outcomes)
    {
        var now = time.GetUtcNow();
        var warehouse = new KeyValuePair<string, object?>("warehouse", WarehouseId);
        foreach (var (e, result) in outcomes)
        {
            if (result.Effect == EventEffect.Applied)
            {
                HubMetrics.EventLatency.Record(Math.Max(0, (now - e.Event.OccurredAt).TotalSeconds), warehouse);
                HubMetrics.EventApplyLag.Record(Math.Max(0, (now - e.AcceptedAt).TotalSeconds), warehouse);
            }
            else if (result.Effect == EventEffect.DeadLettered)
            {
                HubMetrics.EventsDeadLettered.Add(1, warehouse);
            }
        }
    }

    private async Task<bool> IsWarehouseKnownAsync()
    {
        if (!_warehouseKnown)
        {
            var view = await refs.Network.GetView();
            _warehouseKnown = view.Warehouses.Any(w => w.WarehouseId == WarehouseId);
        }

        return _warehouseKnown;
    }
}
