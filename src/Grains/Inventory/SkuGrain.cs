using Distribution.Common;
using Distribution.Network;
using Distribution.Orders;
using Distribution.Replenishment;
using Microsoft.Extensions.Options;

namespace Distribution.Inventory;

/// <summary>
/// One SKU across the network: item master data, the availability view (pushed by its
/// SKU-locations, so a read never fans out) and the backorder queue it wakes when stock appears.
/// Reentrant: reports and reads interleave with the wake-up loop, which awaits order grains.
/// </summary>
[Reentrant]
public sealed class SkuGrain : Grain, ISkuGrain
{
    private readonly IPersistentState<SkuState> _state;
    private readonly ILogger<SkuGrain> _logger;
    private readonly CoalescedWriter _writer;
    private readonly LocalSkuViews _localViews;
    private readonly KnownItems _knownItems;
    private readonly TimeProvider _time;
    private readonly ReplenishmentOptions _replenishment;
    private IGrainTimer? _changeReview;
    private SkuAvailability? _cached;
    private bool _waking;
    private bool _wakeRequested;
    private bool _viewDirty;

    public SkuGrain(
        IPersistentStateFactory stateFactory,
        IGrainContext context,
        ILogger<SkuGrain> logger,
        LocalSkuViews localViews,
        KnownItems knownItems,
        TimeProvider time,
        IOptions<ReplenishmentOptions> replenishment)
    {
        // Created without the [PersistentState] attribute, whose reflection runs on every activation
        // (a million of them when a silo brings the network live).
        _state = GrainStorage.Create<SkuState>(stateFactory, context, "sku");
        _logger = logger;
        _localViews = localViews;
        _knownItems = knownItems;
        _time = time;
        _replenishment = replenishment.Value;
        _writer = CoalescedWriter.ForState(this, _state, _logger);
    }

    private SkuState S => _state.State;

    /// <summary>
    /// The stored view is persisted lazily, so after a restart it may miss the last changes: the
    /// SKU-locations are asked for their current report before the first read is served.
    /// </summary>
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _localViews.Add(this.GetPrimaryKeyString());
        if (S.Item is not null)
        {
            // The silo's checks of event, snapshot and order-line SKUs need not ask this grain then.
            _knownItems.Remember(this.GetPrimaryKeyString());
        }

        await RefreshLocations();
    }

    public async Task RefreshLocations()
    {
        if (S.Locations.Count == 0)
        {
            return;
        }

        var sku = this.GetPrimaryKeyString();
        var reports = await Task.WhenAll(S.Locations.Keys.ToList().Select(w =>
            GrainFactory.Keyed<ISkuLocationGrain>(SkuLocationKey.Format(w, sku)).GetReport()));
        foreach (var report in reports)
        {
            // Through the same version check as a pushed report: one that arrived meanwhile may be newer.
            await ReportLocation(report);
        }
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _localViews.Remove(this.GetPrimaryKeyString());
        if (_viewDirty && reason.ReasonCode != DeactivationReasonCode.ApplicationError)
        {
            await _writer.WriteAsync();
        }
    }

    public async Task<CommandResult> UpsertItem(ItemInfo item)
    {
        var errors = MasterDataValidation.Validate(item);
        if (errors.Count > 0)
        {
            return CommandResult.Invalid(errors);
        }

        var outcome = S.Item is null ? CommandOutcome.Created : CommandOutcome.Updated;
        if (S.Item is null)
        {
            // Listed before it exists, so a pass never misses an item (listing twice is harmless).
            await GrainFactory.GetGrain<IItemCatalogGrain>(ItemCatalogGrain.ShardOf(this.GetPrimaryKeyString())).Add(this.GetPrimaryKeyString());
        }

        if (S.Item != item)
        {
            S.Item = item;
            _cached = null;
            await _writer.WriteAsync();
        }

        _knownItems.Remember(this.GetPrimaryKeyString());
        return new CommandResult(outcome, []);
    }

    public async Task<CommandResult> SetPolicy(string warehouseId, ReplenishmentPolicy policy)
    {
        var errors = MasterDataValidation.Validate(policy);
        if (errors.Count > 0)
        {
            return CommandResult.Invalid(errors);
        }

        if (S.Item is null)
        {
            return CommandResult.NotFound("sku", $"unknown SKU '{this.GetPrimaryKeyString()}'");
        }

        if (await GrainFactory.Keyed<INetworkGrain>(INetworkGrain.Key).GetWarehouse(warehouseId) is null)
        {
            return CommandResult.NotFound("warehouseId", $"unknown warehouse '{warehouseId}'");
        }

        await GrainFactory.Keyed<ISkuLocationGrain>(SkuLocationKey.Format(warehouseId, this.GetPrimaryKeyString())).SetPolicy(policy);
        if (policy.Kind != ReplenishmentPolicyKind.None)
        {
            await GrainFactory.Keyed<IReplenishmentReviewGrain>(IReplenishmentReviewGrain.Key).EnsureScheduled();
        }

        return new CommandResult(CommandOutcome.Updated, []);
    }

    public Task<ItemInfo?> GetItem() => Task.FromResult(S.Item);

    public Task<SkuAvailability?> GetAvailability()
    {
        if (S.Item is null)
        {
            return Task.FromResult<SkuAvailability?>(null);
        }

        return Task.FromResult<SkuAvailability?>(Current);
    }

    public Task ReportLocation(LocationAvailability location)
    {
        if (S.Locations.TryGetValue(location.WarehouseId, out var known)
            && (known.Epoch, known.Version).CompareTo((location.Epoch, location.Version)) >= 0)
        {
            return Task.CompletedTask; // an older report overtaken by a newer one
        }

        // Units in transit not yet promised can be promised to backordered lines too.
        var grew = location.Available > (known?.Available ?? 0) || FreeInbound(location) > FreeInbound(known);
        if (known is not null && location.Available < known.Available && HasPolicy(location))
        {
            ScheduleChangeReview();
        }

        S.Locations[location.WarehouseId] = location;
        Operations.StockHealthSignal.OnReport(GrainFactory, this.GetPrimaryKeyString(), known, location);
        _cached = null;
        if (known is null)
        {
            _ = _writer.WriteAsync();
        }
        else
        {
            MarkViewDirty();
        }
        if (grew && S.Backorders.Count > 0)
        {
            WakeBackorders();
        }

        return Task.CompletedTask;
    }

    public async Task EnqueueBackorder(BackorderEntry entry)
    {
        var key = BackorderKey(entry.OrderId, entry.LineId);
        if (S.Backorders.TryGetValue(key, out var known) && known == entry)
        {
            return;
        }

        S.Backorders[key] = entry;
        _cached = null;
        await _writer.WriteAsync();
        if (S.Locations.Values.Any(HasPolicy))
        {
            ScheduleChangeReview(); // a backorder lowers the inventory position as much as a sale
        }

        // Stock may have appeared while the order was deciding to wait.
        if (Current.Total.Available > 0)
        {
            WakeBackorders();
        }
    }

    public async Task RemoveBackorder(string orderId, string lineId)
    {
        if (S.Backorders.Remove(BackorderKey(orderId, lineId)))
        {
            _cached = null;
            await _writer.WriteAsync();
        }
    }

    public async Task<(int Reviewed, int Needs, IReadOnlyList<Operations.WarehouseStockHealth> Health)> ReviewReplenishment(PlanningView view, DateOnly today)
    {
        var reviewed = S.Locations.Values.Count(HasPolicy);
        if (reviewed == 0)
        {
            return (0, 0, Operations.StockHealthTally.OfSku(S.Locations.Values, []));
        }

        var needs = SkuReplenishmentPlan.Plan(
            this.GetPrimaryKeyString(),
            S.Item?.DefaultSupplierId,
            S.Locations.Values,
            [.. S.Backorders.Values.Select(b => (b.ShipTo, b.Quantity))],
            view,
            today);
        // One board after the other, in warehouse order: automatic transfers from the same source
        // then reserve its surplus in a fixed order, so the same state gives the same result.
        foreach (var need in needs.OrderBy(n => n.WarehouseId, StringComparer.Ordinal))
        {
            await GrainFactory.Keyed<IReplenishmentBoardGrain>(need.WarehouseId).Propose(need);
        }
        return (reviewed, needs.Count, Operations.StockHealthTally.OfSku(S.Locations.Values, needs.Select(n => n.WarehouseId)));
    }

    private static int FreeInbound(LocationAvailability? location) => location?.InboundEntries.Sum(e => e.Free) ?? 0;

    private static bool HasPolicy(LocationAvailability location) => location.Policy is { Kind: not ReplenishmentPolicyKind.None };

    /// <summary>
    /// Stock fell at a location with a policy: review this SKU soon, so a need is proposed when it
    /// arises rather than at the next periodic pass. Changes within the delay share one review;
    /// the board nets what is already proposed, so a review that finds nothing new is harmless.
    /// </summary>
    private void ScheduleChangeReview()
    {
        if (!_replenishment.ReviewOnChange || _changeReview is not null)
        {
            return;
        }

        _changeReview = this.RegisterGrainTimer(ReviewAfterChangeAsync, new GrainTimerCreationOptions(_replenishment.ChangeReviewDelay, Timeout.InfiniteTimeSpan));
    }

    private async Task ReviewAfterChangeAsync(CancellationToken cancellationToken)
    {
        _changeReview?.Dispose();
        _changeReview = null;
        try
        {
            var view = await GrainFactory.Keyed<INetworkGrain>(INetworkGrain.Key).GetPlanningView();
            await ReviewReplenishment(view, DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime));
        }
        catch (Exception e)
        {
            // The periodic pass catches what this review missed.
            _logger.LogWarning(e, "Reviewing replenishment of {Sku} after a stock change failed", this.GetPrimaryKeyString());
        }
    }

    /// <summary>
    /// Offers new stock to waiting lines, highest priority first, then oldest; one order at a time
    /// so the stock goes where the ranking says, until the view shows nothing left to offer.
    /// </summary>
    private void WakeBackorders()
    {
        if (_waking)
        {
            _wakeRequested = true;
            return;
        }

        _ = WakeLoopAsync();
    }

    private async Task WakeLoopAsync()
    {
        _waking = true;
        try
        {
            do
            {
                _wakeRequested = false;
                var queue = S.Backorders.Values
                    .OrderByDescending(b => b.Priority)
                    .ThenBy(b => b.Since)
                    .ThenBy(b => b.OrderId, StringComparer.Ordinal)
                    .ToList();
                foreach (var entry in queue)
                {
                    if (Current.Total.Available <= 0 && !S.Locations.Values.Any(l => FreeInbound(l) > 0))
                    {
                        break;
                    }

                    var remaining = await GrainFactory.Keyed<IOrderGrain>(entry.OrderId).AllocateBackorders(this.GetPrimaryKeyString());
                    if (remaining <= 0)
                    {
                        S.Backorders.Remove(BackorderKey(entry.OrderId, entry.LineId));
                        _cached = null;
                        MarkViewDirty();
                    }
                }
            }
            while (_wakeRequested && S.Backorders.Count > 0);
        }
        catch (Exception e)
        {
            // The queue is kept; the next stock report tries again.
            _logger.LogWarning(e, "Waking backorders of {Sku} failed", this.GetPrimaryKeyString());
        }
        finally
        {
            _waking = false;
        }
    }

    /// <summary>
    /// The numbers in the view are a cache of the SKU-locations (refreshed on activation), so they
    /// are persisted only on deactivation; a new location is persisted at once so the next
    /// activation knows whom to ask.
    /// </summary>
    private void MarkViewDirty() => _viewDirty = true;

    /// <summary>The view as of the last change (every change clears the cache).</summary>
    private SkuAvailability Current => _cached ??= BuildAvailability();

    private SkuAvailability BuildAvailability()
    {
        int onHand = 0, reserved = 0, available = 0, inbound = 0;
        var locations = new List<LocationAvailability>(S.Locations.Count);
        foreach (var l in S.Locations.Values.OrderBy(l => l.WarehouseId, StringComparer.Ordinal))
        {
            locations.Add(l);
            onHand += l.OnHand;
            reserved += l.Reserved;
            available += l.Available;
            inbound += l.Inbound;
        }

        return new SkuAvailability
        {
            Sku = this.GetPrimaryKeyString(),
            Locations = locations,
            Total = new StockTotals(onHand, reserved, available, inbound),
            Backordered = S.Backorders.Values.Sum(b => b.Quantity),
        };
    }

    private static string BackorderKey(string orderId, string lineId) => string.Concat(orderId, "|", lineId);
}
