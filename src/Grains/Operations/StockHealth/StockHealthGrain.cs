using Distribution.Common;

namespace Distribution.Operations;

/// <summary>
/// One warehouse's live stock health, told by its SKUs (<see cref="StockHealthSignal"/>) only when a
/// location's health changes, so it is not on the path of every stock movement. Stored, so the
/// counts survive a restart, but written at most every <see cref="FlushDelay"/> (and on
/// deactivation): seeding a network tells it once per SKU-location, and the state holds every SKU
/// of the warehouse. A change lost in a crash is made up by that SKU's next change there.
/// </summary>
[Reentrant]
public sealed class StockHealthGrain : Grain, IStockHealthGrain
{
    // Long enough that seeding a million SKU-locations rewrites each warehouse's map a few times, not fifty.
    public static readonly TimeSpan FlushDelay = TimeSpan.FromSeconds(30);

    private readonly IPersistentState<StockHealthState> _state;
    private readonly CoalescedWriter _writer;
    private readonly TimeProvider _time;
    private IGrainTimer? _flush;
    private int _withPolicy;
    private int _stockouts;

    public StockHealthGrain(
        [PersistentState("stockHealth", GrainStorage.Name)] IPersistentState<StockHealthState> state,
        TimeProvider time,
        ILogger<StockHealthGrain> logger)
    {
        _state = state;
        _time = time;
        _writer = CoalescedWriter.ForState(this, _state, logger);
    }

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        foreach (var flags in _state.State.Skus.Values)
        {
            Count(flags, +1);
        }

        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_flush is not null && reason.ReasonCode != DeactivationReasonCode.ApplicationError)
        {
            await _writer.WriteAsync();
        }
    }

    public Task Report(string sku, StockHealthFlags flags)
    {
        var skus = _state.State.Skus;
        if (skus.TryGetValue(sku, out var known))
        {
            if (known == flags)
            {
                return Task.CompletedTask;
            }

            Count(known, -1);
        }

        skus[sku] = flags;
        Count(flags, +1);
        _state.State.ChangedAt = _time.GetUtcNow();
        // Changes within the delay share one write.
        _flush ??= this.RegisterGrainTimer(FlushAsync, new GrainTimerCreationOptions(FlushDelay, Timeout.InfiniteTimeSpan));
        return Task.CompletedTask;
    }

    private Task FlushAsync(CancellationToken cancellationToken)
    {
        _flush?.Dispose();
        _flush = null;
        return _writer.WriteAsync();
    }

    public Task<LiveStockHealth> Current() => Task.FromResult(new LiveStockHealth
    {
        Counts = new WarehouseStockHealth
        {
            WarehouseId = this.GetPrimaryKeyString(),
            Skus = _state.State.Skus.Count,
            WithPolicy = _withPolicy,
            Stockouts = _stockouts,
        },
        AsOf = _state.State.ChangedAt,
    });

    private void Count(StockHealthFlags flags, int sign)
    {
        _withPolicy += flags.HasFlag(StockHealthFlags.WithPolicy) ? sign : 0;
        _stockouts += flags.HasFlag(StockHealthFlags.Stockout) ? sign : 0;
    }
}
