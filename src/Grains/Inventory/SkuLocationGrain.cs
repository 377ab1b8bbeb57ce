using Distribution.Common;
using Distribution.Events;
using Distribution.Operations;
using Distribution.Orders;
using Distribution.Purchasing;
using Distribution.Replenishment;
using Distribution.Transfers;
using Microsoft.Extensions.Options;

namespace Distribution.Inventory;

/// <summary>
/// The single writer of one SKU's stock at one warehouse. Reentrant so a hot SKU-location can take
/// many reservations per storage round trip: each check-and-reserve is synchronous (atomic within
/// the activation), then the caller awaits the coalesced write that makes it durable.
/// </summary>
[Reentrant]
public sealed class SkuLocationGrain : Grain, ISkuLocationGrain
{
    private readonly IPersistentState<SkuLocationState> _state;
    private readonly TimeProvider _time;
    private readonly AllocationOptions _options;
    private readonly ILogger<SkuLocationGrain> _logger;
    private readonly CoalescedWriter _writer;
    private string _warehouseId = "";
    private string _sku = "";
    private int _reserved;
    // Available as of the last change, so a fall to zero is counted once as a stockout.
    private int _lastAvailable;
    // Reports to the network view are ordered by (activation epoch, change count): counts restart
    // with each activation, so a reloaded activation is never mistaken for an older one.
    // Wall-clock ticks order activations only; it is not business time.
    private readonly long _epoch = DateTime.UtcNow.Ticks;
    private long _reportVersion;
    private bool _reportInFlight;
    private bool _reportAgain;
    private bool _deactivating;
    private bool _reviewing;
    private ISkuGrain _skuView = null!;
    // Units promised to orders per inbound source (sum of the reservations' Inbound), kept beside the
    // reservations so a report does not scan thousands of them. Null while nothing is promised.
    private Dictionary<string, int>? _promised;
    private bool _cutsPending;

    public SkuLocationGrain(
        IPersistentStateFactory stateFactory,
        IGrainContext context,
        TimeProvider time,
        IOptions<AllocationOptions> options,
        ILogger<SkuLocationGrain> logger)
    {
        // Created without the [PersistentState] attribute, whose reflection runs on every activation
        // (a million of them when a silo brings the network live).
        _state = GrainStorage.Create<SkuLocationState>(stateFactory, context, "skuLocation");
        _time = time;
        _options = options.Value;
        _logger = logger;
        _writer = CoalescedWriter.ForState(this, _state, _logger);
    }

    private SkuLocationState S => _state.State;

    private int Available => Math.Max(0, S.OnHand - _reserved - S.SafetyStock);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (var warehouseId, _sku) = SkuLocationKey.Parse(this.GetPrimaryKeyString());
        // A few dozen warehouses, a million SKU-locations: one copy of each warehouse id.
        _warehouseId = string.Intern(warehouseId);
        _skuView = GrainFactory.Keyed<ISkuGrain>(_sku);
        _reserved = S.Reserved;
        foreach (var r in S.Reservations.Values)
        {
            AdjustPromised(r, 1);
            _cutsPending |= r.CutPending;
        }

        if (_cutsPending)
        {
            this.RegisterGrainTimer(static (grain, _) => grain.NotifyCutsAsync(), this, new GrainTimerCreationOptions(TimeSpan.Zero, Timeout.InfiniteTimeSpan));
        }

        _lastAvailable = Available;
        if (_state.RecordExists && (S.OnHand != 0 || S.Reservations.Count > 0 || S.Inbound.Count > 0 || S.LastSnapshotAt is not null || S.RecentMovements.Count > 0 || S.Policy is not null))
        {
            // The network view is persisted lazily; after a crash it may lag what is stored here.
            Report();
        }

        return Task.CompletedTask;
    }

    public async Task<ReservationResult> Reserve(ReservationRequest request)
    {
        if (request.Quantity < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(request), "Reservation quantity must not be negative.");
        }

        if (request.InboundSource is not null)
        {
            return await ReserveInboundAsync(request);
        }

        var transfer = request.Owner == ReservationOwner.Transfer;
        var key = transfer ? TransferKey(request.OrderId) : ReservationKey(request.OrderId, request.LineId);
        var existing = S.Reservations.GetValueOrDefault(key);
        // The owner asks for what its line is allocated here in total; units already picked or
        // shipped have left the reservation, so it holds only the rest.
        var consumed = transfer
            ? S.Transfers?.GetValueOrDefault(request.OrderId)?.Shipped ?? 0
            : S.Fulfilments?.GetValueOrDefault(key)?.Totals.Consumed ?? 0;
        // Inbound units received for this line were moved into its on-hand hold without the owner
        // hearing of it: its request counts only what it allocated from stock on hand.
        var hold = request.Quantity + (existing?.Converted ?? 0) - consumed;
        var delta = Math.Max(0, hold) - (existing?.Quantity ?? 0);
        if (delta > Available)
        {
            return new ReservationResult(false, Available);
        }

        if (hold <= 0)
        {
            if (existing is { Quantity: > 0 })
            {
                Store(key, existing with { Quantity = 0 });
                _reserved -= existing.Quantity;
                Changed();
            }
        }
        // A retry of the same reservation changes nothing but still waits for durability.
        else if (existing is null || delta != 0)
        {
            S.Reservations[key] = (existing ?? new Reservation { OrderId = request.OrderId, LineId = request.LineId }) with
            {
                Quantity = hold,
                ExpiresAt = request.ExpiresAt,
                Owner = request.Owner,
            };
            _reserved += delta;
            if (S.WakeAt is null || request.ExpiresAt < S.WakeAt)
            {
                S.WakeAt = request.ExpiresAt;
            }

            Changed();
        }

        var availableAfter = Available;
        await _writer.WriteAsync();
        return new ReservationResult(true, availableAfter);
    }

    /// <summary>
    /// Sets what an order line is promised here from an inbound source (<see cref="ReservationRequest.Quantity"/>,
    /// received units included): refused beyond what the source brings and is not promised to others.
    /// </summary>
    private async Task<ReservationResult> ReserveInboundAsync(ReservationRequest request)
    {
        var source = request.InboundSource!;
        var key = ReservationKey(request.OrderId, request.LineId);
        var existing = S.Reservations.GetValueOrDefault(key);
        if (existing?.InboundSource is { } other && other != source && (existing.Inbound > 0 || existing.Converted > 0))
        {
            return new ReservationResult(false, 0); // one inbound source per line here
        }

        var hold = Math.Max(0, request.Quantity - (existing?.Converted ?? 0));
        var delta = hold - (existing?.Inbound ?? 0);
        if (delta > 0 && delta > (InboundEntryOf(source)?.Quantity ?? 0) - PromisedFrom(source))
        {
            return new ReservationResult(false, Available);
        }

        // A retry of the same promise changes nothing but still waits for durability.
        if (delta != 0)
        {
            var updated = (existing ?? new Reservation { OrderId = request.OrderId, LineId = request.LineId }) with
            {
                Inbound = hold,
                InboundSource = source,
                InboundSince = existing?.InboundSince ?? _time.GetUtcNow(),
                ExpiresAt = request.ExpiresAt,
                Owner = ReservationOwner.Order,
            };
            if (existing is not null)
            {
                AdjustPromised(existing, -1);
            }

            AdjustPromised(updated, 1);
            Store(key, updated);
            if (S.WakeAt is null || request.ExpiresAt < S.WakeAt)
            {
                S.WakeAt = request.ExpiresAt;
            }

            Changed();
        }

        await _writer.WriteAsync();
        return new ReservationResult(true, Available);
    }

    /// <summary>Keeps a reservation while it holds or owes anything; drops it once it is empty.</summary>
    private void Store(string key, Reservation reservation)
    {
        if (reservation is { Quantity: 0, Inbound: 0, CutPending: false })
        {
            S.Reservations.Remove(key);
        }
        else
        {
            S.Reservations[key] = reservation;
        }
    }

    private void AdjustPromised(Reservation r, int sign)
    {
        if (r.InboundSource is { } source && r.Inbound > 0)
        {
            var left = PromisedFrom(source) + (sign * r.Inbound);
            if (left > 0)
            {
                (_promised ??= new(StringComparer.Ordinal))[source] = left;
            }
            else
            {
                _promised?.Remove(source);
            }
        }
    }

    private int PromisedFrom(string source) => _promised?.GetValueOrDefault(source) ?? 0;

    private InboundEntry? InboundEntryOf(string source)
    {
        foreach (var entry in S.Inbound.Values)
        {
            if (entry.Source == source)
            {
                return entry;
            }
        }

        return null;
    }

    /// <summary>
    /// Units of <paramref name="source"/> arrived here (already added to on-hand): they leave the
    /// source's inbound, and the lines promised from it take them, oldest promise first.
    /// </summary>
    private void ConvertReceived(InboundSourceKind kind, string sourceId, int received)
    {
        var source = InboundSources.Format(kind, sourceId);
        var entryKey = InboundKey(kind, sourceId);
        if (S.Inbound.GetValueOrDefault(entryKey) is { } entry)
        {
            var left = entry.Quantity - received;
            if (left > 0)
            {
                S.Inbound[entryKey] = entry with { Quantity = left };
            }
            else
            {
                S.Inbound.Remove(entryKey);
            }
        }

        if (PromisedFrom(source) == 0)
        {
            return;
        }

        _reserved += TakeFromPromises(source, received, newestFirst: false,
            static (r, take) => r with { Inbound = r.Inbound - take, Quantity = r.Quantity + take, Converted = r.Converted + take });
    }

    /// <summary>
    /// When a source brings less than is promised from it (a short or cancelled shipment), the
    /// newest promises give way; their orders are told (<see cref="NotifyCutsAsync"/>).
    /// </summary>
    private bool CutExcess(string source)
    {
        var excess = PromisedFrom(source) - (InboundEntryOf(source)?.Quantity ?? 0);
        if (excess <= 0)
        {
            return false;
        }

        TakeFromPromises(source, excess, newestFirst: true, static (r, cut) => r with { Inbound = r.Inbound - cut, CutPending = true });
        _cutsPending = true;
        return true;
    }

    /// <summary>
    /// Takes up to <paramref name="units"/> from the promises made from <paramref name="source"/>, oldest
    /// (or newest) first, each promise replaced by <paramref name="change"/>(promise, units taken from it).
    /// </summary>
    /// <returns>The units taken.</returns>
    private int TakeFromPromises(string source, int units, bool newestFirst, Func<Reservation, int, Reservation> change)
    {
        var promises = S.Reservations.Pairs.Where(p => p.Value.InboundSource == source && p.Value.Inbound > 0);
        var ordered = newestFirst
            ? promises.OrderByDescending(p => p.Value.InboundSince).ThenByDescending(p => p.Key, StringComparer.Ordinal)
            : promises.OrderBy(p => p.Value.InboundSince).ThenBy(p => p.Key, StringComparer.Ordinal);
        var taken = 0;
        foreach (var (key, promise) in ordered.ToList())
        {
            if (taken == units)
            {
                break;
            }

            var take = Math.Min(promise.Inbound, units - taken);
            taken += take;
            AdjustPromised(promise, -1);
            var after = change(promise, take);
            AdjustPromised(after, 1);
            S.Reservations[key] = after;
        }

        return taken;
    }

    /// <summary>Tells each order whose inbound promise was cut what it still holds; repeated until each has heard.</summary>
    private async Task NotifyCutsAsync()
    {
        if (!_cutsPending)
        {
            return;
        }

        _cutsPending = false;
        var pending = S.Reservations.Pairs.Where(p => p.Value.CutPending).ToList();
        var told = await Task.WhenAll(pending.Select(async p =>
        {
            try
            {
                await GrainFactory.Keyed<IOrderGrain>(p.Value.OrderId)
                    .InboundCut(_warehouseId, p.Value.LineId, p.Value.InboundSource!, p.Value.Inbound + p.Value.Converted);
                return true;
            }
            catch (Exception e)
            {
                _logger.LogWarning(e, "Telling order {OrderId} of its cut inbound promise at {Warehouse}/{Sku} failed; telling it again later", p.Value.OrderId, _warehouseId, _sku);
                return false;
            }
        }));
        for (var i = 0; i < pending.Count; i++)
        {
            var (key, sent) = pending[i];
            if (!told[i])
            {
                _cutsPending = true;
            }
            else if (S.Reservations.GetValueOrDefault(key) is { } current && current == sent)
            {
                Store(key, current with { CutPending = false });
            }
        }

        if (_cutsPending)
        {
            var retry = _time.GetUtcNow() + _options.ReportRetryDelay;
            S.WakeAt = S.WakeAt is { } at && at < retry ? at : retry;
        }

        await _writer.WriteAsync();
    }

    public Task<int> Release(string orderId, string lineId) => ReleaseAsync(ReservationKey(orderId, lineId));

    public Task<int> ReleaseTransfer(string transferId) => ReleaseAsync(TransferKey(transferId));

    private async Task<int> ReleaseAsync(string key)
    {
        if (!S.Reservations.Remove(key, out var removed))
        {
            return 0;
        }

        _reserved -= removed.Quantity;
        AdjustPromised(removed, -1);
        Changed();
        await _writer.WriteAsync();
        return removed.Quantity;
    }

    public async Task SetInbound(InboundEntry entry)
    {
        var key = InboundKey(entry.SourceKind, entry.SourceId);
        var known = S.Inbound.GetValueOrDefault(key);
        if (entry.Quantity <= 0)
        {
            if (known is not null)
            {
                S.Inbound.Remove(key);
                Changed();
            }
        }
        else if (known != entry)
        {
            S.Inbound[key] = entry with { Promised = 0 };
            Changed();
        }

        var cut = CutExcess(entry.Source);
        // A repeated value changes nothing but still waits for the write that holds it.
        await _writer.WriteAsync();
        if (cut)
        {
            // Not awaited: the source's call must not wait on orders.
            _ = NotifyCutsAsync();
        }
    }

    public async Task<SnapshotLineOutcome> ApplySnapshot(DateTimeOffset asOf, int onHand)
    {
        if (S.LastSnapshotAt is { } last && asOf <= last)
        {
            return SnapshotLineOutcome.Stale;
        }

        if (onHand < _reserved)
        {
            _logger.LogWarning(
                "Snapshot of {Warehouse}/{Sku} puts on-hand {OnHand} below reserved {Reserved}",
                _warehouseId, _sku, onHand, _reserved);
        }

        S.LastSnapshotAt = asOf;
        S.OnHand = onHand;
        Changed();
        await _writer.WriteAsync();
        return SnapshotLineOutcome.Applied;
    }

    public async Task SetPolicy(ReplenishmentPolicy policy)
    {
        S.Policy = policy;
        S.SafetyStock = policy.SafetyStock ?? 0;
        Changed();
        await _writer.WriteAsync();
    }

    public async Task<EventApplications> ApplyEvents(
        IReadOnlyList<JournaledEvent> events, string? deadLetterReason, IReadOnlyDictionary<long, string>? refusals)
    {
        var results = new EventApplication[events.Count];
        List<ExceptionRaise>? raises = null;
        var changed = false;
        for (var i = 0; i < events.Count; i++)
        {
            var journaled = events[i];
            var e = journaled.Event;
            var transferId = e.Type is WarehouseEventType.TransferShipped or WarehouseEventType.TransferReceived ? e.TransferId : null;
            var purchaseOrderId = e.Type == WarehouseEventType.PurchaseReceived ? e.PurchaseOrderId : null;
            var lineKey = transferId is not null
                ? TransferKey(transferId)
                : e.OrderId is not null && e.LineId is not null ? ReservationKey(e.OrderId, e.LineId) : null;
            if (journaled.Sequence <= S.LastEventSequence)
            {
                results[i] = new EventApplication
                {
                    Sequence = journaled.Sequence,
                    Effect = EventEffect.Duplicate,
                    Fulfilment = FulfilmentOf(lineKey),
                    Transfer = TransferTotalsOf(transferId),
                    Purchase = PurchaseTotalsOf(purchaseOrderId),
                    CountDifference = CountDifferenceOf(e),
                };
                continue;
            }

            S.LastEventSequence = journaled.Sequence;
            var progress = lineKey is null || transferId is not null ? null : S.Fulfilments?.GetValueOrDefault(lineKey);
            var reservation = lineKey is null ? 0 : S.Reservations.GetValueOrDefault(lineKey)?.Quantity ?? 0;
            var refusal = deadLetterReason ?? refusals?.GetValueOrDefault(journaled.Sequence);
            var decision = refusal is not null
                ? new StockDecision { Reason = refusal }
                : StockEventRules.Decide(e, S.OnHand, progress?.Totals ?? default, reservation);
            if (!decision.Apply)
            {
                (raises ??= []).Add(DeadLetter(journaled, decision));
                results[i] = new EventApplication
                {
                    Sequence = journaled.Sequence,
                    Effect = EventEffect.DeadLettered,
                    Reason = decision.Reason,
                    Fulfilment = FulfilmentOf(lineKey),
                    Transfer = TransferTotalsOf(transferId),
                    Purchase = PurchaseTotalsOf(purchaseOrderId),
                };
                continue;
            }

            Apply(journaled, decision, lineKey);
            changed = true;
            if (decision.Negative)
            {
                (raises ??= []).Add(ExceptionFor(
                    journaled,
                    ExceptionIds.NegativeStock(e.EventId),
                    ExceptionKind.NegativeStock,
                    $"on-hand of '{_sku}' at '{_warehouseId}' is {S.OnHand} after {e.Type} ({e.ReasonCode})",
                    retryable: false));
            }

            if (S.OnHand < _reserved)
            {
                _logger.LogWarning(
                    "{Type} event {EventId} leaves {Warehouse}/{Sku} with on-hand {OnHand} below reserved {Reserved}",
                    e.Type, e.EventId, _warehouseId, _sku, S.OnHand, _reserved);
            }

            results[i] = new EventApplication
            {
                Sequence = journaled.Sequence,
                Effect = EventEffect.Applied,
                Fulfilment = FulfilmentOf(lineKey),
                Transfer = TransferTotalsOf(transferId),
                Purchase = PurchaseTotalsOf(purchaseOrderId),
                CountDifference = CountDifferenceOf(e),
            };
        }

        // Exceptions first: if the state write then fails, redelivery raises them again (same ids),
        // whereas the other order could record an event as handled whose exception was never raised.
        if (raises is not null)
        {
            await Task.WhenAll(raises.Select(r => ExceptionQueue.Shard(GrainFactory, r.Id).Raise(r)));
        }

        // Only applied events report to the network view: events dead-lettered for an unknown
        // warehouse must not make it appear there.
        if (changed)
        {
            PruneFulfilments(events[^1].Event.OccurredAt);
            Changed();
        }

        // Even a pure duplicate waits: the first delivery's write may still be in flight.
        await _writer.WriteAsync();
        return new EventApplications(results);
    }

    private void Apply(JournaledEvent journaled, StockDecision decision, string? lineKey)
    {
        var e = journaled.Event;
        if (decision.Line is { } line && lineKey is not null)
        {
            var progress = S.Fulfilments?.GetValueOrDefault(lineKey);
            if (progress is null)
            {
                (S.Fulfilments ??= new(StringComparer.Ordinal))[lineKey] = progress = new LineProgress { OrderId = e.OrderId!, LineId = e.LineId! };
            }

            if (line.Shipped > progress.Shipped)
            {
                // Consumption teaches the planner this location's demand, by business day.
                var day = DateOnly.FromDateTime(e.OccurredAt.UtcDateTime);
                S.Demand = SkuReplenishmentPlan.Snapshot(SkuReplenishmentPlan.Demand(S.Demand).Record(day, line.Shipped - progress.Shipped));
            }

            progress.Picked = line.Picked;
            progress.Shipped = line.Shipped;
            progress.LastAt = e.OccurredAt;
        }

        if (e.Type is WarehouseEventType.TransferShipped or WarehouseEventType.TransferReceived && e.TransferId is { } transferId)
        {
            var transfers = S.Transfers ??= new(StringComparer.Ordinal);
            if (!transfers.TryGetValue(transferId, out var moved))
            {
                transfers[transferId] = moved = new TransferProgress();
            }

            if (e.Type == WarehouseEventType.TransferShipped)
            {
                moved.Shipped += e.Quantity;
            }
            else
            {
                moved.Received += e.Quantity;
            }

            moved.LastAt = e.OccurredAt;
        }

        if (e.Type == WarehouseEventType.PurchaseReceived && e.PurchaseOrderId is { } purchaseOrderId)
        {
            var purchases = S.Purchases ??= new(StringComparer.Ordinal);
            if (!purchases.TryGetValue(purchaseOrderId, out var received))
            {
                purchases[purchaseOrderId] = received = new PurchaseProgress();
            }

            received.Received += e.Quantity;
            received.LastAt = e.OccurredAt;
        }

        if (decision.ReservationConsumed > 0 && lineKey is not null)
        {
            var held = S.Reservations[lineKey];
            var left = held.Quantity - decision.ReservationConsumed;
            Store(lineKey, held with { Quantity = Math.Max(0, left) });
            _reserved -= decision.ReservationConsumed;
        }

        if (decision.OnHandDelta != 0 || e.Type == WarehouseEventType.Counted)
        {
            S.OnHand += decision.OnHandDelta;
            S.RecentMovements.Insert(0, new StockMovement
            {
                EventId = e.EventId,
                Type = e.Type,
                Delta = decision.OnHandDelta,
                OnHandAfter = S.OnHand,
                ReasonCode = e.Type == WarehouseEventType.Counted ? e.ReasonCode ?? "COUNT" : e.ReasonCode,
                OccurredAt = e.OccurredAt,
            });
            if (S.RecentMovements.Count > SkuLocationState.MaxMovements)
            {
                S.RecentMovements.RemoveRange(SkuLocationState.MaxMovements, S.RecentMovements.Count - SkuLocationState.MaxMovements);
            }
        }

        if (e.Type == WarehouseEventType.TransferReceived && e.TransferId is { } receivedTransfer && decision.OnHandDelta > 0)
        {
            ConvertReceived(InboundSourceKind.Transfer, receivedTransfer, decision.OnHandDelta);
        }
        else if (e.Type == WarehouseEventType.PurchaseReceived && e.PurchaseOrderId is { } receivedPurchase && decision.OnHandDelta > 0)
        {
            ConvertReceived(InboundSourceKind.PurchaseOrder, receivedPurchase, decision.OnHandDelta);
        }
    }

    /// <summary>An event that was not applied: retrying re-drives it.</summary>
    private ExceptionRaise DeadLetter(JournaledEvent journaled, StockDecision decision) => ExceptionFor(
        journaled,
        ExceptionIds.ForEvent(journaled.Event.EventId),
        decision.WouldGoNegative ? ExceptionKind.NegativeStock : ExceptionKind.DeadLetter,
        decision.Reason!,
        retryable: true);

    private ExceptionRaise ExceptionFor(JournaledEvent journaled, string id, ExceptionKind kind, string reason, bool retryable) => new()
    {
        Id = id,
        Kind = kind,
        Reason = reason,
        WarehouseId = _warehouseId,
        Sku = _sku,
        OrderId = journaled.Event.OrderId,
        LineId = journaled.Event.LineId,
        PurchaseOrderId = journaled.Event.PurchaseOrderId,
        Event = journaled,
        CorrelationId = journaled.CorrelationId,
        OccurredAt = journaled.Event.OccurredAt,
        Retryable = retryable,
    };

    private TransferTotals? TransferTotalsOf(string? transferId) =>
        transferId is not null && S.Transfers?.TryGetValue(transferId, out var p) == true
            ? new TransferTotals { TransferId = transferId, WarehouseId = _warehouseId, Sku = _sku, Shipped = p.Shipped, Received = p.Received }
            : null;

    private PurchaseReceiptTotals? PurchaseTotalsOf(string? purchaseOrderId) =>
        purchaseOrderId is not null && S.Purchases?.TryGetValue(purchaseOrderId, out var p) == true
            ? new PurchaseReceiptTotals { PurchaseOrderId = purchaseOrderId, WarehouseId = _warehouseId, Sku = _sku, Received = p.Received }
            : null;

    /// <summary>What a count changed on-hand by: its movement here records it (and still does when the count is redelivered).</summary>
    private int? CountDifferenceOf(WarehouseEvent e) =>
        e.Type == WarehouseEventType.Counted
            ? S.RecentMovements.FirstOrDefault(m => m.Type == WarehouseEventType.Counted && m.EventId == e.EventId)?.Delta
            : null;

    private LineFulfilment? FulfilmentOf(string? lineKey) =>
        lineKey is not null && S.Fulfilments?.TryGetValue(lineKey, out var p) == true
            ? new LineFulfilment { OrderId = p.OrderId, LineId = p.LineId, WarehouseId = _warehouseId, Picked = p.Picked, Shipped = p.Shipped }
            : null;

    /// <summary>
    /// Pick and ship totals of lines with nothing left reserved here are kept for the dedupe window
    /// (a late pick after its shipment must still find them), then dropped.
    /// </summary>
    private void PruneFulfilments(DateTimeOffset now)
    {
        var horizon = now - _options.EventDedupeWindow;
        if (S.Fulfilments is { Count: >= 256 } fulfilments)
        {
            foreach (var (key, _) in fulfilments.Where(f => f.Value.LastAt < horizon && !S.Reservations.ContainsKey(f.Key)).ToList())
            {
                fulfilments.Remove(key);
            }
        }

        // Transfer totals the same way (a transfer's grain keeps its own totals for good).
        if (S.Transfers is { Count: >= 64 } transfers)
        {
            foreach (var (id, _) in transfers.Where(t => t.Value.LastAt < horizon && !S.Reservations.ContainsKey(TransferKey(t.Key))).ToList())
            {
                transfers.Remove(id);
            }
        }

        // Purchase receipt totals too (the purchase order's grain keeps its own totals for good).
        if (S.Purchases is { Count: >= 64 } purchases)
        {
            foreach (var (id, _) in purchases.Where(p => p.Value.LastAt < horizon).ToList())
            {
                purchases.Remove(id);
            }
        }
    }

    public Task<SkuLocationPosition> GetPosition() => Task.FromResult(new SkuLocationPosition
    {
        WarehouseId = _warehouseId,
        Sku = _sku,
        OnHand = S.OnHand,
        Reserved = _reserved,
        SafetyStock = S.SafetyStock,
        Available = Available,
        LastSnapshotAt = S.LastSnapshotAt,
        Reservations = [.. S.Reservations.Values],
        Policy = S.Policy,
        LastEventSequence = S.LastEventSequence,
        RecentMovements = [.. S.RecentMovements],
        Fulfilments = [.. S.Fulfilments?.Keys.Select(k => FulfilmentOf(k)!) ?? []],
        Inbound = InboundEntries(),
        Transfers = [.. S.Transfers?.Keys.Order(StringComparer.Ordinal).Select(id => TransferTotalsOf(id)!) ?? []],
        PurchaseOrders = [.. S.Purchases?.Keys.Order(StringComparer.Ordinal).Select(id => PurchaseTotalsOf(id)!) ?? []],
    });

    public Task Wake() => ReviewExpiredAsync();

    /// <summary>
    /// Asks each owner (order or transfer) whose reservation expired whether it still owns it: owned
    /// ones get another period, the rest are released (a reservation can reach here after its
    /// owner gave up on it).
    /// </summary>
    private async Task ReviewExpiredAsync()
    {
        if (_reviewing)
        {
            return;
        }

        _reviewing = true;
        try
        {
            await NotifyCutsAsync();
            var now = _time.GetUtcNow();
            var released = false;
            var expired = S.Reservations.Values.Where(r => r.ExpiresAt <= now).ToList();
            var verdicts = await Task.WhenAll(expired.Select(r => r.Owner == ReservationOwner.Transfer
                ? GrainFactory.Keyed<ITransferGrain>(r.OrderId).VerifyReservation(_warehouseId, r.LineId)
                : GrainFactory.Keyed<IOrderGrain>(r.OrderId).VerifyReservation(_warehouseId, r.LineId)));
            for (var i = 0; i < expired.Count; i++)
            {
                var key = KeyOf(expired[i]);
                if (!S.Reservations.TryGetValue(key, out var current) || current.ExpiresAt > now)
                {
                    continue; // released or renewed meanwhile
                }

                if (verdicts[i] == ReservationVerdict.NotHeld)
                {
                    S.Reservations.Remove(key);
                    _reserved -= current.Quantity;
                    AdjustPromised(current, -1);
                    released = true;
                    _logger.LogWarning(
                        "Released orphaned reservation of {Owner} {OwnerId}/{LineId} at {Warehouse}/{Sku}",
                        current.Owner, current.OrderId, current.LineId, _warehouseId, _sku);
                }
                else
                {
                    // Held: another full period; Pending: the order is mid-allocation, ask again soon.
                    var next = now + (verdicts[i] == ReservationVerdict.Held ? _options.ReservationExpiry : _options.IntentTimeout);
                    S.Reservations[key] = current with { ExpiresAt = next };
                }
            }

            if (released)
            {
                Changed();
            }

            S.WakeAt = S.Reservations.Count == 0 ? null : S.Reservations.Values.Min(r => r.ExpiresAt);
            if (_cutsPending && S.WakeAt is { } wake && wake > now + _options.ReportRetryDelay)
            {
                S.WakeAt = now + _options.ReportRetryDelay;
            }
            await _writer.WriteAsync();
        }
        finally
        {
            _reviewing = false;
        }
    }

    /// <summary>A change the network view must hear of.</summary>
    private void Changed()
    {
        var available = Available;
        if (_lastAvailable > 0 && available == 0)
        {
            HubMetrics.Stockouts.Add(1, new KeyValuePair<string, object?>("warehouse", _warehouseId));
        }

        _lastAvailable = available;
        _reportVersion++;
        Report();
    }

    public Task<LocationAvailability> GetReport() => Task.FromResult(CurrentReport());

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _deactivating = true; // the next activation reports afresh
        return Task.CompletedTask;
    }

    /// <summary>
    /// Keeps the network view current: one report in flight at a time, and a change made meanwhile
    /// is sent (as the latest numbers) when it returns, so a hot SKU-location sends one report per
    /// round trip, not one per reservation. A report that fails (the view's silo died with it
    /// queued) is sent again after a pause: a lost report would leave the view stale until the
    /// next change, which for a quiet SKU may never come.
    /// </summary>
    private void Report()
    {
        if (_reportInFlight)
        {
            _reportAgain = true;
            return;
        }

        _ = SendReportsAsync();
    }

    private async Task SendReportsAsync()
    {
        _reportInFlight = true;
        try
        {
            do
            {
                _reportAgain = false;
                try
                {
                    await _skuView.ReportLocation(CurrentReport());
                }
                catch (Exception e)
                {
                    _logger.LogWarning(e, "Reporting {Warehouse}/{Sku} to the network view failed; sending it again", _warehouseId, _sku);
                    await Task.Delay(_options.ReportRetryDelay);
                    _reportAgain = true;
                }
            }
            while (_reportAgain && !_deactivating);
        }
        finally
        {
            _reportInFlight = false;
        }
    }

    private LocationAvailability CurrentReport()
    {
        var inbound = InboundEntries();
        return new()
        {
            WarehouseId = _warehouseId,
            OnHand = S.OnHand,
            Reserved = _reserved,
            SafetyStock = S.SafetyStock,
            Available = Available,
            Epoch = _epoch,
            Version = _reportVersion,
            LastSnapshotAt = S.LastSnapshotAt,
            Inbound = inbound.Sum(x => x.Quantity),
            EarliestInboundEta = inbound.Count == 0 ? null : inbound[0].Eta,
            InboundEntries = inbound,
            Policy = S.Policy,
            Demand = S.Demand,
        };
    }

    /// <summary>Earliest ETA first (then by source), so the list reads as an arrival schedule.</summary>
    private IReadOnlyList<InboundEntry> InboundEntries() => S.Inbound.Count == 0
        ? []
        : [.. S.Inbound.Values
            .OrderBy(x => x.Eta).ThenBy(x => x.SourceKind).ThenBy(x => x.SourceId, StringComparer.Ordinal)
            .Select(x => x with { Promised = PromisedFrom(x.Source) })];

    private static string ReservationKey(string orderId, string lineId) => string.Concat(orderId, "|", lineId);

    /// <summary>A transfer holds one reservation per SKU-location; '#' never occurs in an order's key.</summary>
    private static string TransferKey(string transferId) => string.Concat("transfer#", transferId);

    private static string KeyOf(Reservation r) =>
        r.Owner == ReservationOwner.Transfer ? TransferKey(r.OrderId) : ReservationKey(r.OrderId, r.LineId);

    private static string InboundKey(InboundSourceKind kind, string sourceId) =>
        string.Concat("inbound#", kind == InboundSourceKind.Transfer ? "transfer#" : "purchaseOrder#", sourceId);
}
