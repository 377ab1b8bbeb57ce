using Distribution.Common;
using Distribution.Integration.BusinessEvents;
using Distribution.Inventory;
using Distribution.Purchasing;
using Distribution.Transfers;
using Microsoft.Extensions.Options;

namespace Distribution.Replenishment;

/// <summary>
/// The replenishment recommendations of one destination warehouse. A need is netted against what
/// is still open here for the SKU, so the same need is never proposed twice; the source comes from
/// <see cref="TransferOrBuy"/> and the arrival days from <see cref="ReceivingSchedule"/> (units due
/// on a day never exceed the warehouse's receiving capacity). Approving executes a recommendation
/// (a transfer, or a purchase order created and sent); automatic policies execute at once.
/// </summary>
public sealed class ReplenishmentBoardGrain : Grain, IReplenishmentBoardGrain
{
    private readonly IPersistentState<ReplenishmentBoardState> _state;
    private readonly TimeProvider _time;
    private readonly ReplenishmentOptions _options;
    private readonly ILogger<ReplenishmentBoardGrain> _logger;

    public ReplenishmentBoardGrain(
        [PersistentState("replenishmentBoard", GrainStorage.Name)] IPersistentState<ReplenishmentBoardState> state,
        TimeProvider time,
        IOptions<ReplenishmentOptions> options,
        ILogger<ReplenishmentBoardGrain> logger)
    {
        _state = state;
        _time = time;
        _options = options.Value;
        _logger = logger;
    }

    private ReplenishmentBoardState S => _state.State;

    private string WarehouseId => this.GetPrimaryKeyString();

    public async Task<IReadOnlyList<Recommendation>> Propose(ReplenishmentNeed need)
    {
        var pruned = Prune();
        var open = S.Recommendations.Values.Where(r => r.Sku == need.Sku && Pending(r, need)).Sum(r => r.Quantity);
        var rule = need.Kind == ReplenishmentPolicyKind.MinMax
            ? ReorderRule.MinMax(need.ReorderPoint, need.OrderUpTo)
            : ReorderRule.FixedQuantity(need.ReorderPoint, need.OrderQuantity);
        var quantity = rule.QuantityToOrder(need.Position, alreadyProposed: open);
        if (quantity <= 0)
        {
            if (pruned)
            {
                await _state.WriteStateAsync();
            }

            return [];
        }

        var decision = TransferOrBuy.Decide(
            WarehouseId,
            quantity,
            need.Today,
            [.. need.Candidates.Select(c => new TransferCandidate(
                c.WarehouseId, c.Units, c.TransitDays is { } days ? new TransferLane(days, c.CostPerUnit ?? 0) : null))],
            need.Supplier is { } s ? new SupplierOffer(s.SupplierId, new LeadTime(s.LeadTimeDays, s.LeadTimeStdDevDays)) : null,
            need.PreferredSource);
        if (!decision.IsFilled)
        {
            _logger.LogWarning(
                "Replenishment of {Sku} at {Warehouse} leaves {Units} unit(s) unproposed: {Reason}",
                need.Sku, WarehouseId, decision.UnfilledQuantity, decision.UnfilledReason);
        }

        var now = _time.GetUtcNow();
        var created = new List<Recommendation>();
        foreach (var proposal in decision.Proposals)
        {
            foreach (var part in ReceivingSchedule.Split(proposal.Quantity, proposal.ExpectedArrival, need.ReceivingCapacityPerDay, DueByDay(need.Today)))
            {
                var recommendation = new Recommendation
                {
                    RecommendationId = $"{WarehouseId}-R{++S.Sequence:000000}",
                    WarehouseId = WarehouseId,
                    Sku = need.Sku,
                    Kind = proposal.Kind == ProposalKind.Transfer ? RecommendationKind.Transfer : RecommendationKind.Purchase,
                    SourceId = proposal.SourceId,
                    Quantity = part.Quantity,
                    ExpectedArrival = part.Day,
                    Reason = part.Day == proposal.ExpectedArrival ? proposal.Reason : $"{proposal.Reason}; arrives {part.Day:yyyy-MM-dd} within receiving capacity",
                    Status = RecommendationStatus.Open,
                    CreatedAt = now,
                    Position = need.Position,
                    ReorderPoint = need.ReorderPoint,
                    Mode = need.Mode,
                };
                S.Recommendations[recommendation.RecommendationId] = recommendation;
                created.Add(recommendation);
            }
        }

        await _state.WriteStateAsync();
        // The SKU's other open recommendations too: a crash may have stopped an earlier pass before
        // it published them (ids follow from the recommendation, so subscribers get each once).
        await BusinessEventBus.Publish(GrainFactory, [.. S.Recommendations.Values
            .Where(r => r.Sku == need.Sku && r.Status == RecommendationStatus.Open)
            .Select(ReplenishmentEvents.Recommended)]);
        foreach (var r in created)
        {
            HubMetrics.RecommendationsCreated.Add(1, new("warehouse", WarehouseId), new("kind", r.Kind == RecommendationKind.Transfer ? "transfer" : "purchase"));
        }

        if (need.Mode == ReplenishmentMode.Automatic)
        {
            foreach (var recommendation in created)
            {
                await ExecuteAsync(recommendation);
            }
        }

        return created;
    }

    public Task<IReadOnlyList<Recommendation>> List(RecommendationStatus? status) => Task.FromResult<IReadOnlyList<Recommendation>>(
        [.. S.Recommendations.Values.Where(r => status is null || r.Status == status).OrderBy(r => r.RecommendationId, StringComparer.Ordinal)]);

    public async Task<RecommendationResult> Approve(string recommendationId)
    {
        if (!S.Recommendations.TryGetValue(recommendationId, out var recommendation))
        {
            return NotFound(recommendationId);
        }

        if (recommendation.Status == RecommendationStatus.Approved)
        {
            return new RecommendationResult(CommandOutcome.Replayed, recommendation, []);
        }

        if (recommendation.Status == RecommendationStatus.Dismissed)
        {
            return new RecommendationResult(CommandOutcome.Conflict, recommendation, [new("recommendationId", "was dismissed")]);
        }

        return await ExecuteAsync(recommendation);
    }

    public async Task<RecommendationResult> Dismiss(string recommendationId, string? note)
    {
        if (!S.Recommendations.TryGetValue(recommendationId, out var recommendation))
        {
            return NotFound(recommendationId);
        }

        if (recommendation.Status == RecommendationStatus.Dismissed)
        {
            return new RecommendationResult(CommandOutcome.Replayed, recommendation, []);
        }

        if (recommendation.Status == RecommendationStatus.Approved)
        {
            return new RecommendationResult(CommandOutcome.Conflict, recommendation, [new("recommendationId", "was already approved")]);
        }

        S.Recommendations[recommendationId] = recommendation = recommendation with
        {
            Status = RecommendationStatus.Dismissed,
            DecidedAt = _time.GetUtcNow(),
            Note = note,
        };
        await _state.WriteStateAsync();
        return new RecommendationResult(CommandOutcome.Updated, recommendation, []);
    }

    public async Task Received(string recommendationId, DateTimeOffset receivedAt)
    {
        if (!S.Recommendations.TryGetValue(recommendationId, out var recommendation)
            || recommendation.Status != RecommendationStatus.Approved
            || recommendation.ReceivedAt is not null)
        {
            return; // not one of this board's, or already measured
        }

        S.Recommendations[recommendationId] = recommendation with { ReceivedAt = receivedAt };
        await _state.WriteStateAsync();
        HubMetrics.ReplenishmentCycleTime.Record(
            Math.Max(0, (receivedAt - recommendation.CreatedAt).TotalDays),
            new("warehouse", WarehouseId),
            new("kind", recommendation.Kind == RecommendationKind.Transfer ? "transfer" : "purchase"));
    }

    public Task<int> CountOpen() => Task.FromResult(S.Recommendations.Values.Count(r => r.Status == RecommendationStatus.Open));

    /// <summary>
    /// Forgets decided recommendations once they no longer matter (dismissed, or received —
    /// or expected long ago — more than <see cref="ReplenishmentOptions.DecidedRetention"/> back),
    /// so the board, which every need scans, stays the size of what is live.
    /// </summary>
    /// <returns>Whether any was removed (the caller writes).</returns>
    private bool Prune()
    {
        var cutoff = _time.GetUtcNow() - _options.DecidedRetention;
        var stale = S.Recommendations.Values.Where(r => r.Status switch
        {
            RecommendationStatus.Dismissed => (r.DecidedAt ?? r.CreatedAt) < cutoff,
            RecommendationStatus.Approved => (r.ReceivedAt ?? new DateTimeOffset(r.ExpectedArrival.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)) < cutoff,
            _ => false,
        }).Select(r => r.RecommendationId).ToList();
        foreach (var id in stale)
        {
            S.Recommendations.Remove(id);
        }

        return stale.Count > 0;
    }

    /// <summary>
    /// Creates the transfer, or creates and sends the purchase order (its id is the
    /// recommendation's, so a retry after a crash finds the same one). A refusal (the source's
    /// surplus went meanwhile, the supplier is gone) leaves the recommendation open with the
    /// reason; the next review nets it out or proposes again.
    /// </summary>
    private async Task<RecommendationResult> ExecuteAsync(Recommendation recommendation)
    {
        var refusal = recommendation.Kind == RecommendationKind.Transfer
            ? await CreateTransferAsync(recommendation)
            : await PurchaseAsync(recommendation);
        if (refusal is not null)
        {
            _logger.LogInformation("{Kind} for {Recommendation} not created: {Reason}", recommendation.Kind, recommendation.RecommendationId, refusal);
            S.Recommendations[recommendation.RecommendationId] = recommendation = recommendation with { RefusalReason = refusal };
            await _state.WriteStateAsync();
            return new RecommendationResult(CommandOutcome.Conflict, recommendation, [new("recommendationId", refusal)]);
        }

        S.Recommendations[recommendation.RecommendationId] = recommendation = recommendation with
        {
            Status = RecommendationStatus.Approved,
            DecidedAt = _time.GetUtcNow(),
            RefusalReason = null,
        };
        await _state.WriteStateAsync();
        return new RecommendationResult(CommandOutcome.Updated, recommendation, []);
    }

    /// <returns>Why the transfer was refused, or null when it exists.</returns>
    private async Task<string?> CreateTransferAsync(Recommendation recommendation)
    {
        var result = await GrainFactory.GetGrain<ITransferGrain>(recommendation.RecommendationId).Create(new TransferRequest
        {
            TransferId = recommendation.RecommendationId,
            FromWarehouseId = recommendation.SourceId,
            ToWarehouseId = WarehouseId,
            Lines = [new TransferLineRequest { Sku = recommendation.Sku, Quantity = recommendation.Quantity }],
            Reason = Reason(recommendation),
        });
        return result.Outcome is not (CommandOutcome.Created or CommandOutcome.Replayed) || result.Transfer?.Status == TransferStatus.Rejected
            ? "the transfer was refused: " + (result.Errors.Count > 0 ? Describe(result.Errors) : result.Transfer?.RejectionReason)
            : null;
    }

    /// <returns>Why the purchase order was not created or not sent, or null when it is sent.</returns>
    private async Task<string?> PurchaseAsync(Recommendation recommendation)
    {
        var purchaseOrder = GrainFactory.GetGrain<IPurchaseOrderGrain>(recommendation.RecommendationId);
        var created = await purchaseOrder.Create(new PurchaseOrderRequest
        {
            PurchaseOrderId = recommendation.RecommendationId,
            SupplierId = recommendation.SourceId,
            WarehouseId = WarehouseId,
            Lines = [new PurchaseOrderLineRequest { Sku = recommendation.Sku, Quantity = recommendation.Quantity }],
            Reason = Reason(recommendation),
            // A part the receiving schedule moved to a later day is delivered on that day.
            RequestedDeliveryDate = recommendation.ExpectedArrival,
        });
        if (created.Outcome is not (CommandOutcome.Created or CommandOutcome.Replayed))
        {
            return "the purchase order was refused: " + Describe(created.Errors);
        }

        var sent = await purchaseOrder.Send();
        return sent.Outcome is CommandOutcome.Updated or CommandOutcome.Replayed
            ? null
            : "the purchase order was not sent: " + Describe(sent.Errors);
    }

    /// <summary>The reason a transfer or purchase order carries: the recommendation's, cut to what a request accepts.</summary>
    private static string Reason(Recommendation recommendation)
    {
        var reason = $"replenishment: {recommendation.Reason}";
        return reason.Length <= SkuLines.MaxReasonLength ? reason : reason[..(SkuLines.MaxReasonLength - 1)] + "…";
    }

    private static string Describe(IReadOnlyList<FieldError> errors) => string.Join("; ", errors.Select(e => $"{e.Field}: {e.Message}"));

    /// <summary>
    /// Whether a recommendation still covers part of the need beyond the position: open ones do;
    /// approved ones until their transfer shows as inbound (then the position counts it) or their
    /// expected arrival has passed (received by then, or overdue and raised as an exception).
    /// </summary>
    private static bool Pending(Recommendation r, ReplenishmentNeed need) => r.Status switch
    {
        RecommendationStatus.Open => true,
        RecommendationStatus.Approved => r.ExpectedArrival >= need.Today && !need.InboundSourceIds.Contains(r.RecommendationId),
        _ => false,
    };

    /// <summary>Units already expected per day from this board's live recommendations.</summary>
    private Dictionary<DateOnly, int> DueByDay(DateOnly today)
    {
        var due = new Dictionary<DateOnly, int>();
        foreach (var r in S.Recommendations.Values)
        {
            if (r.Status != RecommendationStatus.Dismissed && r.ExpectedArrival >= today)
            {
                due[r.ExpectedArrival] = due.GetValueOrDefault(r.ExpectedArrival) + r.Quantity;
            }
        }

        return due;
    }

    private static RecommendationResult NotFound(string id) =>
        new(CommandOutcome.NotFound, null, [new("recommendationId", $"unknown recommendation '{id}'")]);
}
