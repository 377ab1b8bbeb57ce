using Distribution.Common;
using Distribution.Inventory;
using Distribution.Network;
using Distribution.Orders;
using static Distribution.Tests.OrderTestData;

namespace Distribution.Tests;

/// <summary>Orders against SKU-locations on a 2-silo cluster: sourcing, idempotency, cancel, backorders.</summary>
public sealed class AllocationTests(HubCluster hub) : IClassFixture<HubCluster>
{
    private static readonly GeoPoint Frankfurt = new(50.11, 8.68);

    [Fact]
    public async Task Order_is_allocated_from_the_nearest_warehouse_that_fills_it_and_reserves_there()
    {
        var (near, far, sku) = (Unique("NEAR"), Unique("FAR"), Unique("SKU"));
        await hub.AddWarehouseAsync(near, 50.0, 8.5);
        await hub.AddWarehouseAsync(far, 40.4, -3.7);
        await hub.AddItemAsync(sku);
        await hub.StockAsync(near, sku, 10);
        await hub.StockAsync(far, sku, 10);

        var result = await hub.Grains.GetGrain<IOrderGrain>(Unique("o")).Place(Order("x", Frankfurt, (sku, 4)) with { OrderId = null });
        Assert.Equal(CommandOutcome.Invalid, result.Outcome);

        var id = Unique("o");
        result = await hub.Grains.GetGrain<IOrderGrain>(id).Place(Order(id, Frankfurt, (sku, 4)));

        Assert.Equal(CommandOutcome.Created, result.Outcome);
        Assert.Equal(OrderStatus.Allocated, result.Order!.Status);
        var allocation = Assert.Single(result.Order.Lines.Single().Allocations);
        Assert.Equal((near, 4, DateOnly.FromDateTime(HubCluster.Start.UtcDateTime)), (allocation.WarehouseId, allocation.Quantity, allocation.PromisedShipDate));
        var position = await hub.PositionAsync(near, sku);
        Assert.Equal((10, 4, 6), (position.OnHand, position.Reserved, position.Available));
        Assert.Equal(id, Assert.Single(position.Reservations).OrderId);
    }

    [Fact]
    public async Task The_same_order_twice_answers_the_same_and_reserves_once_and_another_body_is_a_conflict()
    {
        var (wh, sku) = (Unique("WH"), Unique("SKU"));
        await hub.AddWarehouseAsync(wh, 50.0, 8.5);
        await hub.AddItemAsync(sku);
        await hub.StockAsync(wh, sku, 10);
        var id = Unique("o");
        var order = Order(id, Frankfurt, (sku, 3));
        var grain = hub.Grains.GetGrain<IOrderGrain>(id);

        var first = await grain.Place(order);
        var again = await grain.Place(order with { Lines = [.. order.Lines!] });
        var different = await grain.Place(order with { Lines = [order.Lines![0] with { Quantity = 4 }] });

        Assert.Equal(CommandOutcome.Created, first.Outcome);
        Assert.Equal(CommandOutcome.Replayed, again.Outcome);
        Assert.Equal(first.Order!.Lines.Single().Allocations, again.Order!.Lines.Single().Allocations);
        Assert.Equal(first.Order.Status, again.Order.Status);
        Assert.Equal(CommandOutcome.Conflict, different.Outcome);
        Assert.Equal(3, (await hub.PositionAsync(wh, sku)).Reserved);
    }

    [Fact]
    public async Task Unknown_sku_is_refused_and_nothing_is_stored()
    {
        var id = Unique("o");
        var result = await hub.Grains.GetGrain<IOrderGrain>(id).Place(Order(id, Frankfurt, ("NO-SUCH-SKU", 1)));

        Assert.Equal(CommandOutcome.Invalid, result.Outcome);
        Assert.Equal("lines[0].sku", Assert.Single(result.Errors).Field);
        Assert.Null(await hub.Grains.GetGrain<IOrderGrain>(id).Get());
    }

    [Fact]
    public async Task Without_backorder_an_unfillable_order_is_rejected_with_the_reason_and_holds_nothing()
    {
        var (wh, sku) = (Unique("WH"), Unique("SKU"));
        await hub.AddWarehouseAsync(wh, 50.0, 8.5);
        await hub.AddItemAsync(sku);
        await hub.StockAsync(wh, sku, 2);
        var id = Unique("o");

        var result = await hub.Grains.GetGrain<IOrderGrain>(id).Place(Order(id, Frankfurt, (sku, 5)));

        Assert.Equal(OrderStatus.Rejected, result.Order!.Status);
        Assert.Contains("5 requested", result.Order.RejectionReason);
        Assert.Equal(0, (await hub.PositionAsync(wh, sku)).Reserved);
    }

    [Fact]
    public async Task Cancel_releases_every_reservation_and_twice_is_harmless()
    {
        var (a, b, sku) = (Unique("A"), Unique("B"), Unique("SKU"));
        await hub.AddWarehouseAsync(a, 50.0, 8.5);
        await hub.AddWarehouseAsync(b, 48.1, 11.6);
        await hub.AddItemAsync(sku);
        await hub.StockAsync(a, sku, 3);
        await hub.StockAsync(b, sku, 3);
        var id = Unique("o");
        var grain = hub.Grains.GetGrain<IOrderGrain>(id);
        var placed = await grain.Place(Order(id, Frankfurt, (sku, 5)));
        Assert.Equal(2, placed.Order!.Lines.Single().Allocations.Count);

        var cancelled = await grain.Cancel();
        var again = await grain.Cancel();

        Assert.Equal(OrderStatus.Cancelled, cancelled.Order!.Status);
        Assert.Equal(CommandOutcome.Replayed, again.Outcome);
        Assert.Equal(OrderStatus.Cancelled, again.Order!.Status);
        Assert.Equal(0, (await hub.PositionAsync(a, sku)).Reserved);
        Assert.Equal(0, (await hub.PositionAsync(b, sku)).Reserved);
        Assert.Contains(cancelled.Order.Timeline, t => t.Status == OrderStatus.Cancelled);
    }

    [Fact]
    public async Task Backordered_lines_are_allocated_when_stock_appears_urgent_first_then_oldest()
    {
        var (wh, sku) = (Unique("WH"), Unique("SKU"));
        await hub.AddWarehouseAsync(wh, 50.0, 8.5);
        await hub.AddItemAsync(sku);
        await hub.StockAsync(wh, sku, 0);
        var (older, urgent, newer) = (Unique("old"), Unique("urgent"), Unique("new"));
        foreach (var (id, priority) in new[] { (older, OrderPriority.Normal), (urgent, OrderPriority.Urgent), (newer, OrderPriority.Normal) })
        {
            var placed = await hub.Grains.GetGrain<IOrderGrain>(id).Place(Order(id, Frankfurt, (sku, 2)) with { AllowBackorder = true, Priority = priority });
            Assert.Equal(OrderStatus.Backordered, placed.Order!.Status);
            hub.Time.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.Equal(6, (await hub.Grains.GetGrain<ISkuGrain>(sku).GetAvailability())!.Backordered);

        // Four units arrive: enough for two of the three orders.
        await hub.StockAsync(wh, sku, 4);

        await HubCluster.EventuallyAsync(async () =>
            (await hub.Grains.GetGrain<IOrderGrain>(older).Get())!.Status == OrderStatus.Allocated, "the older normal order is allocated");
        Assert.Equal(OrderStatus.Allocated, (await hub.Grains.GetGrain<IOrderGrain>(urgent).Get())!.Status);
        Assert.Equal(OrderStatus.Backordered, (await hub.Grains.GetGrain<IOrderGrain>(newer).Get())!.Status);
        var position = await hub.PositionAsync(wh, sku);
        Assert.Equal((4, 4), (position.OnHand, position.Reserved));
    }

    [Fact]
    public async Task A_stale_snapshot_is_ignored_and_reservations_survive_snapshots()
    {
        var (wh, sku) = (Unique("WH"), Unique("SKU"));
        await hub.AddWarehouseAsync(wh, 50.0, 8.5);
        await hub.AddItemAsync(sku);
        var asOf = hub.Time.GetUtcNow();
        await hub.StockAsync(wh, sku, 10, asOf);
        var id = Unique("o");
        await hub.Grains.GetGrain<IOrderGrain>(id).Place(Order(id, Frankfurt, (sku, 4)));

        var sync = hub.Grains.GetGrain<IInventorySyncGrain>(0);
        var stale = await sync.ApplySnapshot(new InventorySnapshot { WarehouseId = wh, AsOf = asOf.AddMinutes(-5), Items = [new(sku, 99)] });
        var fresh = await sync.ApplySnapshot(new InventorySnapshot { WarehouseId = wh, AsOf = asOf.AddMinutes(5), Items = [new(sku, 12)] });

        Assert.Equal([sku], stale.Report!.StaleSkus);
        Assert.Equal(1, fresh.Report!.Applied);
        var position = await hub.PositionAsync(wh, sku);
        Assert.Equal((12, 4, 8), (position.OnHand, position.Reserved, position.Available));
    }

    [Fact]
    public async Task Degraded_warehouses_serve_only_when_active_ones_cannot_fill_and_offline_ones_never()
    {
        var (active, degraded, offline, sku) = (Unique("ACT"), Unique("DEG"), Unique("OFF"), Unique("SKU"));
        await hub.AddWarehouseAsync(active, 40.4, -3.7);
        await hub.AddWarehouseAsync(degraded, 50.0, 8.6, WarehouseStatus.Degraded);
        await hub.AddWarehouseAsync(offline, 50.1, 8.7, WarehouseStatus.Offline);
        await hub.AddItemAsync(sku);
        await hub.StockAsync(active, sku, 3);
        await hub.StockAsync(degraded, sku, 3);
        await hub.StockAsync(offline, sku, 100);

        var first = Unique("o");
        var small = await hub.Grains.GetGrain<IOrderGrain>(first).Place(Order(first, Frankfurt, (sku, 2)));
        var second = Unique("o");
        var big = await hub.Grains.GetGrain<IOrderGrain>(second).Place(Order(second, Frankfurt, (sku, 3)));

        // The active warehouse fills the small order although the degraded one is nearer; once
        // active stock cannot fill an order, the degraded one ships it whole (one shipment).
        Assert.Equal(active, Assert.Single(small.Order!.Lines.Single().Allocations).WarehouseId);
        Assert.Equal((degraded, 3), big.Order!.Lines.Single().Allocations.Select(a => (a.WarehouseId, a.Quantity)).Single());
        Assert.Equal(0, (await hub.PositionAsync(offline, sku)).Reserved);
    }

    [Fact]
    public async Task Daily_order_capacity_moves_the_promise_to_the_next_working_day()
    {
        var (wh, sku) = (Unique("CAP"), Unique("SKU"));
        await hub.AddWarehouseAsync(wh, 50.0, 8.5, dailyOrderCapacity: 1);
        await hub.AddItemAsync(sku);
        await hub.StockAsync(wh, sku, 10);

        var dates = new List<DateOnly>();
        for (var i = 0; i < 3; i++)
        {
            var id = Unique("o");
            var placed = await hub.Grains.GetGrain<IOrderGrain>(id).Place(Order(id, Frankfurt, (sku, 1)));
            Assert.True(placed.Order!.Status == OrderStatus.Allocated, $"{placed.Order.Status}: {placed.Order.RejectionReason} {string.Join(" / ", placed.Order.Timeline.Select(t => t.Description))}");
            dates.Add(placed.Order.Lines.Single().Allocations.Single().PromisedShipDate);
        }

        var today = DateOnly.FromDateTime(HubCluster.Start.UtcDateTime);
        Assert.Equal([today, today.AddDays(1), today.AddDays(2)], dates);
    }

    [Fact]
    public async Task The_correlation_id_of_the_request_is_on_the_timeline()
    {
        var (wh, sku) = (Unique("WH"), Unique("SKU"));
        await hub.AddWarehouseAsync(wh, 50.0, 8.5);
        await hub.AddItemAsync(sku);
        await hub.StockAsync(wh, sku, 1);
        var id = Unique("o");

        CorrelationContext.Current = "corr-123";
        try
        {
            var placed = await hub.Grains.GetGrain<IOrderGrain>(id).Place(Order(id, Frankfurt, (sku, 1)));
            Assert.All(placed.Order!.Timeline, t => Assert.Equal("corr-123", t.CorrelationId));
        }
        finally
        {
            CorrelationContext.Current = null;
        }
    }
}
