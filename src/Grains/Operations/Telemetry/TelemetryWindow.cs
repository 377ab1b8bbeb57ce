namespace Distribution.Operations;

/// <summary>
/// The network's last hour of telemetry: per silo, the figures it last reported for each minute
/// (a report replaces that silo's minute), merged over silos when read. Pure.
/// </summary>
public sealed class TelemetryWindow
{
    public const int Minutes = 60;

    private readonly Dictionary<string, Dictionary<DateTimeOffset, TelemetryMinute>> _bySilo = new(StringComparer.Ordinal);

    public static DateTimeOffset MinuteOf(DateTimeOffset at)
    {
        var utc = at.ToUniversalTime();
        return new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, utc.Minute, 0, TimeSpan.Zero);
    }

    public void Report(string siloId, IEnumerable<TelemetryMinute> minutes, DateTimeOffset now)
    {
        if (!_bySilo.TryGetValue(siloId, out var silo))
        {
            silo = _bySilo[siloId] = [];
        }

        foreach (var m in minutes)
        {
            silo[MinuteOf(m.Minute)] = m with { Minute = MinuteOf(m.Minute) };
        }

        Prune(now);
    }

    /// <summary>The last <see cref="Minutes"/> minutes up to now's, oldest first, every minute present.</summary>
    public TelemetrySeries Series(DateTimeOffset now)
    {
        Prune(now);
        var last = MinuteOf(now);
        var minutes = Enumerable.Range(0, Minutes)
            .Select(i => last.AddMinutes(i - (Minutes - 1)))
            .Select(minute => _bySilo.Values
                .Select(s => s.GetValueOrDefault(minute))
                .Where(m => m is not null)
                .Aggregate(new TelemetryMinute { Minute = minute }, (sum, m) => Merge(sum, m!)))
            .ToList();
        return new TelemetrySeries { AsOf = now, Silos = _bySilo.Count, Minutes = minutes };
    }

    public static TelemetryMinute Merge(TelemetryMinute a, TelemetryMinute b)
    {
        var latency = new Dictionary<string, MeasurementStat>(a.EventLatencySecondsByWarehouse, StringComparer.Ordinal);
        foreach (var (warehouse, stat) in b.EventLatencySecondsByWarehouse)
        {
            latency[warehouse] = latency.GetValueOrDefault(warehouse, MeasurementStat.Empty).Add(stat);
        }

        return a with
        {
            Orders = a.Orders + b.Orders,
            OrdersBackordered = a.OrdersBackordered + b.OrdersBackordered,
            BackorderedUnits = a.BackorderedUnits + b.BackorderedUnits,
            PromiseBreaches = a.PromiseBreaches + b.PromiseBreaches,
            AllocationLatencyMs = a.AllocationLatencyMs.Add(b.AllocationLatencyMs),
            EventLatencySecondsByWarehouse = latency,
            ReplenishmentCycleDays = a.ReplenishmentCycleDays.Add(b.ReplenishmentCycleDays),
        };
    }

    /// <summary>Drops minutes outside the window, and silos left with none (a silo that stopped reporting).</summary>
    private void Prune(DateTimeOffset now)
    {
        var oldest = MinuteOf(now).AddMinutes(-(Minutes - 1));
        foreach (var (id, silo) in _bySilo.ToList())
        {
            foreach (var stale in silo.Keys.Where(m => m < oldest).ToList())
            {
                silo.Remove(stale);
            }

            if (silo.Count == 0)
            {
                _bySilo.Remove(id);
            }
        }
    }
}
