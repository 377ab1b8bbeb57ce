using Distribution.Common;
using Distribution.Events.Streaming;
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
public sealed class WarehouseEventsGrain(GrainReferences refs, TimeProvider time, ILogger<WarehouseEventsGrain> logger)
    : Grain, IWarehouseEventsGrain, IStreamSubscriptionObserver, IAsyncObserver<WarehouseEventBatch>
{
    private readonly HashSet<string> _knownSkus = new(StringComparer.Ordinal);
    private bool _warehouseKnown;

    private string WarehouseId => this.GetPrimaryKeyString();

    public async Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory) =>
        await handleFactory.Create<WarehouseEventBatch>().ResumeAsync(this);

    public Task OnNextAsync(WarehouseEventBatch item, StreamSequenceToken? token = null) => Process(item);

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex)
    {
        logger.LogWarning(ex, "Event stream of warehouse {Warehouse} reported an error", WarehouseId);
        return Task.CompletedTask;
    }

    public async Task Process(WarehouseEventBatch batch)
    {
        if (batch.Events.Count == 0)
        {
            return;
        }

        var unknownWarehouse = await IsWarehouseKnownAsync() ? null : $"unknown warehouse '{WarehouseId}'";
        var refusals = unknownWarehouse is null ? await RefuseMovementsAsync(batch.Events) : null;
        var bySku = batch.Events.GroupBy(e => e.Event.Sku, StringComparer.Ordinal).ToList();
        var applied = await Task.WhenAll(bySku.Select(async group =>
        {
            var reason = unknownWarehouse ?? (await IsSkuKnownAsync(group.Key) ? null : $"unknown SKU '{group.Key}'");
            var events = group.ToList();
            // What the SKU-location's change sets off (backorders woken, allocated) carries the
            // correlation id of the request that brought the events.
            CorrelationContext.Current = events[^1].CorrelationId;
            var results = await GrainFactory.GetGrain<ISkuLocationGrain>(SkuLocationKey.Format(WarehouseId, group.Key))
                .ApplyEvents(events, reason, refusals);
            return events.Zip(results);
        }));

        var outcomes = applied.SelectMany(x => x).ToList();
        await Task.WhenAll(NotifyOrders(outcomes).Concat(NotifyTransfers(outcomes)).Concat(NotifyPurchaseOrders(outcomes)).Concat(CloseRedrives(outcomes)));
        Measure(outcomes);
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

        var transfers = RoutesAsync(movements.Select(e => e.Event.TransferId!), id => GrainFactory.GetGrain<ITransferGrain>(id).GetRoute());
        var purchaseOrders = RoutesAsync(receipts.Select(e => e.Event.PurchaseOrderId!), id => GrainFactory.GetGrain<IPurchaseOrderGrain>(id).GetRoute());
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

    /// <summary>Picks and shipments tell their orders the line's totals here (also for duplicates: the first attempt may not have got that far).</summary>
    private IEnumerable<Task> NotifyOrders(List<(JournaledEvent Event, EventApplication Result)> outcomes) =>
        outcomes
            .Where(o => o.Result.Effect != EventEffect.DeadLettered && o.Result.Fulfilment is not null)
            .GroupBy(o => o.Result.Fulfilment!.OrderId, StringComparer.Ordinal)
            .Select(g => GrainFactory.GetGrain<IOrderGrain>(g.Key).RecordFulfilment([.. g.Select(o => new FulfilmentUpdate
            {
                Totals = o.Result.Fulfilment!,
                EventId = o.Event.Event.EventId,
                Type = o.Event.Event.Type,
                OccurredAt = o.Event.Event.OccurredAt,
                CorrelationId = o.Event.CorrelationId,
            })]));

    /// <summary>Transfer movements tell their transfer its totals here (also for duplicates, as for orders).</summary>
    private IEnumerable<Task> NotifyTransfers(List<(JournaledEvent Event, EventApplication Result)> outcomes) =>
        outcomes
            .Where(o => o.Result.Effect != EventEffect.DeadLettered && o.Result.Transfer is not null)
            .GroupBy(o => o.Result.Transfer!.TransferId, StringComparer.Ordinal)
            .Select(g => GrainFactory.GetGrain<ITransferGrain>(g.Key).RecordMovements([.. g.Select(o => new TransferMovement
            {
                Totals = o.Result.Transfer!,
                EventId = o.Event.Event.EventId,
                Type = o.Event.Event.Type,
                OccurredAt = o.Event.Event.OccurredAt,
                CorrelationId = o.Event.CorrelationId,
            })]));

    /// <summary>Purchase receipts tell their purchase order its received totals here (also for duplicates, as for orders).</summary>
    private IEnumerable<Task> NotifyPurchaseOrders(List<(JournaledEvent Event, EventApplication Result)> outcomes) =>
        outcomes
            .Where(o => o.Result.Effect != EventEffect.DeadLettered && o.Result.Purchase is not null)
            .GroupBy(o => o.Result.Purchase!.PurchaseOrderId, StringComparer.Ordinal)
            .Select(g => GrainFactory.GetGrain<IPurchaseOrderGrain>(g.Key).RecordReceipts([.. g.Select(o => new PurchaseReceipt
            {
                Totals = o.Result.Purchase!,
                EventId = o.Event.Event.EventId,
                OccurredAt = o.Event.Event.OccurredAt,
                CorrelationId = o.Event.CorrelationId,
            })]));

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

    private async Task<bool> IsSkuKnownAsync(string sku)
    {
        if (_knownSkus.Contains(sku))
        {
            return true;
        }

        if (await refs.Sku(sku).GetItem() is null)
        {
            return false;
        }

        _knownSkus.Add(sku);
        return true;
    }
}
