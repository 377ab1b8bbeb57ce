namespace Distribution.Operations;

/// <summary>
/// One process's telemetry in per-minute buckets (minutes of the clock it is given). Keeps the
/// last <see cref="KeptMinutes"/> minutes so a minute that just closed is still reported whole;
/// what it hands out are absolute figures per minute, so sending them again replaces, never adds.
/// Thread-safe: measurements arrive from every grain turn of the process.
/// </summary>
public sealed class TelemetryAccumulator
{
    public const int KeptMinutes = 3;

    private readonly Lock _gate = new();
    private readonly SortedDictionary<DateTimeOffset, MinuteBuilder> _minutes = [];

    public void Add(TelemetrySample sample, DateTimeOffset at)
    {
        var minute = TelemetryWindow.MinuteOf(at);
        lock (_gate)
        {
            if (!_minutes.TryGetValue(minute, out var builder))
            {
                builder = _minutes[minute] = new MinuteBuilder();
            }

            builder.Add(sample);
        }
    }

    /// <summary>The minutes still kept (oldest first); older ones are dropped.</summary>
    public IReadOnlyList<TelemetryMinute> Snapshot(DateTimeOffset now)
    {
        var oldest = TelemetryWindow.MinuteOf(now).AddMinutes(-(KeptMinutes - 1));
        lock (_gate)
        {
            foreach (var stale in _minutes.Keys.Where(m => m < oldest).ToList())
            {
                _minutes.Remove(stale);
            }

            return [.. _minutes.Select(m => m.Value.Build(m.Key))];
        }
    }

    private sealed class MinuteBuilder
    {
        private readonly Dictionary<string, MeasurementStat> _eventLatency = new(StringComparer.Ordinal);
        private long _orders;
        private long _ordersBackordered;
        private long _backorderedUnits;
        private long _promiseBreaches;
        private MeasurementStat _allocation = MeasurementStat.Empty;
        private MeasurementStat _cycle = MeasurementStat.Empty;

        public void Add(TelemetrySample s)
        {
            var one = new MeasurementStat(1, s.Value, s.Value);
            switch (s.Measure)
            {
                case TelemetryMeasure.Orders: _orders += (long)s.Value; break;
                case TelemetryMeasure.OrdersBackordered: _ordersBackordered += (long)s.Value; break;
                case TelemetryMeasure.BackorderedUnits: _backorderedUnits += (long)s.Value; break;
                case TelemetryMeasure.PromiseBreaches: _promiseBreaches += (long)s.Value; break;
                case TelemetryMeasure.AllocationLatencyMs: _allocation = _allocation.Add(one); break;
                case TelemetryMeasure.ReplenishmentCycleDays: _cycle = _cycle.Add(one); break;
                case TelemetryMeasure.EventLatencySeconds:
                    var warehouse = s.WarehouseId ?? "?";
                    _eventLatency[warehouse] = _eventLatency.GetValueOrDefault(warehouse, MeasurementStat.Empty).Add(one);
                    break;
            }
        }

        public TelemetryMinute Build(DateTimeOffset minute) => new()
        {
            Minute = minute,
            Orders = _orders,
            OrdersBackordered = _ordersBackordered,
            BackorderedUnits = _backorderedUnits,
            PromiseBreaches = _promiseBreaches,
            AllocationLatencyMs = _allocation,
            EventLatencySecondsByWarehouse = new Dictionary<string, MeasurementStat>(_eventLatency, StringComparer.Ordinal),
            ReplenishmentCycleDays = _cycle,
        };
    }
}
