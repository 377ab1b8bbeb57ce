namespace Distribution.Replenishment;

/// <summary>
/// The replenishment recommendations of one destination warehouse (key: warehouse id). It turns
/// needs into proposals, never two for the same need, within the warehouse's receiving capacity,
/// and executes them at once for automatic policies.
/// </summary>
public interface IReplenishmentBoardGrain : IGrainWithStringKey
{
    /// <summary>Returns the recommendations this need created (none when already covered).</summary>
    Task<IReadOnlyList<Recommendation>> Propose(ReplenishmentNeed need);

    [ReadOnly, AlwaysInterleave]
    Task<IReadOnlyList<Recommendation>> List(RecommendationStatus? status);

    Task<RecommendationResult> Approve(string recommendationId);

    Task<RecommendationResult> Dismiss(string recommendationId, string? note);

    /// <summary>
    /// The transfer or purchase order an approved recommendation created (same id) was received in
    /// full at <paramref name="receivedAt"/> (business time): closes the cycle and measures it.
    /// One-way: the receipt never waits for the board, and a lost call only costs a measurement.
    /// </summary>
    [OneWay]
    Task Received(string recommendationId, DateTimeOffset receivedAt);

    /// <summary>Open recommendations (for the metrics gauge).</summary>
    [ReadOnly, AlwaysInterleave]
    Task<int> CountOpen();
}

/// <summary>The SKUs of the item master, in shards (key 0..<see cref="Shards"/>-1) so a pass can walk them.</summary>
public interface IItemCatalogGrain : IGrainWithIntegerKey
{
    const int Shards = 16;

    Task Add(string sku);

    [ReadOnly, AlwaysInterleave]
    Task<IReadOnlyList<string>> List();
}

/// <summary>
/// The network replenishment pass (key <see cref="Key"/>): every SKU's planner reviews its
/// locations. Runs on demand and periodically in business time (woken by the recovery sweep).
/// </summary>
public interface IReplenishmentReviewGrain : Common.IRecoverableGrain
{
    const string Key = "network";

    Task<ReviewSummary> RunPass();

    [ReadOnly, AlwaysInterleave]
    Task<ReviewSummary?> LastPass();

    /// <summary>Starts the periodic pass if it is not scheduled yet (a policy was set).</summary>
    Task EnsureScheduled();
}
