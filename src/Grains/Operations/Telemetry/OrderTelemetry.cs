using Distribution.Common;
using Distribution.Orders;

namespace Distribution.Operations;

/// <summary>What a first placement of an order records in <see cref="HubMetrics"/> (kept here so the order grain adds one line).</summary>
public static class OrderTelemetry
{
    public static void Placed(OrderView order, TimeSpan elapsed)
    {
        var backordered = order.Lines.Sum(l => l.BackorderedQuantity);
        HubMetrics.OrdersPlaced.Add(1, [new("status", StatusName(order.Status)), new("backordered", backordered > 0 ? "true" : "false")]);
        HubMetrics.AllocationLatency.Record(elapsed.TotalSeconds);
        if (backordered > 0)
        {
            HubMetrics.OrderBackorderedUnits.Add(backordered);
        }
    }

    private static string StatusName(OrderStatus status) => char.ToLowerInvariant(status.ToString()[0]) + status.ToString()[1..];
}
