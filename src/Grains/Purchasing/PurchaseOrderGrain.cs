using Distribution.Common;
using Distribution.Integration.BusinessEvents;
using Distribution.Inventory;
using Distribution.Operations;
using Distribution.Replenishment;
using Microsoft.Extensions.Options;

namespace Distribution.Purchasing;

/// <summary>
/// One purchase order. Creation: validate → check supplier, warehouse and SKUs → store it (its
/// lead time taken from the supplier) → set the destination's inbound (on order). Commands move it
/// through its lifecycle; receipts come as totals from the destination's SKU-locations. Every
/// change is written with an owed inbound update, which is cleared once the destination's inbound
/// entries are set, so a crash in between is repaired by the recovery sweep. Woken in business
/// time at its expected ship date and ETA, it raises what is late.
/// </summary>
public sealed class PurchaseOrderGrain : Grain, IPurchaseOrderGrain
{
    private readonly IPersistentState<PurchaseOrderState> _state;
    private readonly TimeProvider _time;
    private readonly AllocationOptions _options;
    private readonly GrainReferences _refs;
    private readonly KnownItems _items;
    private bool _creating;

    public PurchaseOrderGrain(
        IPersistentStateFactory stateFactory,
        IGrainContext context,
        TimeProvider time,
        IOptions<AllocationOptions> options,
        GrainReferences refs,
        KnownItems items)
    {
        _state = GrainStorage.Create<PurchaseOrderState>(stateFactory, context, "purchaseOrder");
        _time = time;
        _options = options.Value;
        _refs = refs;
        _items = items;
    }

    private PurchaseOrderState S => _state.State;

    private string PurchaseOrderId => this.GetPrimaryKeyString();

    private PurchaseOrderRequest R => S.Request!;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (S.InboundDueBy is not null)
        {
            // A change was stored but its inbound update may not have happened: do it now.
            this.RegisterGrainTimer(
                static (grain, _) => grain.DeactivateOnFailure(async () =>
                {
                    await grain.SyncInboundIfOwedAsync();
                    return 0;
                }),
                this,
                new GrainTimerCreationOptions(TimeSpan.Zero, Timeout.InfiniteTimeSpan));
        }

        return Task.CompletedTask;
    }

    public Task<PurchaseOrderCommandResult> Create(PurchaseOrderRequest request) => this.DeactivateOnFailure(() => CreateAsync(request));

    private async Task<PurchaseOrderCommandResult> CreateAsync(PurchaseOrderRequest request)
    {
        var errors = PurchaseOrderValidation.Validate(request);
        if (errors.Count > 0)
        {
            return PurchaseOrderCommandResult.Invalid(errors);
        }

        if (!string.Equals(request.PurchaseOrderId, PurchaseOrderId, StringComparison.Ordinal))
        {
            return PurchaseOrderCommandResult.Invalid([new("purchaseOrderId", $"does not match the purchase order addressed ('{PurchaseOrderId}')")]);
        }

        var fingerprint = PurchaseOrderValidation.Fingerprint(request);
        if (S.Request is not null)
        {
            if (!string.Equals(S.Fingerprint, fingerprint, StringComparison.Ordinal))
            {
                return new PurchaseOrderCommandResult(CommandOutcome.Conflict, View(), [new("purchaseOrderId", $"purchase order '{PurchaseOrderId}' exists with a different body")]);
            }

            await SyncInboundIfOwedAsync();
            await PublishAsync(from: 0); // the first attempt may have stopped before publishing
            return new PurchaseOrderCommandResult(CommandOutcome.Replayed, View(), []);
        }

        var (leadTimeDays, masterErrors) = await CheckMasterDataAsync(request);
        if (masterErrors.Count > 0)
        {
            return PurchaseOrderCommandResult.Invalid(masterErrors);
        }

        // Until the first write completes, receipts do not see it (GetRoute answers null).
        _creating = true;
        try
        {
            S.Request = request;
            S.Fingerprint = fingerprint;
            S.CreatedAt = _time.GetUtcNow();
            S.LeadTimeDays = leadTimeDays;
            S.Lines = [.. request.Lines!.Select(l => new PurchaseOrderLineState { Sku = l.Sku!, Quantity = l.Quantity })];
            AddTimeline(PurchaseOrderStatus.Created, $"created: {S.Lines.Sum(l => l.Quantity)} unit(s) of {S.Lines.Count} SKU(s) from supplier {request.SupplierId} "
                + $"for {request.WarehouseId}" + (string.IsNullOrWhiteSpace(request.Reason) ? "" : $" ({request.Reason})")
                + $"; on order, expected {PurchaseOrderRules.ExpectedArrival(S.Facts):yyyy-MM-dd HH:mm}Z (lead time {leadTimeDays:0.##} day(s))");
            await SaveAsync();
        }
        finally
        {
            _creating = false;
        }

        HubMetrics.PurchaseOrdersCreated.Add(1, Tags());
        await PublishAsync(from: 0);
        return new PurchaseOrderCommandResult(CommandOutcome.Created, View(), []);
    }

    /// <summary>The supplier (its lead time dates the order), the destination and every SKU must exist.</summary>
    private async Task<(double LeadTimeDays, List<FieldError> Errors)> CheckMasterDataAsync(PurchaseOrderRequest request)
    {
        var supplier = _refs.Network.GetSupplier(request.SupplierId!);
        var warehouse = _refs.Network.GetWarehouse(request.WarehouseId!);
        var skus = _items.UnknownSkusAsync([.. request.Lines!.Select(l => l.Sku!)]);
        await Task.WhenAll(supplier, warehouse, skus);

        var errors = new List<FieldError>();
        if (await supplier is null)
        {
            errors.Add(new("supplierId", $"unknown supplier '{request.SupplierId}' (PUT /v1/suppliers/{request.SupplierId})"));
        }

        if (await warehouse is null)
        {
            errors.Add(new("warehouseId", $"unknown warehouse '{request.WarehouseId}'"));
        }

        errors.AddRange(await skus);
        return ((await supplier)?.LeadTimeDays ?? 0, errors);
    }

    public Task<PurchaseOrderView?> Get() => Task.FromResult(S.Request is null ? null : View());

    public Task<PurchaseOrderRoute?> GetRoute() => Task.FromResult(S.Request is null || _creating ? null : new PurchaseOrderRoute
    {
        PurchaseOrderId = PurchaseOrderId,
        WarehouseId = R.WarehouseId!,
        Skus = [.. S.Lines.Select(l => l.Sku)],
        Status = S.Status,
    });

    public Task<PurchaseOrderCommandResult> Send() => TransitionAsync(PurchaseOrderCommand.Send, now =>
    {
        S.SentAt = now;
        var facts = S.Facts;
        HubMetrics.PurchaseOrdersSent.Add(1, Tags());
        return $"sent to supplier {R.SupplierId}: to ship by {PurchaseOrderRules.ExpectedShipDate(facts):yyyy-MM-dd HH:mm}Z, "
            + $"expected at {R.WarehouseId} {PurchaseOrderRules.ExpectedArrival(facts):yyyy-MM-dd HH:mm}Z";
    });

    public Task<PurchaseOrderCommandResult> Acknowledge() => TransitionAsync(PurchaseOrderCommand.Acknowledge, now =>
    {
        S.AcknowledgedAt = now;
        return $"acknowledged by supplier {R.SupplierId}";
    });

    public Task<PurchaseOrderCommandResult> Ship(ShipNoticeRequest notice)
    {
        var fingerprint = PurchaseOrderValidation.Fingerprint(notice);
        return TransitionAsync(
            PurchaseOrderCommand.Ship,
            now =>
            {
                var shipped = notice.Lines!.ToDictionary(l => l.Sku!, l => l.Quantity, StringComparer.Ordinal);
                foreach (var line in S.Lines)
                {
                    line.Shipped = shipped.GetValueOrDefault(line.Sku);
                }

                S.ShipNoticeAt = now;
                S.ShipNoticeEta = notice.Eta ?? PurchaseOrderRules.DefaultShipNoticeEta(now);
                S.ShipNoticeFingerprint = fingerprint;
                var notShipped = S.Lines.Sum(l => Math.Max(0, l.Quantity - l.Shipped));
                return $"ship notice: {S.Lines.Sum(l => l.Shipped)} unit(s) of {S.Lines.Count(l => l.Shipped > 0)} SKU(s) shipped, ETA {S.ShipNoticeEta:yyyy-MM-dd HH:mm}Z"
                    + (notice.Eta is null ? " (one day after the notice)" : "")
                    + (notShipped > 0 ? $"; {notShipped} unit(s) not shipped are no longer expected" : "");
            },
            sameShipNotice: string.Equals(S.ShipNoticeFingerprint, fingerprint, StringComparison.Ordinal),
            validate: () => PurchaseOrderValidation.ValidateShipNotice(
                notice, S.Lines.ToDictionary(l => l.Sku, l => l.Quantity, StringComparer.Ordinal), S.CreatedAt, _time.GetUtcNow()));
    }

    public Task<PurchaseOrderCommandResult> Close() => TransitionAsync(PurchaseOrderCommand.Close, now =>
    {
        var outstanding = S.Lines.Sum(l => PurchaseOrderRules.OnOrder(S.Facts, l.Totals));
        S.ClosedAt = now;
        return outstanding > 0 ? $"closed: no longer waiting for {outstanding} unit(s)" : "closed";
    });

    public Task<PurchaseOrderCommandResult> Cancel() => TransitionAsync(PurchaseOrderCommand.Cancel, now =>
    {
        S.CancelledAt = now;
        return "cancelled: nothing is on order any more";
    });

    /// <summary>
    /// A command: unknown → not found; applied before → the same answer; not fitting the status
    /// → a conflict naming it; an invalid body → invalid; else applied, timed on the timeline, and
    /// lateness that no longer holds is resolved.
    /// </summary>
    private Task<PurchaseOrderCommandResult> TransitionAsync(
        PurchaseOrderCommand command,
        Func<DateTimeOffset, string> apply,
        bool sameShipNotice = false,
        Func<IReadOnlyList<FieldError>>? validate = null) => this.DeactivateOnFailure(async () =>
    {
        if (S.Request is null)
        {
            return new PurchaseOrderCommandResult(CommandOutcome.NotFound, null, [new("purchaseOrderId", $"unknown purchase order '{PurchaseOrderId}'")]);
        }

        await SyncInboundIfOwedAsync();
        var check = PurchaseOrderRules.Check(command, S.Facts, sameShipNotice);
        if (check.Verdict == TransitionVerdict.AlreadyDone)
        {
            await PublishAsync(from: 0);
            return new PurchaseOrderCommandResult(CommandOutcome.Replayed, View(), []);
        }

        if (check.Verdict == TransitionVerdict.Refused)
        {
            return new PurchaseOrderCommandResult(CommandOutcome.Conflict, View(), [new("status", check.Reason!)]);
        }

        if (validate?.Invoke() is { Count: > 0 } errors)
        {
            return PurchaseOrderCommandResult.Invalid(errors);
        }

        var description = apply(_time.GetUtcNow());
        S.Status = PurchaseOrderRules.DeriveStatus(S.Facts);
        var published = S.Timeline.Count;
        AddTimeline(S.Status, description);
        await ResolveLatenessAsync(command switch
        {
            PurchaseOrderCommand.Ship => "the ship notice arrived",
            PurchaseOrderCommand.Close => "the purchase order was closed",
            PurchaseOrderCommand.Cancel => "the purchase order was cancelled",
            _ => "no longer late",
        });
        await SaveAsync();
        await PublishAsync(published);
        return new PurchaseOrderCommandResult(CommandOutcome.Updated, View(), []);
    });

    public Task RecordReceipts(IReadOnlyList<PurchaseReceipt> receipts) => this.DeactivateOnFailure(async () =>
    {
        await RecordReceiptsAsync(receipts);
        return 0;
    });

    private async Task RecordReceiptsAsync(IReadOnlyList<PurchaseReceipt> receipts)
    {
        if (S.Request is null)
        {
            return; // receipts are checked against the purchase order before they apply, so this does not happen
        }

        await SyncInboundIfOwedAsync();
        var before = S.Status;
        var published = S.Timeline.Count;
        var changed = new List<PurchaseOrderLineState>();
        foreach (var receipt in receipts)
        {
            var t = receipt.Totals;
            var line = S.Lines.FirstOrDefault(l => l.Sku == t.Sku);
            if (line is null || t.WarehouseId != R.WarehouseId || t.Received <= line.Received)
            {
                continue; // a repeated or older report
            }

            var what = $"received {t.Received - line.Received} unit(s) of '{line.Sku}' at {t.WarehouseId} (event '{receipt.EventId}')";
            line.Received = t.Received;
            if (!changed.Contains(line))
            {
                changed.Add(line);
            }

            S.Status = PurchaseOrderRules.DeriveStatus(S.Facts);
            S.Timeline.Add(new PurchaseOrderTimelineEntry(receipt.OccurredAt, S.Status, what, receipt.CorrelationId));
        }

        if (changed.Count == 0)
        {
            // A redelivery: the first delivery may have stopped between its write and its publication.
            await PublishAsync(from: 0);
            return;
        }

        var becameReceived = before != PurchaseOrderStatus.Received && S.Status == PurchaseOrderStatus.Received;
        if (becameReceived)
        {
            HubMetrics.PurchaseOrdersReceived.Add(1, Tags());
        }

        // Exceptions before the write: if the write fails, the redelivery raises them again (same ids).
        var last = receipts[^1];
        await Task.WhenAll(changed.Where(l => PurchaseOrderRules.OverReceived(l.Totals)).Select(l => RaiseOverReceiptAsync(l, last)));
        await ResolveLatenessAsync("what was missing arrived");
        await SaveAsync();
        await PublishAsync(published);
        if (becameReceived)
        {
            // A replenishment purchase carries its recommendation's id; any other is ignored there.
            await GrainFactory.GetGrain<IReplenishmentBoardGrain>(R.WarehouseId!).Received(PurchaseOrderId, receipts.Max(r => r.OccurredAt));
        }
    }

    private Task RaiseOverReceiptAsync(PurchaseOrderLineState line, PurchaseReceipt receipt)
    {
        var id = ExceptionIds.PurchaseReceiptDiscrepancy(PurchaseOrderId, line.Sku);
        return ExceptionQueue.Shard(GrainFactory, id).Raise(new ExceptionRaise
        {
            Id = id,
            Kind = ExceptionKind.ReceiptDiscrepancy,
            Reason = $"purchase order '{PurchaseOrderId}' received {line.Received} unit(s) of '{line.Sku}' but ordered {line.Quantity} (over-receipt)",
            WarehouseId = R.WarehouseId,
            Sku = line.Sku,
            PurchaseOrderId = PurchaseOrderId,
            CorrelationId = receipt.CorrelationId,
            OccurredAt = receipt.OccurredAt,
        });
    }

    /// <summary>Woken by the recovery sweep: an owed inbound update, or a deadline (expected ship date, ETA) that came.</summary>
    public Task Wake() => this.DeactivateOnFailure(async () =>
    {
        await SyncInboundIfOwedAsync();
        await ReviewAsync();
        return 0;
    });

    /// <summary>Judges each deadline that has passed, once: what is late then is raised (one exception per purchase order).</summary>
    private async Task ReviewAsync()
    {
        if (S.Request is null)
        {
            return;
        }

        var now = _time.GetUtcNow();
        var facts = S.Facts;
        var (shipBy, arriveBy) = PurchaseOrderRules.Deadlines(facts);
        var shipDue = shipBy is { } s && s <= now && s != S.ReviewedShipBy;
        var etaDue = arriveBy is { } a && a <= now && a != S.ReviewedEta;
        if (!shipDue && !etaDue)
        {
            return;
        }

        if (PurchaseOrderRules.Late(facts, now) is { } late)
        {
            var outstanding = S.Lines.Where(l => PurchaseOrderRules.OnOrder(facts, l.Totals) > 0).ToList();
            var reason = late.Kind == LatenessKind.NoShipNotice
                ? $"purchase order '{PurchaseOrderId}' from supplier {R.SupplierId} has no ship notice by its expected ship date {late.Deadline:yyyy-MM-dd HH:mm}Z"
                : $"purchase order '{PurchaseOrderId}' from supplier {R.SupplierId} is past its ETA {late.Deadline:yyyy-MM-dd HH:mm}Z with "
                    + string.Join(", ", outstanding.Select(l => $"{PurchaseOrderRules.OnOrder(facts, l.Totals)} unit(s) of '{l.Sku}'")) + " not received";
            var id = ExceptionIds.PurchaseOrderLate(PurchaseOrderId);
            await ExceptionQueue.Shard(GrainFactory, id).Raise(new ExceptionRaise
            {
                Id = id,
                Kind = ExceptionKind.PurchaseOrderLate,
                Reason = reason,
                WarehouseId = R.WarehouseId,
                Sku = outstanding.Count == 1 ? outstanding[0].Sku : null,
                PurchaseOrderId = PurchaseOrderId,
                OccurredAt = late.Deadline,
            });
            S.LateRaised = true;
            S.Timeline.Add(new PurchaseOrderTimelineEntry(late.Deadline, S.Status, "late: " + reason, null));
        }

        if (shipBy <= now)
        {
            S.ReviewedShipBy = shipBy;
        }

        if (arriveBy <= now)
        {
            S.ReviewedEta = arriveBy;
        }

        await _state.WriteStateAsync();
    }

    /// <summary>After a change: an open lateness exception that no longer holds is resolved.</summary>
    private async Task ResolveLatenessAsync(string note)
    {
        if (!S.LateRaised || PurchaseOrderRules.Late(S.Facts, _time.GetUtcNow()) is not null)
        {
            return;
        }

        S.LateRaised = false;
        var id = ExceptionIds.PurchaseOrderLate(PurchaseOrderId);
        await ExceptionQueue.Shard(GrainFactory, id).ResolveByRetry(id, note);
    }

    /// <summary>Writes the change with an owed inbound update, then updates the destination's inbound.</summary>
    private async Task SaveAsync()
    {
        S.Status = PurchaseOrderRules.DeriveStatus(S.Facts);
        S.InboundDueBy = _time.GetUtcNow() + _options.IntentTimeout;
        await _state.WriteStateAsync();
        await SyncInboundAsync();
    }

    private async Task SyncInboundIfOwedAsync()
    {
        if (S.InboundDueBy is not null && S.Request is not null)
        {
            await SyncInboundAsync();
        }
    }

    /// <summary>
    /// Sets the destination's inbound entry of every line to what it has on order (absolute, so
    /// setting it again is harmless; 0 removes it), due at the ETA; then clears the owed update.
    /// </summary>
    private async Task SyncInboundAsync()
    {
        var facts = S.Facts;
        var eta = PurchaseOrderRules.Eta(facts);
        await Task.WhenAll(S.Lines.Select(line =>
            GrainFactory.GetGrain<ISkuLocationGrain>(SkuLocationKey.Format(R.WarehouseId!, line.Sku)).SetInbound(new InboundEntry
            {
                SourceKind = InboundSourceKind.PurchaseOrder,
                SourceId = PurchaseOrderId,
                Quantity = PurchaseOrderRules.OnOrder(facts, line.Totals),
                Eta = eta,
            })));
        S.InboundDueBy = null;
        await _state.WriteStateAsync();
    }

    private KeyValuePair<string, object?>[] Tags() =>
        [new("supplier", R.SupplierId), new("warehouse", R.WarehouseId)];

    /// <summary>Publishes the stored timeline's business events from entry <paramref name="from"/> (repeatable: ids follow from the timeline).</summary>
    private Task PublishAsync(int from) =>
        S.Request is null ? Task.CompletedTask : BusinessEventBus.Publish(GrainFactory, PurchaseOrderEvents.From(View(), from));

    private void AddTimeline(PurchaseOrderStatus status, string description) =>
        S.Timeline.Add(new PurchaseOrderTimelineEntry(_time.GetUtcNow(), status, description, CorrelationContext.Current));

    private PurchaseOrderView View()
    {
        var facts = S.Facts;
        return new()
        {
            PurchaseOrderId = PurchaseOrderId,
            Status = S.Status,
            SupplierId = R.SupplierId!,
            WarehouseId = R.WarehouseId!,
            Reason = R.Reason,
            CreatedAt = S.CreatedAt,
            SentAt = S.SentAt,
            AcknowledgedAt = S.AcknowledgedAt,
            ShippedAt = S.ShipNoticeAt,
            ClosedAt = S.ClosedAt,
            CancelledAt = S.CancelledAt,
            LeadTimeDays = S.LeadTimeDays,
            RequestedDeliveryDate = R.RequestedDeliveryDate,
            ExpectedShipDate = PurchaseOrderRules.ExpectedShipDate(facts),
            ExpectedArrival = PurchaseOrderRules.ExpectedArrival(facts),
            Eta = PurchaseOrderRules.Eta(facts),
            Late = S.LateRaised,
            Lines = [.. S.Lines.Select(l => new PurchaseOrderLineView
            {
                Sku = l.Sku,
                OrderedQuantity = l.Quantity,
                ShippedQuantity = l.Shipped,
                ReceivedQuantity = l.Received,
                OnOrderQuantity = PurchaseOrderRules.OnOrder(facts, l.Totals),
            })],
            Timeline = [.. S.Timeline],
        };
    }
}
