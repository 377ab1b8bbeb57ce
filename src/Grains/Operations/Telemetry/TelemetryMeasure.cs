using Distribution.Common;

namespace Distribution.Operations;

/// <summary>What the operations page charts, each fed by one instrument of <see cref="HubMetrics"/>.</summary>
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
    /// <summary>Instruments a collector listens to (others cost nothing).</summary>
    public static readonly IReadOnlySet<string> Names = new HashSet<string>(StringComparer.Ordinal)
    {
        HubMetrics.OrdersPlaced.Name,
        HubMetrics.OrderBackorderedUnits.Name,
        HubMetrics.AllocationLatency.Name,
        HubMetrics.PromiseBreaches.Name,
        HubMetrics.EventLatency.Name,
        HubMetrics.ReplenishmentCycleTime.Name,
    };

    public static IEnumerable<TelemetrySample> Samples(string instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var warehouse = Tag(tags, "warehouse");
        if (instrument == HubMetrics.OrdersPlaced.Name)
        {
            return Tag(tags, "backordered") == "true"
                ? [new(TelemetryMeasure.Orders, value, null), new(TelemetryMeasure.OrdersBackordered, value, null)]
                : [new(TelemetryMeasure.Orders, value, null)];
        }

        if (instrument == HubMetrics.OrderBackorderedUnits.Name)
        {
            return [new(TelemetryMeasure.BackorderedUnits, value, null)];
        }

        if (instrument == HubMetrics.AllocationLatency.Name)
        {
            return [new(TelemetryMeasure.AllocationLatencyMs, value * 1000, null)];
        }

        if (instrument == HubMetrics.PromiseBreaches.Name)
        {
            return [new(TelemetryMeasure.PromiseBreaches, value, warehouse)];
        }

        if (instrument == HubMetrics.EventLatency.Name)
        {
            return [new(TelemetryMeasure.EventLatencySeconds, value, warehouse ?? "?")];
        }

        return instrument == HubMetrics.ReplenishmentCycleTime.Name
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
