using System.Diagnostics;
using Distribution.Common;
using Distribution.Inventory;
using Distribution.Network;
using Microsoft.Extensions.Options;

namespace Distribution.Replenishment;

/// <summary>
/// The network replenishment pass: every SKU's planner reviews its locations against one planning
/// view and one business date. Periodic in business time (every
/// <see cref="ReplenishmentOptions.ReviewInterval"/>, woken by the recovery sweep once a policy
/// exists) and on demand. Reentrant so status reads are answered during a pass; a pass asked for
/// while one runs joins it.
/// </summary>
[Reentrant]
public sealed class ReplenishmentReviewGrain : Grain, IReplenishmentReviewGrain
{
    private readonly IPersistentState<ReplenishmentReviewState> _state;
    private readonly TimeProvider _time;
    private readonly ReplenishmentOptions _options;
    private readonly ILogger<ReplenishmentReviewGrain> _logger;
    private Task<ReviewSummary>? _running;

    public ReplenishmentReviewGrain(
        [PersistentState("replenishmentReview", GrainStorage.Name)] IPersistentState<ReplenishmentReviewState> state,
        TimeProvider time,
        IOptions<ReplenishmentOptions> options,
        ILogger<ReplenishmentReviewGrain> logger)
    {
        _state = state;
        _time = time;
        _options = options.Value;
        _logger = logger;
    }

    public Task<ReviewSummary> RunPass() => _running ??= RunOnceAsync();

    public Task<ReviewSummary?> LastPass() => Task.FromResult(_state.State.LastPass);

    public async Task EnsureScheduled()
    {
        if (_state.State.WakeAt is null)
        {
            _state.State.WakeAt = _time.GetUtcNow() + _options.ReviewInterval;
            await _state.WriteStateAsync();
        }
    }

    public async Task Wake()
    {
        if (_state.State.WakeAt is { } due && due <= _time.GetUtcNow())
        {
            await RunPass();
        }
    }

    private async Task<ReviewSummary> RunOnceAsync()
    {
        try
        {
            var stopwatch = Stopwatch.StartNew();
            var now = _time.GetUtcNow();
            var today = DateOnly.FromDateTime(now.UtcDateTime);
            var view = await GrainFactory.GetGrain<INetworkGrain>(INetworkGrain.Key).GetPlanningView();
            var shards = await Task.WhenAll(Enumerable.Range(0, IItemCatalogGrain.Shards)
                .Select(i => GrainFactory.GetGrain<IItemCatalogGrain>(i).List()));
            var skus = shards.SelectMany(s => s).ToList();
            int reviewed = 0, needs = 0;
            var health = new Operations.StockHealthTally();
            foreach (var chunk in skus.Chunk(_options.PassConcurrency))
            {
                var results = await Task.WhenAll(chunk.Select(sku => GrainFactory.GetGrain<ISkuGrain>(sku).ReviewReplenishment(view, today)));
                reviewed += results.Sum(r => r.Reviewed);
                needs += results.Sum(r => r.Needs);
                health.Add(results.SelectMany(r => r.Health));
            }

            var summary = new ReviewSummary
            {
                Skus = skus.Count,
                LocationsReviewed = reviewed,
                Needs = needs,
                Elapsed = stopwatch.Elapsed,
                At = now,
                StockHealth = health.Result(),
            };
            HubMetrics.ReplenishmentPassDuration.Record(stopwatch.Elapsed.TotalSeconds);
            _logger.LogInformation(
                "Replenishment pass: {Skus} SKUs, {Locations} SKU-locations with a policy, {Needs} at or below their reorder point, {Elapsed}",
                summary.Skus, summary.LocationsReviewed, summary.Needs, summary.Elapsed);
            _state.State.LastPass = summary;
            _state.State.WakeAt = _time.GetUtcNow() + _options.ReviewInterval;
            await _state.WriteStateAsync();
            return summary;
        }
        finally
        {
            _running = null;
        }
    }
}
