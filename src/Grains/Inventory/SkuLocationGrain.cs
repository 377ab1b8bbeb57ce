using Distribution.Common;
using Distribution.Orders;
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
    // Reports to the network view are ordered by (activation epoch, change count): counts restart
    // with each activation, so a reloaded activation is never mistaken for an older one.
    // Wall-clock ticks order activations only; it is not business time.
    private readonly long _epoch = DateTime.UtcNow.Ticks;
    private long _reportVersion;
    private bool _unsavedConfirmations;
    private bool _sweeping;
    private IGrainTimer? _sweepTimer;

    public SkuLocationGrain(
        [PersistentState("skuLocation", GrainStorage.Name)] IPersistentState<SkuLocationState> state,
        TimeProvider time,
        IOptions<AllocationOptions> options,
        ILogger<SkuLocationGrain> logger)
    {
        _state = state;
        _time = time;
        _options = options.Value;
        _logger = logger;
        _writer = new CoalescedWriter(
            () => _state.WriteStateAsync(),
            e =>
            {
                // In-memory state is now ahead of storage: drop it and reload on the next call.
                _logger.LogError(e, "Persisting {SkuLocation} failed; deactivating", this.GetPrimaryKeyString());
                DeactivateOnIdle();
            });
    }

    private SkuLocationState S => _state.State;

    private int Available => Math.Max(0, S.OnHand - _reserved - S.SafetyStock);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_warehouseId, _sku) = SkuLocationKey.Parse(this.GetPrimaryKeyString());
        _reserved = S.Reserved;
        if (_state.RecordExists)
        {
            // The network view is persisted lazily; after a crash it may lag what is stored here.
            Report();
        }

        EnsureSweepTimer();
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_unsavedConfirmations && reason.ReasonCode != DeactivationReasonCode.ApplicationError)
        {
            await _writer.WriteAsync();
        }
    }

    public async Task<ReservationResult> Reserve(ReservationRequest request)
    {
        if (request.Quantity <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(request), "Reservation quantity must be positive.");
        }

        var key = ReservationKey(request.OrderId, request.LineId);
        var existing = S.Reservations.GetValueOrDefault(key);
        var delta = request.Quantity - (existing?.Quantity ?? 0);
        if (delta > Available)
        {
            return new ReservationResult(false, Available);
        }

        if (existing is null || delta != 0)
        {
            S.Reservations[key] = new Reservation
            {
                OrderId = request.OrderId,
                LineId = request.LineId,
                Quantity = request.Quantity,
                // A confirmed reservation stays confirmed when its order re-plans the quantity.
                HoldUntil = existing is { HoldUntil: null } ? null : request.HoldUntil,
            };
            _reserved += delta;
            Changed();
        }
        else if (existing.HoldUntil < request.HoldUntil)
        {
            // A retry of the same reservation extends its hold and still waits for durability.
            S.Reservations[key] = existing with { HoldUntil = request.HoldUntil };
            Changed();
        }

        var availableAfter = Available;
        EnsureSweepTimer();
        await _writer.WriteAsync();
        return new ReservationResult(true, availableAfter);
    }

    public async Task<int> Release(string orderId, string lineId)
    {
        if (!S.Reservations.Remove(ReservationKey(orderId, lineId), out var removed))
        {
            return 0;
        }

        _reserved -= removed.Quantity;
        Changed();
        await _writer.WriteAsync();
        return removed.Quantity;
    }

    public Task Confirm(string orderId, IReadOnlyList<string> lineIds)
    {
        foreach (var lineId in lineIds)
        {
            var key = ReservationKey(orderId, lineId);
            if (S.Reservations.TryGetValue(key, out var r) && r.HoldUntil is not null)
            {
                S.Reservations[key] = r with { HoldUntil = null };
                // Not written now: if lost, the hold expires and the order confirms it again.
                _unsavedConfirmations = true;
            }
        }

        return Task.CompletedTask;
    }

    public async Task<SnapshotLineOutcome> ApplySnapshot(DateTimeOffset asOf, int onHand)
    {
        if (S.LastSnapshotAt is { } last && asOf <= last)
        {
            return SnapshotLineOutcome.Stale;
        }

        S.LastSnapshotAt = asOf;
        if (S.OnHand != onHand)
        {
            if (onHand < _reserved)
            {
                _logger.LogWarning(
                    "Snapshot of {Warehouse}/{Sku} puts on-hand {OnHand} below reserved {Reserved}",
                    _warehouseId, _sku, onHand, _reserved);
            }

            S.OnHand = onHand;
            Changed();
        }

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
    });

    public Task Wake() => SettleExpiredHoldsAsync();

    /// <summary>
    /// Asks each order whose hold expired unconfirmed whether it owns it; releases what no order owns.
    /// </summary>
    private async Task SettleExpiredHoldsAsync()
    {
        if (_sweeping)
        {
            return;
        }

        _sweeping = true;
        try
        {
            var now = _time.GetUtcNow();
            var expired = S.Reservations.Values.Where(r => r.HoldUntil is { } until && until <= now).ToList();
            foreach (var hold in expired)
            {
                var order = GrainFactory.GetGrain<IOrderGrain>(hold.OrderId);
                var verdict = await order.VerifyReservation(_warehouseId, hold.LineId);
                var key = ReservationKey(hold.OrderId, hold.LineId);
                if (!S.Reservations.TryGetValue(key, out var current) || current.HoldUntil is null)
                {
                    continue; // confirmed or released meanwhile
                }

                switch (verdict)
                {
                    case ReservationVerdict.Held:
                        S.Reservations[key] = current with { HoldUntil = null };
                        Changed();
                        break;
                    case ReservationVerdict.NotHeld:
                        S.Reservations.Remove(key);
                        _reserved -= current.Quantity;
                        _logger.LogInformation(
                            "Released orphaned hold of {OrderId}/{LineId} at {Warehouse}/{Sku}",
                            hold.OrderId, hold.LineId, _warehouseId, _sku);
                        Changed();
                        break;
                    case ReservationVerdict.Pending:
                        S.Reservations[key] = current with { HoldUntil = now + _options.HoldDuration };
                        Changed();
                        break;
                }
            }

            if (expired.Count > 0)
            {
                await _writer.WriteAsync();
            }
        }
        finally
        {
            _sweeping = false;
        }
    }

    private void EnsureSweepTimer()
    {
        if (_sweepTimer is null && S.WakeAt is not null)
        {
            _sweepTimer = this.RegisterGrainTimer(
                static (grain, _) => grain.SettleExpiredHoldsAsync(),
                this,
                new GrainTimerCreationOptions(_options.HoldSweepInterval, _options.HoldSweepInterval) { Interleave = true });
        }
    }

    private void Changed()
    {
        _reportVersion++;
        _unsavedConfirmations = false;
        Report();
    }

    private void Report()
    {
        var sku = GrainFactory.GetGrain<ISkuGrain>(_sku);
        _ = sku.ReportLocation(new LocationAvailability
        {
            WarehouseId = _warehouseId,
            OnHand = S.OnHand,
            Reserved = _reserved,
            SafetyStock = S.SafetyStock,
            Available = Available,
            Epoch = _epoch,
            Version = _reportVersion,
            LastSnapshotAt = S.LastSnapshotAt,
        });
    }

    private static string ReservationKey(string orderId, string lineId) => string.Concat(orderId, "|", lineId);
}
