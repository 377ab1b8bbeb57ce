namespace Distribution.Operations;

/// <summary>Count, sum and maximum of one measurement over a minute (merging minutes or silos adds counts and sums).</summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed record MeasurementStat(
    [property: Id(0)] long Count,
    [property: Id(1)] double Sum,
    [property: Id(2)] double Max)
{
    public static readonly MeasurementStat Empty = new(0, 0, 0);

    public double? Mean => Count == 0 ? null : Sum / Count;

    public MeasurementStat Add(MeasurementStat other) =>
        new(Count + other.Count, Sum + other.Sum, Math.Max(Max, other.Max));
}

/// <summary>
/// The hub's business telemetry during one minute (of the host's clock), from one silo or merged
/// over every silo: what the operations page charts.
/// </summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed record TelemetryMinute
{
    /// <summary>Start of the minute (UTC, seconds zero).</summary>
    [Id(0)] public DateTimeOffset Minute { get; init; }
    /// <summary>Orders placed (first placement only, not replays).</summary>
    [Id(1)] public long Orders { get; init; }
    /// <summary>Orders placed with at least one unit backordered.</summary>
    [Id(2)] public long OrdersBackordered { get; init; }
    [Id(3)] public long BackorderedUnits { get; init; }
    [Id(4)] public long PromiseBreaches { get; init; }
    /// <summary>Wall time of a placement, validation to answer, in milliseconds.</summary>
    [Id(5)] public MeasurementStat AllocationLatencyMs { get; init; } = MeasurementStat.Empty;
    /// <summary>Business time from an event's occurredAt to its application, in seconds, per warehouse.</summary>
    [Id(6)] public IReadOnlyDictionary<string, MeasurementStat> EventLatencySecondsByWarehouse { get; init; } = new Dictionary<string, MeasurementStat>();
    /// <summary>Business time from a transfer's or purchase order's creation to its receipt in full, in days.</summary>
    [Id(7)] public MeasurementStat ReplenishmentCycleDays { get; init; } = MeasurementStat.Empty;
}

/// <summary>The last hour of telemetry, one entry per minute, oldest first (minutes without data are zeros).</summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed record TelemetrySeries
{
    [Id(0)] public DateTimeOffset AsOf { get; init; }
    /// <summary>Silos that reported within the window.</summary>
    [Id(1)] public int Silos { get; init; }
    [Id(2)] public IReadOnlyList<TelemetryMinute> Minutes { get; init; } = [];
}

/// <summary>
/// The network's business telemetry (key <see cref="Key"/>): every silo pushes its per-minute
/// figures every few seconds; the operations page reads the merged last hour. In memory only: it is
/// a view of recent activity, rebuilt by the silos' next pushes after a restart.
/// </summary>
public interface ITelemetryGrain : IGrainWithStringKey
{
    const string Key = "network";

    /// <summary>The silo's figures for the minutes it still holds; each replaces what that silo reported for the minute.</summary>
    Task Report(string siloId, IReadOnlyList<TelemetryMinute> minutes);

    [ReadOnly, AlwaysInterleave]
    Task<TelemetrySeries> Series();
}
