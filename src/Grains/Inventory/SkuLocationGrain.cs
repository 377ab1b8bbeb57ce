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
    private bool _reviewing;
    private ISkuGrain _skuView = null!;

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
        _skuView = GrainFactory.GetGrain<ISkuGrain>(_sku);
        _reserved = S.Reserved;
        if (_state.RecordExists)
        {
            // The network view is persisted lazily; after a crash it may lag what is stored here.
            Report();
        }

        return Task.CompletedTask;
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

        // A retry of the same reservation changes nothing but still waits for durability.
        if (existing is null || delta != 0)
        {
            S.Reservations[key] = new Reservation
            {
                OrderId = request.OrderId,
                LineId = request.LineId,
                Quantity = request.Quantity,
                ExpiresAt = request.ExpiresAt,
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

    public Task Wake() => ReviewExpiredAsync();

    /// <summary>
    /// Asks each order whose reservation expired whether it still owns it: owned ones get another
    /// period, the rest are released (a reservation can reach here after its order gave up on it).
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
            var now = _time.GetUtcNow();
            var expired = S.Reservations.Values.Where(r => r.ExpiresAt <= now).ToList();
            var verdicts = await Task.WhenAll(expired.Select(r =>
                GrainFactory.GetGrain<IOrderGrain>(r.OrderId).VerifyReservation(_warehouseId, r.LineId)));
            for (var i = 0; i < expired.Count; i++)
            {
                var key = ReservationKey(expired[i].OrderId, expired[i].LineId);
                if (!S.Reservations.TryGetValue(key, out var current) || current.ExpiresAt > now)
                {
                    continue; // released or renewed meanwhile
                }

                if (verdicts[i] == ReservationVerdict.NotHeld)
                {
                    S.Reservations.Remove(key);
                    _reserved -= current.Quantity;
                    _logger.LogWarning(
                        "Released orphaned reservation of {OrderId}/{LineId} at {Warehouse}/{Sku}",
                        current.OrderId, current.LineId, _warehouseId, _sku);
                }
                else
                {
                    // Held: another full period; Pending: the order is mid-allocation, ask again soon.
                    var next = now + (verdicts[i] == ReservationVerdict.Held ? _options.ReservationExpiry : _options.IntentTimeout);
                    S.Reservations[key] = current with { ExpiresAt = next };
                }
            }

            S.WakeAt = S.Reservations.Count == 0 ? null : S.Reservations.Values.Min(r => r.ExpiresAt);
            Changed();
            await _writer.WriteAsync();
        }
        finally
        {
            _reviewing = false;
        }
    }

    private void Changed()
    {
        _reportVersion++;
        Report();
    }

    private void Report()
    {
        _ = _skuView.ReportLocation(new LocationAvailability
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
