namespace Distribution.Benchmark;

/// <summary>
/// What one answered batch said about its events. <see cref="Accepted"/> counts the events the API
/// took in: "accepted" verdicts, plus "duplicate" ones answering a resend (an earlier attempt landed).
/// </summary>
internal readonly record struct BatchTally(int Accepted, int Replayed, int Rejected, string? FirstRejection);

/// <summary>
/// The client's account of one level for the exactly-once check: the summed quantity of the
/// events the API accepted, per sampled SKU-location. The sample is the hottest popularity ranks
/// at every warehouse (slot = rank × warehouses + warehouse, the first <see cref="SampleSize"/>
/// slots): the SKU-locations that take the most events, so the likeliest to show a lost or
/// doubled one. Thread-safe; written by all workers.
/// </summary>
internal sealed class EventLedger
{
    public const int SampleSize = 200;

    private readonly int warehouses;
    private readonly long[] posted;
    private readonly bool[] uncertain;
    private long replayed;

    public EventLedger(int warehouseCount, int skuCount)
    {
        warehouses = warehouseCount;
        var slots = (int)Math.Min(SampleSize, (long)warehouseCount * skuCount);
        posted = new long[slots];
        uncertain = new bool[slots];
    }

    /// <summary>Sampled SKU-locations.</summary>
    public int Count => posted.Length;

    public (int Rank, int Warehouse) Location(int slot) => (slot / warehouses, slot % warehouses);

    /// <summary>Units the accepted events moved at <paramref name="slot"/>.</summary>
    public long Posted(int slot) => Interlocked.Read(ref posted[slot]);

    /// <summary>
    /// Events answered "duplicate" on a batch's first attempt: their ids were used before this run
    /// (a reused --run-id). A resent batch then cannot tell its own earlier attempt from that run,
    /// so the check is not to be trusted.
    /// </summary>
    public long Replayed => Interlocked.Read(ref replayed);

    /// <summary>A batch touching <paramref name="slot"/> was never answered: whether its events landed is unknown.</summary>
    public bool IsUncertain(int slot) => Volatile.Read(ref uncertain[slot]);

    /// <summary>
    /// Books the verdicts of an answered batch. "accepted" counts; "duplicate" counts only when an
    /// earlier attempt of this very batch went unanswered (that attempt landed: event ids are unique
    /// to the run), else the id was used before this run (a reused --run-id) and is a replay.
    /// An event without a verdict makes its SKU-location uncertain.
    /// </summary>
    public BatchTally Record(PlannedBatch batch, EventBatchResult result, bool resent)
    {
        var events = batch.Body.Events;
        var seen = new bool[events.Count];
        int accepted = 0, replays = 0, rejected = 0;
        string? firstRejection = null;
        foreach (var verdict in result.Results ?? [])
        {
            var i = verdict.Index;
            if (i < 0 || i >= events.Count || seen[i] || !string.Equals(verdict.EventId, events[i].EventId, StringComparison.Ordinal))
                continue;
            switch (verdict.Status?.ToLowerInvariant())
            {
                case "accepted":
                    accepted++;
                    Add(batch, i);
                    break;
                case "duplicate" when resent:
                    accepted++;
                    Add(batch, i);
                    break;
                case "duplicate":
                    replays++;
                    break;
                case "rejected":
                    rejected++;
                    firstRejection ??= Describe(events[i], verdict);
                    break;
                default:
                    continue;
            }

            seen[i] = true;
        }

        for (var i = 0; i < events.Count; i++)
        {
            if (!seen[i])
                MarkUncertain(batch.Ranks[i], batch.Warehouse);
        }

        Interlocked.Add(ref replayed, replays);
        return new BatchTally(accepted, replays, rejected, firstRejection);
    }

    /// <summary>A batch that was never answered: every sampled SKU-location it touches becomes uncertain.</summary>
    public void MarkUncertain(PlannedBatch batch)
    {
        foreach (var rank in batch.Ranks)
            MarkUncertain(rank, batch.Warehouse);
    }

    private void Add(PlannedBatch batch, int i)
    {
        if (Slot(batch.Ranks[i], batch.Warehouse) is var slot and >= 0)
            Interlocked.Add(ref posted[slot], batch.Body.Events[i].Quantity);
    }

    private void MarkUncertain(int rank, int warehouse)
    {
        if (Slot(rank, warehouse) is var slot and >= 0)
            Volatile.Write(ref uncertain[slot], true);
    }

    private int Slot(int rank, int warehouse)
    {
        var slot = ((long)rank * warehouses) + warehouse;
        return slot < posted.Length ? (int)slot : -1;
    }

    private static string Describe(EventBody e, EventVerdict verdict) =>
        $"{e.EventId} ({e.Type} {e.Sku} @ {e.WarehouseId}): "
        + (verdict.Errors is { Count: > 0 } errors ? string.Join("; ", errors.Select(f => $"{f.Field} {f.Message}")) : "no reason given");
}
