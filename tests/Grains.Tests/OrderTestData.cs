using Distribution.Common;
using Distribution.Orders;

namespace Distribution.Tests;

internal static class OrderTestData
{
    public static OrderRequest Order(
        string orderId,
        GeoPoint shipTo,
        params (string Sku, int Quantity)[] lines) => new()
        {
            OrderId = orderId,
            Channel = "test",
            ShipTo = shipTo,
            Lines = [.. lines.Select((l, i) => new OrderLineRequest { LineId = $"{i + 1}", Sku = l.Sku, Quantity = l.Quantity })],
            AllowSplit = true,
        };

    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];
}
