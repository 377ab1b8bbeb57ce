using System.Runtime.CompilerServices;
using Distribution.Common;
using Distribution.Events;
using Distribution.Integration.BusinessEvents;
using Distribution.Inventory;
using Distribution.Network;
using Distribution.Operations;
using Distribution.Orders.Sourcing;
using Microsoft.Extensions.Options;

namespace Distribution.Orders;

/// <summary>
/// One order. Placement: validate → read the network view and the SKUs' availability → plan
/// (pure sourcing) → write the intent → claim shipment slots and reserve at the SKU-locations →
/// record the allocation (clearing the intent). Losing a reservation race re-plans with fresh
/// availability (bounded). An intent found on activation is rolled back and re-run, so a crash
/// between reserving and recording leaks nothing and the client's retry gets the result.
/// </summary>
[CollectionAgeLimit(Minutes = 5)]
public sealed class OrderGrain : Grain, IOrderGrain
{
    // Both follow from a network view, which is immutable and shared until master data changes.
    private static readonly ConditionalWeakTable<NetworkView, IReadOnlyList<SourcingCandidate>> Candidates = new();
    private static readonly ConditionalWeakTable<NetworkView, Dictionary<string, int?>> Capacities = new();

    private readonly IPersistentState<OrderState> _state;
    private readonly TimeProvider _time;
    private readonly AllocationOptions _options;
    private readonly ILogger<OrderGrain> _logger;
    private readonly GrainReferences _refs;
    private bool _allocating;

    public OrderGrain(
        IPersistentStateFactory stateFactory,
        IGrainContext context,
        TimeProvider time,
        IOptions<AllocationOptions> options,
        ILogger<OrderGrain> logger,
        GrainReferences refs)
    {
        _refs = refs;
        _state = GrainStorage.Create<OrderState>(stateFactory, context, "order");
        _time = time;
        _options = options.Value;
        _logger = logger;
    }

    private OrderState S => _state.State;

    private string OrderId => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (S.Intent.Count > 0)
        {
            ScheduleRecovery();
        }

        return Task.CompletedTask;
    }

    public async Task<OrderCommandResult> Place(OrderRequest request)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var errors = OrderValidation.Validate(request);
        if (errors.Count > 0)
        {
            return OrderCommandResult.Invalid(errors);
        }

        if (!string.Equals(request.OrderId, OrderId, StringComparison.Ordinal))
        {
            return OrderCommandResult.Invalid([new("orderId", $"does not match the order addressed ('{OrderId}')")]);
        }

        var fingerprint = OrderValidation.Fingerprint(request);
        if (S.Request is not null)
        {
            if (!string.Equals(S.Fingerprint, fingerprint, StringComparison.Ordinal))
            {
                return new OrderCommandResult(CommandOutcome.Conflict, View(), [new("orderId", $"order '{OrderId}' exists with a different body")]);
            }

            await RecoverAsync();
            await PublishAsync(from: 0); // the first attempt may have stopped before publishing
            return new OrderCommandResult(CommandOutcome.Replayed, View(), []);
        }

        var lines = request.Lines!;
        var availability = await FetchAvailabilityAsync(lines.Select(l => l.Sku!));
        var unknown = lines
            .Select((l, i) => (l, i))
            .Where(x => availability[x.l.Sku!] is null)
            .Select(x => new FieldError($"lines[{x.i}].sku", $"unknown SKU '{x.l.Sku}'"))
            .ToList();
        if (unknown.Count > 0)
        {
            return OrderCommandResult.Invalid(unknown);
        }

        S.Request = request;
        S.Fingerprint = fingerprint;
        S.CreatedAt = _time.GetUtcNow();
        S.Status = OrderStatus.Allocating;
        S.Lines = [.. lines.Select(l => new OrderLineState { LineId = l.LineId!, Sku = l.Sku!, Quantity = l.Quantity })];
        AddTimeline(OrderStatus.Allocating, $"received from channel '{request.Channel}'");

        try
        {
            await PlaceLinesAsync(availability);
            await PublishAsync(from: 0);
        }
        finally
        {
            // Placed, the order waits for events; a failure may have left memory ahead of storage.
            // Either way the next call reactivates it from storage, and a silo with thousands of
            // orders a second does not keep minutes of them in memory.
            DeactivateOnIdle();
        }

        Operations.OrderTelemetry.Placed(View(), System.Diagnostics.Stopwatch.GetElapsedTime(started));
        return new OrderCommandResult(CommandOutcome.Created, View(), []);
    }

    public Task<OrderView?> Get() => Task.FromResult(S.Request is null ? null : View());

    public Task<OrderCommandResult> Cancel() => DeactivateOnFailure(CancelAsync);

    private async Task<OrderCommandResult> CancelAsync()
    {
        if (S.Request is null)
        {
            return new OrderCommandResult(CommandOutcome.NotFound, null, [new("orderId", $"order '{OrderId}' does not exist")]);
        }

        await RecoverAsync();
        switch (S.Status)
        {
            case OrderStatus.Cancelled:
                await PublishAsync(from: 0);
                return new OrderCommandResult(CommandOutcome.Replayed, View(), []);
            case OrderStatus.Rejected:
            case OrderStatus.Shipped:
                return new OrderCommandResult(CommandOutcome.Conflict, View(), [new("status", $"a {S.Status.ToString().ToLowerInvariant()} order cannot be cancelled")]);
        }

        var releases = new List<Task>();
        foreach (var line in S.Lines)
        {
            foreach (var allocation in line.Allocations)
            {
                releases.Add(SkuLocation(allocation.WarehouseId, line.Sku).Release(OrderId, line.LineId));
            }

            if (line.Backordered > 0)
            {
                releases.Add(_refs.Sku(line.Sku).RemoveBackorder(OrderId, line.LineId));
            }
        }

        releases.AddRange(ShipmentSlots(S.Lines.SelectMany(l => l.Allocations))
            .Select(slot => GrainFactory.Keyed<IWarehouseGrain>(slot.WarehouseId).ReleaseShipment(slot.Date, OrderId)));
        await Task.WhenAll(releases);

        foreach (var line in S.Lines)
        {
            line.Allocations = [];
            line.Backordered = 0;
        }

        S.Status = OrderStatus.Cancelled;
        var published = S.Timeline.Count;
        AddTimeline(OrderStatus.Cancelled, "cancelled; unshipped reservations released");
        await _state.WriteStateAsync();
        await PublishAsync(published);
        return new OrderCommandResult(CommandOutcome.Updated, View(), []);
    }

    public Task<ReservationVerdict> VerifyReservation(string warehouseId, string lineId)
    {
        if (S.Intent.Any(i => i.WarehouseId == warehouseId && i.LineId == lineId))
        {
            if (!_allocating)
            {
                ScheduleRecovery();
            }

            return Task.FromResult(ReservationVerdict.Pending);
        }

        var held = S.Status is not (OrderStatus.Cancelled or OrderStatus.Rejected)
            && S.Lines.Any(l => l.LineId == lineId && l.Allocations.Any(a => a.WarehouseId == warehouseId));
        return Task.FromResult(held ? ReservationVerdict.Held : ReservationVerdict.NotHeld);
    }

    public Task InboundCut(string warehouseId, string lineId, string inboundSource, int held) => DeactivateOnFailure(async () =>
    {
        await RecoverAsync();
        var line = S.Lines.FirstOrDefault(l => l.LineId == lineId);
        var index = line?.Allocations.FindIndex(a => a.WarehouseId == warehouseId && a.InboundSource == inboundSource) ?? -1;
        if (S.Status is OrderStatus.Cancelled or OrderStatus.Rejected || line is null || index < 0 || line.Allocations[index].Quantity <= held)
        {
            return 0; // already known, or nothing of it is held any more
        }

        var allocation = line.Allocations[index];
        var cut = allocation.Quantity - Math.Max(0, held);
        if (held > 0)
        {
            line.Allocations[index] = allocation with { Quantity = held };
        }
        else
        {
            line.Allocations.RemoveAt(index);
        }

        line.Backordered += cut;
        S.Status = DeriveStatus();
        var published = S.Timeline.Count;
        AddTimeline(S.Status, $"{cut} unit(s) of line '{lineId}' promised from inbound {inboundSource} at {warehouseId} will not arrive; backordered");
        await CommitAsync();
        await PublishAsync(published);
        return 0;
    });

    public Task<int> AllocateBackorders(string sku) => DeactivateOnFailure(() => AllocateBackordersAsync(sku));

    private async Task<int> AllocateBackordersAsync(string sku)
    {
        await RecoverAsync();
        if (S.Status is OrderStatus.Cancelled or OrderStatus.Rejected || S.Request is null)
        {
            return 0;
        }

        var waiting = S.Lines.Where(l => l.Sku == sku && l.Backordered > 0).ToList();
        if (waiting.Count == 0)
        {
            return 0;
        }

        var plan = await AllocateAsync(
            [.. waiting.Select(l => new SourcingLine(l.LineId, l.Sku, l.Backordered))],
            allowBackorder: true,
            prefetched: null);
        if (plan.Allocations.Count > 0)
        {
            var published = S.Timeline.Count;
            Record(plan, "backordered stock allocated");
            await CommitAsync();
            await PublishAsync(published);
            if (S.BackorderOverdueRaised && S.Lines.All(l => l.Backordered == 0))
            {
                await ExceptionQueue.Shard(GrainFactory, ExceptionIds.BackorderOverdue(OrderId))
                    .ResolveByRetry(ExceptionIds.BackorderOverdue(OrderId), "backordered lines allocated");
            }
        }

        return waiting.Sum(l => l.Backordered);
    }

    public Task<int> RetryBackorders() => DeactivateOnFailure(async () =>
    {
        foreach (var sku in S.Lines.Where(l => l.Backordered > 0).Select(l => l.Sku).Distinct().ToList())
        {
            await AllocateBackordersAsync(sku);
        }

        return S.Lines.Sum(l => l.Backordered);
    });

    public Task RecordFulfilment(IReadOnlyList<FulfilmentUpdate> updates) => DeactivateOnFailure(async () =>
    {
        await RecordFulfilmentAsync(updates);
        return 0;
    });

    private async Task RecordFulfilmentAsync(IReadOnlyList<FulfilmentUpdate> updates)
    {
        if (S.Request is null)
        {
            return; // a SKU-location only reports lines it held a reservation for, so this does not happen
        }

        var breaches = new List<(OrderLineState Line, WarehouseFulfilment Now, FulfilmentUpdate Update)>();
        var changed = false;
        var published = S.Timeline.Count;
        foreach (var update in updates)
        {
            var totals = update.Totals;
            var line = S.Lines.FirstOrDefault(l => l.LineId == totals.LineId);
            if (line is null)
            {
                continue;
            }

            var index = line.Fulfilments.FindIndex(f => f.WarehouseId == totals.WarehouseId);
            var known = index >= 0 ? line.Fulfilments[index] : new WarehouseFulfilment(totals.WarehouseId, 0, 0);
            var now = new WarehouseFulfilment(totals.WarehouseId, Math.Max(known.Picked, totals.Picked), Math.Max(known.Shipped, totals.Shipped));
            if (now == known)
            {
                continue; // a repeated or older report
            }

            if (index >= 0)
            {
                line.Fulfilments[index] = now;
            }
            else
            {
                line.Fulfilments.Add(now);
            }

            line.Picked = line.Fulfilments.Sum(f => f.Picked);
            line.Shipped = line.Fulfilments.Sum(f => f.Shipped);
            changed = true;
            if (S.Status is not (OrderStatus.Cancelled or OrderStatus.Rejected))
            {
                S.Status = DeriveStatus();
            }

            var what = now.Shipped > known.Shipped
                ? $"shipped {now.Shipped - known.Shipped} unit(s) of line '{line.LineId}' from {totals.WarehouseId}"
                : $"picked {now.Picked - known.Picked} unit(s) of line '{line.LineId}' at {totals.WarehouseId}";
            S.Timeline.Add(new TimelineEntry(update.OccurredAt, S.Status, $"{what} (event '{update.EventId}')", update.CorrelationId));
            if (now.Shipped > known.Shipped)
            {
                breaches.Add((line, now, update));
            }
        }

        if (!changed)
        {
            // A redelivery: the first delivery may have stopped between its write and its publication.
            await PublishAsync(from: 0);
            return;
        }

        if (breaches.Count > 0)
        {
            await RaisePromiseBreachesAsync(breaches);
        }

        await _state.WriteStateAsync();
        await PublishAsync(published);
    }

    /// <summary>A shipment on a later (warehouse-local) date than the one promised at allocation is a breach.</summary>
    private async Task RaisePromiseBreachesAsync(List<(OrderLineState Line, WarehouseFulfilment Now, FulfilmentUpdate Update)> shipments)
    {
        var view = await _refs.Network.GetView();
        var raises = new List<Task>();
        foreach (var (line, now, update) in shipments)
        {
            var warehouse = view.Warehouses.FirstOrDefault(w => w.WarehouseId == now.WarehouseId);
            // Units promised from inbound there ship later than those on hand: the latest promise is the one kept.
            var allocation = line.Allocations.Where(a => a.WarehouseId == now.WarehouseId).MaxBy(a => a.PromisedShipDate);
            if (warehouse is null || allocation is null || !ShipDateCalendar.BreaksPromise(warehouse, allocation.PromisedShipDate, update.OccurredAt))
            {
                continue;
            }

            HubMetrics.PromiseBreaches.Add(1, new KeyValuePair<string, object?>("warehouse", now.WarehouseId));
            var id = ExceptionIds.PromiseBreach(OrderId, line.LineId, now.WarehouseId);
            raises.Add(ExceptionQueue.Shard(GrainFactory, id).Raise(new ExceptionRaise
            {
                Id = id,
                Kind = ExceptionKind.PromiseBreach,
                Reason = $"line '{line.LineId}' was promised to ship from {now.WarehouseId} on {allocation.PromisedShipDate:yyyy-MM-dd} "
                    + $"and shipped on {ShipDateCalendar.LocalDate(warehouse, update.OccurredAt):yyyy-MM-dd} (event '{update.EventId}')",
                WarehouseId = now.WarehouseId,
                Sku = line.Sku,
                OrderId = OrderId,
                LineId = line.LineId,
                CorrelationId = update.CorrelationId,
                OccurredAt = update.OccurredAt,
            }));
        }

        await Task.WhenAll(raises);
    }

    public async Task Wake()
    {
        try
        {
            await RecoverAsync();
            await CheckBackorderOverdueAsync();
        }
        catch
        {
            DeactivateOnIdle();
            throw;
        }
    }

    /// <summary>Raises an exception (once) for lines still backordered after the requested delivery date.</summary>
    private async Task CheckBackorderOverdueAsync()
    {
        if (S.BackorderDueAt is not { } due || due > _time.GetUtcNow())
        {
            return;
        }

        var backordered = S.Lines.Where(l => l.Backordered > 0).ToList();
        if (backordered.Count > 0 && S.Status is not (OrderStatus.Cancelled or OrderStatus.Rejected))
        {
            var id = ExceptionIds.BackorderOverdue(OrderId);
            await ExceptionQueue.Shard(GrainFactory, id).Raise(new ExceptionRaise
            {
                Id = id,
                Kind = ExceptionKind.BackorderOverdue,
                Reason = $"{backordered.Sum(l => l.Backordered)} unit(s) of line(s) {string.Join(", ", backordered.Select(l => $"'{l.LineId}'"))} "
                    + $"still backordered after the requested delivery date {S.Request!.RequestedDeliveryDate:yyyy-MM-dd}",
                OrderId = OrderId,
                Sku = backordered.Count == 1 ? backordered[0].Sku : null,
                OccurredAt = due,
                Retryable = true,
            });
            S.BackorderOverdueRaised = true;
        }

        S.BackorderDueAt = null;
        await _state.WriteStateAsync();
    }

    /// <summary>A failed step may leave memory ahead of storage: the next call starts from storage.</summary>
    private async Task<T> DeactivateOnFailure<T>(Func<Task<T>> step)
    {
        try
        {
            return await step();
        }
        catch
        {
            DeactivateOnIdle();
            throw;
        }
    }

    private async Task PlaceLinesAsync(IReadOnlyDictionary<string, SkuAvailability?> availability)
    {
        var request = S.Request!;
        var plan = await AllocateAsync(
            [.. S.Lines.Select(l => new SourcingLine(l.LineId, l.Sku, l.Quantity))],
            request.AllowBackorder,
            availability);
        if (plan.IsRejected)
        {
            S.RejectionReason = plan.RejectionReason;
            S.Status = OrderStatus.Rejected;
            AddTimeline(OrderStatus.Rejected, plan.RejectionReason!);
            await _state.WriteStateAsync();
            return;
        }

        Record(plan, "allocated");
        await CommitAsync();
    }

    /// <summary>
    /// Plans and reserves, re-planning with fresh availability when a reservation race is lost.
    /// On return the reservations of the plan are held at their SKU-locations and named in the
    /// stored intent; the caller records them with <see cref="CommitAsync"/>. A rejected plan holds nothing.
    /// </summary>
    private async Task<SourcingPlan> AllocateAsync(
        IReadOnlyList<SourcingLine> lines,
        bool allowBackorder,
        IReadOnlyDictionary<string, SkuAvailability?>? prefetched)
    {
        var excluded = new Dictionary<string, HashSet<DateOnly>>(StringComparer.Ordinal);
        var verified = false;
        for (var attempt = 1; ; attempt++)
        {
            var last = attempt >= _options.MaxPlanAttempts;
            if (last && !verified)
            {
                // Races lost so far may have been planned on views a report behind: the last
                // attempt plans on what the SKU-locations themselves say.
                verified = true;
                prefetched = null;
                await RefreshViewsAsync(lines.Select(l => l.Sku));
            }

            var view = await _refs.Network.GetView();
            var availability = prefetched ?? await FetchAvailabilityAsync(lines.Select(l => l.Sku));
            prefetched = null;
            var now = _time.GetUtcNow();
            var input = new SourcingInput
            {
                Lines = lines,
                ShipTo = S.Request!.ShipTo!,
                AllowSplit = S.Request.AllowSplit,
                AllowBackorder = allowBackorder,
                Now = now,
                Warehouses = CandidatesFor(view, excluded),
                Available = new AvailableBySkuLocation(availability),
            };
            var plan = SourcingPlanner.Plan(input);
            if (!verified && (plan.IsRejected || plan.Backordered.Count > 0))
            {
                // Before answering that stock is short, make the views re-read their SKU-locations
                // once (a view lags by a report): a unit freed a moment ago is not missed.
                verified = true;
                await RefreshViewsAsync(lines.Select(l => l.Sku));
                attempt--; // a second look, not another race
                continue;
            }

            if (allowBackorder)
            {
                // What stock on hand cannot fill may be promised from units on their way, if the order can wait for them.
                plan = InboundSourcing.Extend(plan, lines, input, InboundSupplyOf(availability), S.Request.RequestedDeliveryDate, HeldInboundSources());
            }

            if (plan.IsRejected || plan.Allocations.Count == 0)
            {
                return plan;
            }

            var capacities = Capacities.GetValue(view, static v => v.Warehouses.ToDictionary(w => w.WarehouseId, w => w.DailyOrderCapacity, StringComparer.Ordinal));
            S.Intent = [.. plan.Allocations.Select(a =>
            {
                var previous = Line(a.LineId).Allocations.Where(x => x.WarehouseId == a.WarehouseId && x.InboundSource == a.InboundSource).Sum(x => x.Quantity);
                return new IntendedReservation(a.LineId, a.Sku, a.WarehouseId, previous + a.Quantity, previous, a.PromisedShipDate,
                    capacities.GetValueOrDefault(a.WarehouseId) is not null, a.InboundSource);
            })];
            S.IntentDeadline = now + _options.IntentTimeout;
            _allocating = true;
            try
            {
                await _state.WriteStateAsync();

                var slots = ShipmentSlots(S.Intent).ToList();
                var claims = await Task.WhenAll(slots.Select(s =>
                    GrainFactory.Keyed<IWarehouseGrain>(s.WarehouseId).TryClaimShipment(s.Date, OrderId, capacities.GetValueOrDefault(s.WarehouseId))));
                var reserved = new bool[S.Intent.Count];
                if (claims.All(c => c))
                {
                    var expiresAt = now + _options.ReservationExpiry;
                    var results = await Task.WhenAll(S.Intent.Select(i => SkuLocation(i.WarehouseId, i.Sku).Reserve(new ReservationRequest
                    {
                        OrderId = OrderId,
                        LineId = i.LineId,
                        Quantity = i.Quantity,
                        ExpiresAt = expiresAt,
                        InboundSource = i.InboundSource,
                    })));
                    for (var i = 0; i < results.Length; i++)
                    {
                        reserved[i] = results[i].Succeeded;
                    }

                    if (reserved.All(r => r))
                    {
                        return plan;
                    }
                }
                else
                {
                    for (var i = 0; i < slots.Count; i++)
                    {
                        if (!claims[i])
                        {
                            if (!excluded.TryGetValue(slots[i].WarehouseId, out var dates))
                            {
                                excluded[slots[i].WarehouseId] = dates = [];
                            }

                            dates.Add(slots[i].Date);
                        }
                    }
                }

                if (last && allowBackorder)
                {
                    // Settle: keep what was won, wait for the rest.
                    return await SettleWithWhatWasWonAsync(plan, reserved, claims.All(c => c));
                }

                await RollBackIntentAsync(reserved);
                if (last)
                {
                    return plan with
                    {
                        Allocations = [],
                        RejectionReason = "stock or shipment capacity was taken by concurrent orders; retry",
                    };
                }
            }
            finally
            {
                _allocating = false;
            }
        }
    }

    private async Task<SourcingPlan> SettleWithWhatWasWonAsync(SourcingPlan plan, bool[] reserved, bool claimed)
    {
        var keep = new List<PlannedAllocation>();
        var lost = new bool[reserved.Length];
        var backordered = new Dictionary<string, int>(plan.Backordered, StringComparer.Ordinal);
        for (var i = 0; i < S.Intent.Count; i++)
        {
            var allocation = plan.Allocations.First(a =>
                a.LineId == S.Intent[i].LineId && a.WarehouseId == S.Intent[i].WarehouseId && a.InboundSource == S.Intent[i].InboundSource);
            if (claimed && reserved[i])
            {
                keep.Add(allocation);
            }
            else
            {
                lost[i] = true;
                backordered[allocation.LineId] = backordered.GetValueOrDefault(allocation.LineId) + allocation.Quantity;
            }
        }

        // Undo only the lost parts; what was won stays held for the commit.
        var won = S.Intent.Where((_, i) => !lost[i]).ToList();
        await RollBackAsync(S.Intent.Where((_, i) => lost[i]).ToList(), reserved.Where((_, i) => lost[i]).ToArray());
        S.Intent = won;
        return plan with { Allocations = keep, Backordered = backordered };
    }

    private Task RollBackIntentAsync(bool[] reserved) => RollBackAsync(S.Intent, reserved);

    /// <summary>Returns each intended reservation to its recorded quantity and frees claimed slots.</summary>
    private async Task RollBackAsync(IReadOnlyList<IntendedReservation> intents, bool[]? reserved)
    {
        var undo = new List<Task>();
        for (var i = 0; i < intents.Count; i++)
        {
            var intent = intents[i];
            if (reserved is not null && !reserved[i])
            {
                continue; // never taken
            }

            // Back to the recorded quantity of this part (0 included): a release would also drop the
            // line's other part here (on hand or inbound) and units received for it.
            undo.Add(SkuLocation(intent.WarehouseId, intent.Sku).Reserve(new ReservationRequest
            {
                OrderId = OrderId,
                LineId = intent.LineId,
                Quantity = intent.PreviousQuantity,
                ExpiresAt = _time.GetUtcNow() + _options.ReservationExpiry,
                InboundSource = intent.InboundSource,
            }));
        }

        var recorded = ShipmentSlots(S.Lines.SelectMany(l => l.Allocations)).ToHashSet();
        undo.AddRange(ShipmentSlots(intents)
            .Where(s => !recorded.Contains(s))
            .Select(s => GrainFactory.Keyed<IWarehouseGrain>(s.WarehouseId).ReleaseShipment(s.Date, OrderId)));
        await Task.WhenAll(undo);
    }

    /// <summary>Applies a plan whose reservations are held to the lines (in memory).</summary>
    private void Record(SourcingPlan plan, string description)
    {
        foreach (var group in plan.Allocations.GroupBy(a => a.LineId))
        {
            var line = Line(group.Key);
            foreach (var a in group)
            {
                var existing = line.Allocations.FindIndex(x => x.WarehouseId == a.WarehouseId && x.InboundSource == a.InboundSource);
                if (existing >= 0)
                {
                    var known = line.Allocations[existing];
                    line.Allocations[existing] = known with { Quantity = known.Quantity + a.Quantity };
                }
                else
                {
                    line.Allocations.Add(new LineAllocation(a.WarehouseId, a.Quantity, a.PromisedShipDate, a.InboundSource));
                }
            }
        }

        foreach (var line in S.Lines)
        {
            line.Backordered = line.Quantity - line.Allocated;
        }

        S.Status = DeriveStatus();
        var onHand = plan.Allocations.Where(a => a.InboundSource is null).ToList();
        var inbound = plan.Allocations.Where(a => a.InboundSource is not null).ToList();
        var parts = new List<string>();
        if (onHand.Count > 0)
        {
            parts.Add($"{onHand.Sum(a => a.Quantity)} unit(s) from {string.Join(", ", onHand.Select(a => a.WarehouseId).Distinct())}");
        }

        parts.AddRange(inbound.Select(a => $"{a.Quantity} unit(s) of line '{a.LineId}' from inbound {a.InboundSource} at {a.WarehouseId}, to ship {a.PromisedShipDate:yyyy-MM-dd}"));
        var backordered = S.Lines.Sum(l => l.Backordered);
        var text = parts.Count > 0 ? $"{description}: {string.Join("; ", parts)}" : "no stock to allocate";
        AddTimeline(S.Status, backordered > 0 ? $"{text}; {backordered} unit(s) backordered" : text);
    }

    /// <summary>
    /// Makes the recorded allocation durable and clears the intent. Backorders are queued first:
    /// the queue is idempotent, and a queued line of an unrecorded order is simply skipped.
    /// </summary>
    private async Task CommitAsync()
    {
        var priority = (int)S.Request!.Priority;
        await Task.WhenAll(S.Lines.Where(l => l.Backordered > 0).Select(l =>
            _refs.Sku(l.Sku).EnqueueBackorder(new BackorderEntry
            {
                OrderId = OrderId,
                LineId = l.LineId,
                Quantity = l.Backordered,
                Priority = priority,
                Since = S.CreatedAt,
                ShipTo = S.Request.ShipTo,
            })));

        S.Intent = [];
        S.IntentDeadline = null;
        S.BackorderDueAt = !S.BackorderOverdueRaised && S.Request.RequestedDeliveryDate is { } requested && S.Lines.Any(l => l.Backordered > 0)
            ? new DateTimeOffset(requested.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)
            : null;
        await _state.WriteStateAsync();
    }

    /// <summary>Finishes an allocation a crash interrupted: undo the unrecorded part, then re-run it.</summary>
    private async Task RecoverAsync()
    {
        if (S.Intent.Count == 0 || _allocating)
        {
            return;
        }

        _logger.LogInformation("Order {OrderId} resumes an interrupted allocation ({Count} reservation(s))", OrderId, S.Intent.Count);
        await RollBackAsync(S.Intent, reserved: null);
        S.Intent = [];
        S.IntentDeadline = null;
        if (S.Status == OrderStatus.Allocating)
        {
            AddTimeline(OrderStatus.Allocating, "resumed after an interruption");
            await PlaceLinesAsync(await FetchAvailabilityAsync(S.Lines.Select(l => l.Sku)));
            await PublishAsync(from: 0);
        }
        else
        {
            await _state.WriteStateAsync();
        }
    }

    /// <summary>
    /// Publishes the business events of the stored timeline from entry <paramref name="from"/>, after
    /// the write that stored them and before answering; ids follow from the timeline, so publishing
    /// again is recognised. One bus call.
    /// </summary>
    private Task PublishAsync(int from) =>
        S.Request is null ? Task.CompletedTask : BusinessEventBus.Publish(GrainFactory, OrderEvents.From(View(), from));

    private void ScheduleRecovery() =>
        this.RegisterGrainTimer(
            static (grain, _) => grain.RecoverAsync(),
            this,
            new GrainTimerCreationOptions(TimeSpan.Zero, Timeout.InfiniteTimeSpan));

    private Task RefreshViewsAsync(IEnumerable<string> skus) =>
        Task.WhenAll(skus.Distinct(StringComparer.Ordinal).Select(s => _refs.Sku(s).RefreshLocations()));

    private async Task<IReadOnlyDictionary<string, SkuAvailability?>> FetchAvailabilityAsync(IEnumerable<string> skus)
    {
        var distinct = skus.Distinct(StringComparer.Ordinal).ToList();
        var results = await Task.WhenAll(distinct.Select(s => _refs.Sku(s).GetAvailability()));
        var map = new Dictionary<string, SkuAvailability?>(distinct.Count, StringComparer.Ordinal);
        for (var i = 0; i < distinct.Count; i++)
        {
            map[distinct[i]] = results[i];
        }

        return map;
    }

    private static List<InboundSupply> InboundSupplyOf(IReadOnlyDictionary<string, SkuAvailability?> availability)
    {
        var supply = new List<InboundSupply>();
        foreach (var (sku, a) in availability)
        {
            foreach (var l in a?.Locations ?? [])
            {
                foreach (var e in l.InboundEntries ?? [])
                {
                    if (e.Free > 0)
                    {
                        supply.Add(new InboundSupply(l.WarehouseId, sku, e.Source, e.Free, e.Eta));
                    }
                }
            }
        }

        return supply;
    }

    /// <summary>The inbound source each line already holds at each warehouse (a line keeps one per warehouse).</summary>
    private Dictionary<(string LineId, string WarehouseId), string> HeldInboundSources()
    {
        var held = new Dictionary<(string, string), string>();
        foreach (var line in S.Lines)
        {
            foreach (var a in line.Allocations)
            {
                if (a.InboundSource is not null)
                {
                    held[(line.LineId, a.WarehouseId)] = a.InboundSource;
                }
            }
        }

        return held;
    }

    private static IReadOnlyList<SourcingCandidate> CandidatesFor(NetworkView view, Dictionary<string, HashSet<DateOnly>> excluded)
    {
        if (excluded.Count == 0)
        {
            return Candidates.GetValue(view, v => Build(v, null));
        }

        return Build(view, excluded);

        static IReadOnlyList<SourcingCandidate> Build(NetworkView v, Dictionary<string, HashSet<DateOnly>>? excluded) =>
        [
            .. v.Warehouses.Select(w =>
            {
                var full = new HashSet<DateOnly>(v.FullShipDates.GetValueOrDefault(w.WarehouseId) ?? []);
                if (excluded?.GetValueOrDefault(w.WarehouseId) is { } more)
                {
                    full.UnionWith(more);
                }

                return new SourcingCandidate(w, full);
            }),
        ];
    }

    private static IEnumerable<(string WarehouseId, DateOnly Date)> ShipmentSlots(IEnumerable<IntendedReservation> intents) =>
        intents.Where(i => i.ClaimsShipment).Select(i => (i.WarehouseId, i.PromisedShipDate)).Distinct();

    private static IEnumerable<(string WarehouseId, DateOnly Date)> ShipmentSlots(IEnumerable<LineAllocation> allocations) =>
        allocations.Select(a => (a.WarehouseId, a.PromisedShipDate)).Distinct();

    private OrderStatus DeriveStatus()
    {
        int quantity = 0, allocated = 0, backordered = 0, shipped = 0;
        foreach (var line in S.Lines)
        {
            quantity += line.Quantity;
            allocated += line.Allocated;
            backordered += line.Backordered;
            shipped += line.Shipped;
        }

        if (shipped >= quantity)
        {
            return OrderStatus.Shipped;
        }

        if (shipped > 0)
        {
            return OrderStatus.PartiallyShipped;
        }

        if (S.Lines.Any(l => l.Picked > 0))
        {
            return OrderStatus.Released;
        }

        if (backordered == 0)
        {
            return OrderStatus.Allocated;
        }

        return allocated == 0 ? OrderStatus.Backordered : OrderStatus.PartiallyAllocated;
    }

    private OrderLineState Line(string lineId) => S.Lines.First(l => l.LineId == lineId);

    private ISkuLocationGrain SkuLocation(string warehouseId, string sku) =>
        GrainFactory.Keyed<ISkuLocationGrain>(SkuLocationKey.Format(warehouseId, sku));

    private void AddTimeline(OrderStatus status, string description) =>
        S.Timeline.Add(new TimelineEntry(_time.GetUtcNow(), status, description, CorrelationContext.Current));

    private OrderView View()
    {
        var r = S.Request!;
        return new OrderView
        {
            OrderId = OrderId,
            Status = S.Status,
            Channel = r.Channel,
            Priority = r.Priority,
            ShipTo = r.ShipTo,
            AllowSplit = r.AllowSplit,
            AllowBackorder = r.AllowBackorder,
            RequestedDeliveryDate = r.RequestedDeliveryDate,
            CreatedAt = S.CreatedAt,
            Lines = [.. S.Lines.Select(l => new OrderLineView
            {
                LineId = l.LineId,
                Sku = l.Sku,
                Quantity = l.Quantity,
                Allocations = [.. l.Allocations],
                BackorderedQuantity = l.Backordered,
                ShippedQuantity = l.Shipped,
                PickedQuantity = l.Picked,
            })],
            RejectionReason = S.RejectionReason,
            Timeline = [.. S.Timeline],
        };
    }
}
