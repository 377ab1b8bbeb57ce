using Distribution.Common;
using Distribution.Inventory;
using Distribution.Orders;
using static Distribution.Tests.OrderTestData;

namespace Distribution.Tests;

/// <summary>Invariant 1 (no oversell) and 3 (idempotency) under concurrency on a 2-silo cluster.</summary>
public sealed class ConcurrencyTests(HubCluster hub) : IClassFixture<HubCluster>
{
    private static readonly GeoPoint ShipTo = new(51.0, 10.0);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Five_hundred_concurrent_orders_for_100_units_reserve_exactly_100(bool allowBackorder)
    {
        var (warehouses, sku) = await StockAsync((40, 51.0, 9.0), (35, 48.0, 11.0), (25, 52.5, 13.4));
        var orders = Enumerable.Range(0, 500)
            .Select(i => Order(Unique("c"), ShipTo, (sku, 1)) with { AllowBackorder = allowBackorder })
            .ToList();

        var results = await Task.WhenAll(orders.Select(o => hub.Grains.GetGrain<IOrderGrain>(o.OrderId!).Place(o)));

        Assert.All(results, r => Assert.Equal(CommandOutcome.Created, r.Outcome));
        var allocated = results.Sum(r => r.Order!.Lines.Sum(l => l.Allocations.Sum(a => a.Quantity)));
        Assert.Equal(100, allocated);
        Assert.Equal(100, results.Count(r => r.Order!.Status == OrderStatus.Allocated));
        var expectedOthers = allowBackorder ? OrderStatus.Backordered : OrderStatus.Rejected;
        Assert.Equal(400, results.Count(r => r.Order!.Status == expectedOthers));
        await AssertReservationsMatchOrdersAsync(warehouses, sku, results.Select(r => r.Order!));
    }

    [Fact]
    public async Task Duplicates_and_retries_mixed_in_change_nothing_and_answer_like_the_first()
    {
        var (warehouses, sku) = await StockAsync((40, 51.0, 9.0), (35, 48.0, 11.0), (25, 52.5, 13.4));
        var orders = Enumerable.Range(0, 300)
            .Select(i => Order(Unique("d"), ShipTo, (sku, 1 + (i % 2))))
            .ToList();
        // Every order is sent twice at once, and a third of them a third time after the storm.
        var storm = orders.Concat(orders).OrderBy(_ => Random.Shared.Next()).ToList();

        var results = await Task.WhenAll(storm.Select(o => hub.Grains.GetGrain<IOrderGrain>(o.OrderId!).Place(o)));
        var retries = await Task.WhenAll(orders.Where((_, i) => i % 3 == 0).Select(o => hub.Grains.GetGrain<IOrderGrain>(o.OrderId!).Place(o)));

        foreach (var group in results.Concat(retries).GroupBy(r => r.Order!.OrderId))
        {
            Assert.Equal(1, group.Count(r => r.Outcome == CommandOutcome.Created));
            var answers = group.Select(r => Describe(r.Order!)).Distinct().ToList();
            Assert.Single(answers);
        }

        var final = await Task.WhenAll(orders.Select(o => hub.Grains.GetGrain<IOrderGrain>(o.OrderId!).Get()));
        Assert.Equal(100, final.Sum(o => o!.Lines.Sum(l => l.Allocations.Sum(a => a.Quantity))));
        await AssertReservationsMatchOrdersAsync(warehouses, sku, final.Select(o => o!));
    }

    [Fact]
    public async Task Concurrent_cancels_and_new_orders_never_oversell()
    {
        var (warehouses, sku) = await StockAsync((20, 51.0, 9.0), (20, 48.0, 11.0));
        var first = Enumerable.Range(0, 60).Select(_ => Order(Unique("f"), ShipTo, (sku, 1)) with { AllowBackorder = true }).ToList();
        await Task.WhenAll(first.Select(o => hub.Grains.GetGrain<IOrderGrain>(o.OrderId!).Place(o)));

        // Cancel half while a second wave competes for the freed stock and backorders wake up.
        var second = Enumerable.Range(0, 60).Select(_ => Order(Unique("s"), ShipTo, (sku, 1)) with { AllowBackorder = true }).ToList();
        await Task.WhenAll(
            first.Where((_, i) => i % 2 == 0).Select(o => (Task)hub.Grains.GetGrain<IOrderGrain>(o.OrderId!).Cancel())
                .Concat(second.Select(o => (Task)hub.Grains.GetGrain<IOrderGrain>(o.OrderId!).Place(o))));

        await HubCluster.EventuallyAsync(async () =>
        {
            var all = await Task.WhenAll(first.Concat(second).Select(o => hub.Grains.GetGrain<IOrderGrain>(o.OrderId!).Get()));
            return all.Sum(o => o!.Lines.Sum(l => l.Allocations.Sum(a => a.Quantity))) == 40;
        }, "the freed stock is allocated to waiting orders");
        var orders = await Task.WhenAll(first.Concat(second).Select(o => hub.Grains.GetGrain<IOrderGrain>(o.OrderId!).Get()));
        await AssertReservationsMatchOrdersAsync(warehouses, sku, orders.Select(o => o!));
    }

    private async Task<(string[] Warehouses, string Sku)> StockAsync(params (int OnHand, double Latitude, double Longitude)[] stock)
    {
        var sku = Unique("HOT");
        await hub.AddItemAsync(sku);
        var warehouses = new string[stock.Length];
        for (var i = 0; i < stock.Length; i++)
        {
            warehouses[i] = Unique("W");
            await hub.AddWarehouseAsync(warehouses[i], stock[i].Latitude, stock[i].Longitude);
            await hub.StockAsync(warehouses[i], sku, stock[i].OnHand);
        }

        return (warehouses, sku);
    }

    /// <summary>Reserved ≤ on-hand everywhere, and every reservation is exactly an order's allocation.</summary>
    private async Task AssertReservationsMatchOrdersAsync(string[] warehouses, string sku, IEnumerable<OrderView> orders)
    {
        var allocations = orders
            .SelectMany(o => o.Lines.SelectMany(l => l.Allocations.Select(a => (o.OrderId, l.LineId, a.WarehouseId, a.Quantity))))
            .OrderBy(x => x.OrderId).ThenBy(x => x.WarehouseId)
            .ToList();
        var reservations = new List<(string, string, string, int)>();
        foreach (var warehouse in warehouses)
        {
            var position = await hub.PositionAsync(warehouse, sku);
            Assert.True(position.Reserved <= position.OnHand, $"{warehouse}: reserved {position.Reserved} > on-hand {position.OnHand}");
            Assert.Equal(position.Reservations.Sum(r => r.Quantity), position.Reserved);
            reservations.AddRange(position.Reservations.Select(r => (r.OrderId, r.LineId, warehouse, r.Quantity)));
        }

        Assert.Equal(allocations, reservations.OrderBy(x => x.Item1).ThenBy(x => x.Item3).ToList());
    }

    private static string Describe(OrderView o) =>
        $"{o.Status}|{o.RejectionReason}|" + string.Join(";", o.Lines.Select(l =>
            $"{l.LineId}:{l.BackorderedQuantity}:" + string.Join(",", l.Allocations.Select(a => $"{a.WarehouseId}={a.Quantity}@{a.PromisedShipDate}"))));
}
