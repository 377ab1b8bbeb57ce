using System.Diagnostics.Metrics;
using Distribution.Common;

namespace Distribution.Operations.Tests;

public sealed class TelemetryTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 9, 30, 0, TimeSpan.Zero);

    private static TelemetrySample Orders(double n = 1) => new(TelemetryMeasure.Orders, n, null);

    private static TelemetrySample Latency(double ms) => new(TelemetryMeasure.AllocationLatencyMs, ms, null);

    [Fact]
    public void The_instruments_the_collector_listens_to_exist_in_the_hub_meter_by_those_names()
    {
        // The collector matches by name; a renamed instrument would silently empty a chart.
        string[] hub =
        [
            HubMetrics.OrdersPlaced.Name, HubMetrics.OrderBackorderedUnits.Name, HubMetrics.AllocationLatency.Name,
            HubMetrics.PromiseBreaches.Name, HubMetrics.EventLatency.Name, HubMetrics.ReplenishmentCycleTime.Name,
        ];
        Assert.Equal(hub.Order(), TelemetryInstruments.Names.Order());
        Assert.All(hub, n => Assert.Equal(HubMetrics.MeterName, MeterOf(n)));
    }

    [Fact]
    public void Measurements_map_to_measures_with_their_warehouse()
    {
        Assert.Equal(
            [new(TelemetryMeasure.Orders, 1, null), new(TelemetryMeasure.OrdersBackordered, 1, null)],
            TelemetryInstruments.Samples(TelemetryInstruments.OrdersPlaced, 1, [new("status", "partiallyAllocated"), new("backordered", "true")]));
        Assert.Equal([new(TelemetryMeasure.Orders, 1, null)], TelemetryInstruments.Samples(TelemetryInstruments.OrdersPlaced, 1, [new("backordered", "false")]));
        Assert.Equal([new(TelemetryMeasure.AllocationLatencyMs, 250, null)], TelemetryInstruments.Samples(TelemetryInstruments.AllocationLatency, 0.25, []));
        Assert.Equal([new(TelemetryMeasure.EventLatencySeconds, 3, "BER")], TelemetryInstruments.Samples(TelemetryInstruments.EventLatency, 3, [new("warehouse", "BER")]));
        Assert.Empty(TelemetryInstruments.Samples("distribution.transfers.created", 1, []));
    }

    [Fact]
    public void The_accumulator_buckets_by_minute_and_keeps_only_the_last_minutes()
    {
        var acc = new TelemetryAccumulator();
        acc.Add(Orders(), T0.AddSeconds(5));
        acc.Add(Orders(), T0.AddSeconds(59));
        acc.Add(Latency(10), T0.AddSeconds(10));
        acc.Add(Latency(30), T0.AddSeconds(20));
        acc.Add(Orders(), T0.AddMinutes(1));
        acc.Add(new(TelemetryMeasure.EventLatencySeconds, 2, "AMS"), T0.AddMinutes(1));
        acc.Add(new(TelemetryMeasure.EventLatencySeconds, 4, "AMS"), T0.AddMinutes(1).AddSeconds(1));

        var now = acc.Snapshot(T0.AddMinutes(1).AddSeconds(30));
        Assert.Equal([T0, T0.AddMinutes(1)], now.Select(m => m.Minute));
        Assert.Equal(2, now[0].Orders);
        Assert.Equal(new MeasurementStat(2, 40, 30), now[0].AllocationLatencyMs);
        Assert.Equal(20, now[0].AllocationLatencyMs.Mean);
        Assert.Equal(new MeasurementStat(2, 6, 4), now[1].EventLatencySecondsByWarehouse["AMS"]);

        // Sent again, the same minutes carry the same absolute figures; later, old minutes are gone.
        Assert.Equal(2, acc.Snapshot(T0.AddMinutes(1).AddSeconds(40))[0].Orders);
        var later = acc.Snapshot(T0.AddMinutes(TelemetryAccumulator.KeptMinutes).AddSeconds(1));
        Assert.Equal([T0.AddMinutes(1)], later.Select(m => m.Minute));
    }

    [Fact]
    public void The_window_merges_silos_a_report_replaces_that_silos_minute_and_every_minute_of_the_hour_is_listed()
    {
        var window = new TelemetryWindow();
        var minute = T0.AddMinutes(-1);
        window.Report("silo-a", [new TelemetryMinute { Minute = minute, Orders = 3, AllocationLatencyMs = new(3, 30, 20) }], T0);
        window.Report("silo-b", [new TelemetryMinute { Minute = minute, Orders = 2, AllocationLatencyMs = new(2, 10, 6) }], T0);
        // silo-a's next push of the same minute (it went on counting): replaces, does not add.
        window.Report("silo-a", [new TelemetryMinute { Minute = minute, Orders = 4, AllocationLatencyMs = new(4, 40, 20) }], T0);

        var series = window.Series(T0.AddSeconds(20));

        Assert.Equal(2, series.Silos);
        Assert.Equal(TelemetryWindow.Minutes, series.Minutes.Count);
        Assert.Equal(T0, series.Minutes[^1].Minute);
        Assert.Equal(T0.AddMinutes(-(TelemetryWindow.Minutes - 1)), series.Minutes[0].Minute);
        var merged = series.Minutes.Single(m => m.Minute == minute);
        Assert.Equal(6, merged.Orders);
        Assert.Equal(new MeasurementStat(6, 50, 20), merged.AllocationLatencyMs);
        Assert.Equal(0, series.Minutes[^1].Orders);
    }

    [Fact]
    public void Minutes_older_than_the_hour_leave_the_window_and_a_silo_with_none_left_is_forgotten()
    {
        var window = new TelemetryWindow();
        window.Report("old-silo", [new TelemetryMinute { Minute = T0, Orders = 1 }], T0);

        var series = window.Series(T0.AddMinutes(TelemetryWindow.Minutes));

        Assert.Equal(0, series.Silos);
        Assert.All(series.Minutes, m => Assert.Equal(0, m.Orders));
    }

    [Fact]
    public void Merging_adds_event_latency_per_warehouse()
    {
        var a = new TelemetryMinute { Minute = T0, EventLatencySecondsByWarehouse = new Dictionary<string, MeasurementStat> { ["AMS"] = new(1, 2, 2) } };
        var b = new TelemetryMinute { Minute = T0, EventLatencySecondsByWarehouse = new Dictionary<string, MeasurementStat> { ["AMS"] = new(1, 4, 4), ["BER"] = new(2, 1, 0.6) } };

        var merged = TelemetryWindow.Merge(a, b);

        Assert.Equal(new MeasurementStat(2, 6, 4), merged.EventLatencySecondsByWarehouse["AMS"]);
        Assert.Equal(new MeasurementStat(2, 1, 0.6), merged.EventLatencySecondsByWarehouse["BER"]);
    }

    private static string? MeterOf(string instrument)
    {
        string? meter = null;
        using var listener = new MeterListener
        {
            InstrumentPublished = (i, _) =>
            {
                if (i.Name == instrument)
                {
                    meter = i.Meter.Name;
                }
            },
        };
        listener.Start();
        return meter;
    }
}
