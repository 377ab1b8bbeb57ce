namespace Distribution.Operations;

/// <summary>What the operations page charts, each fed by one instrument of the hub's meter (HubMetrics).</summary>
public enum TelemetryMeasure
{
    Orders,
    OrdersBackordered,
    BackorderedUnits,
    PromiseBreaches,
    AllocationLatencyMs,
    EventLatencySeconds,
    ReplenishmentCycleDays,
}

/// <summary>One measurement translated for the page: which measure, its value, and the warehouse it is about (if any).</summary>
public readonly record struct TelemetrySample(TelemetryMeasure Measure, double Value, string? WarehouseId);

/// <summary>Maps the hub's instruments (by name and tags) to the page's measures; other instruments are ignored.</summary>
public static class TelemetryInstruments
{
    // Names, not HubMetrics' fields: a listener learns of instruments while HubMetrics is still being
    // initialised, and reading its fields from there would see them null.
    public const string OrdersPlaced = "distribution.orders.placed";
    public const string OrderBackorderedUnits = "distribution.orders.backordered_units";
    public const string AllocationLatency = "distribution.orders.allocation_latency";
    public const string PromiseBreaches = "distribution.promise_breaches";
    public const string EventLatency = "distribution.events.latency";
    public const string ReplenishmentCycleTime = "distribution.replenishment.cycle_time";

    /// <summary>Instruments a collector listens to (others cost nothing).</summary>
    public static readonly IReadOnlySet<string> Names = new HashSet<string>(StringComparer.Ordinal)
    {
        OrdersPlaced, OrderBackorderedUnits, AllocationLatency, PromiseBreaches, EventLatency, ReplenishmentCycleTime,
    };

    public static IEnumerable<TelemetrySample> Samples(string instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var warehouse = Tag(tags, "warehouse");
        if (instrument == OrdersPlaced)
        {
            return Tag(tags, "backordered") == "true"
                ? [new(TelemetryMeasure.Orders, value, null), new(TelemetryMeasure.OrdersBackordered, value, null)]
                : [new(TelemetryMeasure.Orders, value, null)];
        }

        if (instrument == OrderBackorderedUnits)
        {
            return [new(TelemetryMeasure.BackorderedUnits, value, null)];
        }

        if (instrument == AllocationLatency)
        {
            return [new(TelemetryMeasure.AllocationLatencyMs, value * 1000, null)];
        }

        if (instrument == PromiseBreaches)
        {
            return [new(TelemetryMeasure.PromiseBreaches, value, warehouse)];
        }

        if (instrument == EventLatency)
        {
            return [new(TelemetryMeasure.EventLatencySeconds, value, warehouse ?? "?")];
        }

        return instrument == ReplenishmentCycleTime
            ? [new(TelemetryMeasure.ReplenishmentCycleDays, value, null)]
            : [];
    }

    private static string? Tag(ReadOnlySpan<KeyValuePair<string, object?>> tags, string key)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == key)
            {
                return tag.Value?.ToString();
            }
        }

        return null;
    }
}
