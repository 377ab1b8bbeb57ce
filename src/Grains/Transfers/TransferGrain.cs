using Distribution.Common;
using Distribution.Events;
using Distribution.Integration.BusinessEvents;
using Distribution.Inventory;
using Distribution.Operations;
using Distribution.Replenishment;
using Microsoft.Extensions.Options;

namespace Distribution.Transfers;

/// <summary>
/// One transfer. Creation: validate → check warehouses, lane and SKUs → write the intent →
/// reserve every line at the source (all-or-nothing: one refusal releases the rest and rejects the
/// transfer) → record the outcome, clearing the intent. An intent found later (a crash mid-way)
/// is released and the reservation re-run. Afterwards it follows the totals its SKU-locations
/// report, keeps the destination's inbound (shipped − received) with the ETA, and, woken in
/// business time at an ETA, raises what has not arrived.
/// </summary>
public sealed class TransferGrain : Grain, ITransferGrain
{
    private readonly IPersistentState<TransferState> _state;
    private readonly TimeProvider _time;
    private readonly AllocationOptions _options;
    private readonly ILogger<TransferGrain> _logger;
    private readonly GrainReferences _refs;
    private readonly KnownItems _items;
    private bool _reserving;

    public TransferGrain(
        IPersistentStateFactory stateFactory,
        IGrainContext context,
        TimeProvider time,
        IOptions<AllocationOptions> options,
        ILogger<TransferGrain> logger,
        GrainReferences refs,
        KnownItems items)
    {
        _state = GrainStorage.Create<TransferState>(stateFactory, context, "transfer");
        _time = time;
        _options = options.Value;
        _logger = logger;
        _refs = refs;
        _items = items;
    }

    private TransferState S => _state.State;

    private string TransferId => this.GetPrimaryKeyString();

    private TransferRequest R => S.Request!;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (S.IntentDeadline is not null)
        {
            ScheduleRecovery();
        }

        return Task.CompletedTask;
    }

    public Task<TransferCommandResult> Create(TransferRequest request) => this.DeactivateOnFailure(() => CreateAsync(request));

    private async Task<TransferCommandResult> CreateAsync(TransferRequest request)
    {
        var errors = TransferValidation.Validate(request);
        if (errors.Count > 0)
        {
            return TransferCommandResult.Invalid(errors);
        }

        if (!string.Equals(request.TransferId, TransferId, StringComparison.Ordinal))
        {
            return TransferCommandResult.Invalid([new("transferId", $"does not match the transfer addressed ('{TransferId}')")]);
        }

        var fingerprint = TransferValidation.Fingerprint(request);
        if (S.Request is not null)
        {
            if (!string.Equals(S.Fingerprint, fingerprint, StringComparison.Ordinal))
            {
                return new TransferCommandResult(CommandOutcome.Conflict, View(), [new("transferId", $"transfer '{TransferId}' exists with a different body")]);
            }

            await RecoverAsync();
            await PublishAsync(from: 0); // the first attempt may have stopped before publishing
            return Outcome(replay: true);
        }

        var (transitDays, masterErrors) = await CheckMasterDataAsync(request);
        if (masterErrors.Count > 0)
        {
            return TransferCommandResult.Invalid(masterErrors);
        }

        S.Request = request;
        S.Fingerprint = fingerprint;
        S.CreatedAt = _time.GetUtcNow();
        S.TransitDays = transitDays;
        S.Status = TransferStatus.Reserving;
        S.Lines = [.. request.Lines!.Select(l => new TransferLineState { Sku = l.Sku!, Quantity = l.Quantity })];
        AddTimeline(TransferStatus.Reserving, $"requested: {S.Lines.Sum(l => l.Quantity)} unit(s) of {S.Lines.Count} SKU(s) "
            + $"from {request.FromWarehouseId} to {request.ToWarehouseId}" + (string.IsNullOrWhiteSpace(request.Reason) ? "" : $" ({request.Reason})"));
        await ReserveAsync();
        await PublishAsync(from: 0);
        return Outcome(replay: false);
    }

    /// <summary>A rejection is answered as a conflict with the current stock, the same way every time.</summary>
    private TransferCommandResult Outcome(bool replay) => S.Status == TransferStatus.Rejected
        ? new TransferCommandResult(CommandOutcome.Conflict, View(), [.. S.RejectionErrors])
        : new TransferCommandResult(replay ? CommandOutcome.Replayed : CommandOutcome.Created, View(), []);

    /// <summary>Both warehouses, a lane between them (its transit days make the ETA) and every SKU must exist.</summary>
    private async Task<(double TransitDays, List<FieldError> Errors)> CheckMasterDataAsync(TransferRequest request)
    {
        var network = _refs.Network;
        var lines = request.Lines!;
        var from = network.GetWarehouse(request.FromWarehouseId!);
        var to = network.GetWarehouse(request.ToWarehouseId!);
        var lane = network.GetLane(request.FromWarehouseId!, request.ToWarehouseId!);
        var skus = _items.UnknownSkusAsync([.. lines.Select(l => l.Sku!)]);
        await Task.WhenAll(from, to, lane, skus);

        var errors = new List<FieldError>();
        if (await from is null)
        {
            errors.Add(new("fromWarehouseId", $"unknown warehouse '{request.FromWarehouseId}'"));
        }

        if (await to is null)
        {
            errors.Add(new("toWarehouseId", $"unknown warehouse '{request.ToWarehouseId}'"));
        }

        if (errors.Count == 0 && await lane is null)
        {
            errors.Add(new("toWarehouseId", $"no lane from '{request.FromWarehouseId}' to '{request.ToWarehouseId}' (its transit days give the ETA; PUT /v1/lanes/{request.FromWarehouseId}/{request.ToWarehouseId})"));
        }

        errors.AddRange(await skus);
        return ((await lane)?.TransitDays ?? 0, errors);
    }

    /// <summary>
    /// Writes the intent, then reserves every line at the source. All or nothing: if any line is
    /// refused, the lines that were reserved are released and the transfer is rejected.
    /// </summary>
    private async Task ReserveAsync()
    {
        var now = _time.GetUtcNow();
        S.IntentDeadline = now + _options.IntentTimeout;
        _reserving = true;
        try
        {
            await _state.WriteStateAsync();
            var expiresAt = now + _options.ReservationExpiry;
            var results = await Task.WhenAll(S.Lines.Select(l => SourceLocation(l.Sku).Reserve(new ReservationRequest
            {
                OrderId = TransferId,
                LineId = l.Sku,
                Quantity = l.Quantity,
                ExpiresAt = expiresAt,
                Owner = ReservationOwner.Transfer,
            })));

            if (results.All(r => r.Succeeded))
            {
                S.Status = TransferStatus.Requested;
                AddTimeline(TransferStatus.Requested, $"{S.Lines.Sum(l => l.Quantity)} unit(s) reserved at {R.FromWarehouseId}");
                HubMetrics.TransfersCreated.Add(1, Route());
            }
            else
            {
                await Task.WhenAll(S.Lines.Where((_, i) => results[i].Succeeded).Select(l => SourceLocation(l.Sku).ReleaseTransfer(TransferId)));
                S.RejectionErrors = [.. S.Lines
                    .Select((l, i) => (l, i))
                    .Where(x => !results[x.i].Succeeded)
                    .Select(x => new FieldError($"lines[{x.i}].quantity",
                        $"only {results[x.i].AvailableAfter} unit(s) of '{x.l.Sku}' available at '{R.FromWarehouseId}'; {x.l.Quantity} requested"))];
                S.RejectionReason = "not enough available stock at the source: " + string.Join("; ", S.RejectionErrors.Select(e => e.Message));
                S.Status = TransferStatus.Rejected;
                AddTimeline(TransferStatus.Rejected, $"rejected, nothing held: {S.RejectionReason}");
            }

            S.IntentDeadline = null;
            await _state.WriteStateAsync();
        }
        finally
        {
            _reserving = false;
        }
    }

    /// <summary>Finishes a creation a crash interrupted: release what the intent may hold, then reserve again.</summary>
    private async Task RecoverAsync()
    {
        if (S.IntentDeadline is null || _reserving)
        {
            return;
        }

        _logger.LogInformation("Transfer {TransferId} resumes an interrupted reservation", TransferId);
        await Task.WhenAll(S.Lines.Select(l => SourceLocation(l.Sku).ReleaseTransfer(TransferId)));
        S.IntentDeadline = null;
        if (S.Status == TransferStatus.Reserving)
        {
            AddTimeline(TransferStatus.Reserving, "resumed after an interruption");
            await ReserveAsync();
        }
        else
        {
            await _state.WriteStateAsync();
        }
    }

    /// <summary>Publishes the stored timeline's business events from entry <paramref name="from"/> (repeatable: ids follow from the timeline).</summary>
    private Task PublishAsync(int from) =>
        S.Request is null ? Task.CompletedTask : BusinessEventBus.Publish(GrainFactory, TransferEvents.From(View(), from));

    private void ScheduleRecovery() =>
        this.RegisterGrainTimer(
            static (grain, _) => grain.RecoverAsync(),
            this,
            new GrainTimerCreationOptions(TimeSpan.Zero, Timeout.InfiniteTimeSpan));

    public Task<TransferView?> Get() => Task.FromResult(S.Request is null ? null : View());

    public Task<TransferRoute?> GetRoute() => Task.FromResult(S.Request is null ? null : new TransferRoute
    {
        TransferId = TransferId,
        FromWarehouseId = R.FromWarehouseId!,
        ToWarehouseId = R.ToWarehouseId!,
        Skus = [.. S.Lines.Select(l => l.Sku)],
        Status = S.Status,
    });

    public Task<TransferCommandResult> Cancel() => this.DeactivateOnFailure(CancelAsync);

    private async Task<TransferCommandResult> CancelAsync()
    {
        if (S.Request is null)
        {
            return new TransferCommandResult(CommandOutcome.NotFound, null, [new("transferId", $"transfer '{TransferId}' does not exist")]);
        }

        await RecoverAsync();
        if (S.Status == TransferStatus.Cancelled)
        {
            await PublishAsync(from: 0);
            return new TransferCommandResult(CommandOutcome.Replayed, View(), []);
        }

        if (S.Status == TransferStatus.Rejected || S.Lines.Any(l => l.Shipped > 0 || l.Received > 0))
        {
            var why = S.Status == TransferStatus.Rejected
                ? "a rejected transfer holds nothing to cancel"
                : $"a {Name(S.Status)} transfer cannot be cancelled: {S.Lines.Sum(l => l.Shipped)} unit(s) already shipped";
            return new TransferCommandResult(CommandOutcome.Conflict, View(), [new("status", why)]);
        }

        await Task.WhenAll(S.Lines.Select(l => SourceLocation(l.Sku).ReleaseTransfer(TransferId)));
        S.Cancelled = true;
        S.Status = TransferStatus.Cancelled;
        AddTimeline(TransferStatus.Cancelled, $"cancelled; reservations at {R.FromWarehouseId} released");
        await _state.WriteStateAsync();
        await PublishAsync(S.Timeline.Count - 1);
        await TellInTransitAsync();
        return new TransferCommandResult(CommandOutcome.Updated, View(), []);
    }

    public Task<ReservationVerdict> VerifyReservation(string warehouseId, string sku)
    {
        if (S.IntentDeadline is not null)
        {
            if (!_reserving)
            {
                ScheduleRecovery();
            }

            return Task.FromResult(ReservationVerdict.Pending);
        }

        // The source holds a line until it has shipped in full.
        var held = S.Request is not null
            && S.Status is not (TransferStatus.Cancelled or TransferStatus.Rejected)
            && string.Equals(warehouseId, R.FromWarehouseId, StringComparison.Ordinal)
            && S.Lines.Any(l => l.Sku == sku && l.Shipped < l.Quantity);
        return Task.FromResult(held ? ReservationVerdict.Held : ReservationVerdict.NotHeld);
    }

    public Task RecordMovements(IReadOnlyList<TransferMovement> movements) => this.DeactivateOnFailure(async () =>
    {
        await RecordMovementsAsync(movements);
        return 0;
    });

    private async Task RecordMovementsAsync(IReadOnlyList<TransferMovement> movements)
    {
        if (S.Request is null)
        {
            return; // movements are checked against the transfer before they apply, so this does not happen
        }

        var before = S.Lines.Select(l => l.Totals).ToList();
        var published = S.Timeline.Count;
        var touched = new HashSet<TransferLineState>();
        var changed = new HashSet<TransferLineState>();
        foreach (var m in movements)
        {
            var t = m.Totals;
            var line = S.Lines.FirstOrDefault(l => l.Sku == t.Sku);
            if (line is null)
            {
                continue;
            }

            touched.Add(line);
            string? what = null;
            if (m.Type == WarehouseEventType.TransferShipped && t.WarehouseId == R.FromWarehouseId && t.Shipped > line.Shipped)
            {
                what = $"shipped {t.Shipped - line.Shipped} unit(s) of '{line.Sku}' from {t.WarehouseId}";
                line.Shipped = t.Shipped;
                line.LastShippedAt = line.LastShippedAt is { } last && last > m.OccurredAt ? last : m.OccurredAt;
            }
            else if (m.Type == WarehouseEventType.TransferReceived && t.WarehouseId == R.ToWarehouseId && t.Received > line.Received)
            {
                what = $"received {t.Received - line.Received} unit(s) of '{line.Sku}' at {t.WarehouseId}";
                line.Received = t.Received;
                line.LastReceivedAt = line.LastReceivedAt is { } lastReceived && lastReceived > m.OccurredAt ? lastReceived : m.OccurredAt;
            }

            if (what is null)
            {
                continue; // a repeated or older report
            }

            changed.Add(line);
            S.Status = TransferRules.DeriveStatus([.. S.Lines.Select(l => l.Totals)], S.Cancelled);
            S.Timeline.Add(new TransferTimelineEntry(m.OccurredAt, S.Status, $"{what} (event '{m.EventId}')", m.CorrelationId));
        }

        if (changed.Count > 0)
        {
            var received = CountTransitions(before);
            // Exceptions before the write: if the write fails, the redelivery raises them again (same ids).
            await SettleExceptionsAsync(changed, movements[^1].CorrelationId);
            await _state.WriteStateAsync();
            if (received)
            {
                // A replenishment transfer carries its recommendation's id; any other is ignored there.
                // The cycle ends at the last receipt, which may have been applied before the shipment that completed it.
                var receivedAt = S.Lines.Max(l => l.LastReceivedAt) ?? movements.Max(m => m.OccurredAt);
                await GrainFactory.GetGrain<IReplenishmentBoardGrain>(R.ToWarehouseId!).Received(TransferId, receivedAt);
            }
        }

        // A repeat publishes again too: the first delivery may have stopped before publishing.
        await PublishAsync(changed.Count > 0 ? published : 0);

        // Always (also for a repeat): an earlier attempt may have recorded the totals and failed before this.
        await Task.WhenAll(touched.Select(SetInboundAsync));
        await TellInTransitAsync();
    }

    /// <summary>The destination's inbound for this transfer's line: what is in transit, due at the line's ETA.</summary>
    private Task SetInboundAsync(TransferLineState line) =>
        GrainFactory.GetGrain<ISkuLocationGrain>(SkuLocationKey.Format(R.ToWarehouseId!, line.Sku)).SetInbound(new InboundEntry
        {
            SourceKind = InboundSourceKind.Transfer,
            SourceId = TransferId,
            Quantity = line.Totals.InTransit,
            Eta = S.Eta(line) ?? S.CreatedAt,
        });

    /// <summary>The operations page's list of transfers in transit (also after a repeat: an earlier tell may have failed).</summary>
    private Task TellInTransitAsync() =>
        GrainFactory.GetGrain<ITransfersInTransitGrain>(ITransfersInTransitGrain.Key).Track(TransfersInTransitGrain.Of(View()));

    /// <returns>Whether the transfer just became received in full.</returns>
    private bool CountTransitions(List<TransferLineTotals> before)
    {
        var after = S.Lines.Select(l => l.Totals).ToList();
        if (!before.All(t => t.FullyShipped) && after.All(t => t.FullyShipped))
        {
            HubMetrics.TransfersShipped.Add(1, Route());
        }

        if (TransferRules.DeriveStatus(before, S.Cancelled) != TransferStatus.Received && S.Status == TransferStatus.Received)
        {
            HubMetrics.TransfersReceived.Add(1, Route());
            return true;
        }

        return false;
    }

    /// <summary>
    /// After new totals: an over-receipt beyond the line's quantity is raised at once; exceptions
    /// that no longer hold (everything in transit arrived, a short line made up) are resolved.
    /// </summary>
    private async Task SettleExceptionsAsync(IEnumerable<TransferLineState> lines, string? correlationId)
    {
        var calls = new List<Task>();
        foreach (var line in lines)
        {
            if (TransferRules.ImmediateDiscrepancy(line.Sku, line.Totals) is { } over)
            {
                calls.Add(RaiseDiscrepancyAsync(line, over, _time.GetUtcNow(), correlationId));
            }
            else if (line.Discrepancy == DiscrepancyKind.ShortReceipt && line.Received >= line.Shipped)
            {
                line.Discrepancy = null;
                var id = ExceptionIds.ReceiptDiscrepancy(TransferId, line.Sku);
                calls.Add(ExceptionQueue.Shard(GrainFactory, id).ResolveByRetry(id, "the missing units were received"));
            }
        }

        if (S.OverdueRaised && S.Lines.All(l => l.Totals.InTransit == 0))
        {
            S.OverdueRaised = false;
            var id = ExceptionIds.TransferOverdue(TransferId);
            calls.Add(ExceptionQueue.Shard(GrainFactory, id).ResolveByRetry(id, "everything shipped was received"));
        }

        await Task.WhenAll(calls);
    }

    private Task RaiseDiscrepancyAsync(TransferLineState line, ReceiptDiscrepancy discrepancy, DateTimeOffset at, string? correlationId)
    {
        line.Discrepancy = discrepancy.Kind;
        var id = ExceptionIds.ReceiptDiscrepancy(TransferId, line.Sku);
        return ExceptionQueue.Shard(GrainFactory, id).Raise(new ExceptionRaise
        {
            Id = id,
            Kind = ExceptionKind.ReceiptDiscrepancy,
            Reason = TransferRules.Describe(TransferId, discrepancy),
            WarehouseId = R.ToWarehouseId,
            Sku = line.Sku,
            TransferId = TransferId,
            CorrelationId = correlationId,
            OccurredAt = at,
        });
    }

    /// <summary>Woken by the recovery sweep: an interrupted creation, or a line whose ETA has come.</summary>
    public Task Wake() => this.DeactivateOnFailure(async () =>
    {
        await RecoverAsync();
        await ReviewAsync();
        return 0;
    });

    /// <summary>
    /// Judges every line whose ETA has passed (once per ETA): units still in transit make the
    /// transfer overdue; lines received short or over become receipt discrepancies.
    /// </summary>
    private async Task ReviewAsync()
    {
        var now = _time.GetUtcNow();
        var due = S.Lines.Where(l => S.DueReview(l) is { } at && at <= now).ToList();
        if (due.Count == 0 || S.Request is null)
        {
            return;
        }

        var review = TransferRules.Review([.. due.Select(l => new ReviewedLine(l.Sku, l.Totals, S.Eta(l)))], now);
        var raises = new List<Task>();
        if (review.Overdue.Count > 0)
        {
            var id = ExceptionIds.TransferOverdue(TransferId);
            var eta = review.Overdue.Max(l => l.Eta!.Value);
            raises.Add(ExceptionQueue.Shard(GrainFactory, id).Raise(new ExceptionRaise
            {
                Id = id,
                Kind = ExceptionKind.TransferOverdue,
                Reason = $"transfer '{TransferId}' from {R.FromWarehouseId} to {R.ToWarehouseId} is past its ETA {eta:yyyy-MM-dd HH:mm}Z with "
                    + string.Join(", ", review.Overdue.Select(l => $"{l.Totals.InTransit} unit(s) of '{l.Sku}'")) + " still in transit",
                WarehouseId = R.ToWarehouseId,
                Sku = review.Overdue.Count == 1 ? review.Overdue[0].Sku : null,
                TransferId = TransferId,
                OccurredAt = eta,
            }));
            S.OverdueRaised = true;
        }

        foreach (var d in review.Discrepancies)
        {
            var line = S.Lines.First(l => l.Sku == d.Sku);
            raises.Add(RaiseDiscrepancyAsync(line, d, S.Eta(line)!.Value, null));
        }

        foreach (var line in due)
        {
            line.ReviewedEta = S.Eta(line);
        }

        await Task.WhenAll(raises);
        await _state.WriteStateAsync();
    }

    private ISkuLocationGrain SourceLocation(string sku) =>
        GrainFactory.GetGrain<ISkuLocationGrain>(SkuLocationKey.Format(R.FromWarehouseId!, sku));

    private KeyValuePair<string, object?>[] Route() =>
        [new("from", R.FromWarehouseId), new("to", R.ToWarehouseId)];

    private void AddTimeline(TransferStatus status, string description) =>
        S.Timeline.Add(new TransferTimelineEntry(_time.GetUtcNow(), status, description, CorrelationContext.Current));

    private static string Name(TransferStatus status) => char.ToLowerInvariant(status.ToString()[0]) + status.ToString()[1..];

    private TransferView View() => new()
    {
        TransferId = TransferId,
        Status = S.Status,
        FromWarehouseId = R.FromWarehouseId!,
        ToWarehouseId = R.ToWarehouseId!,
        Reason = R.Reason,
        CreatedAt = S.CreatedAt,
        TransitDays = S.TransitDays,
        Eta = S.Lines.Select(S.Eta).Max(),
        Lines = [.. S.Lines.Select(l => new TransferLineView
        {
            Sku = l.Sku,
            Quantity = l.Quantity,
            ShippedQuantity = l.Shipped,
            ReceivedQuantity = l.Received,
            InTransitQuantity = l.Totals.InTransit,
            Eta = S.Eta(l),
        })],
        RejectionReason = S.RejectionReason,
        Timeline = [.. S.Timeline],
    };
}
