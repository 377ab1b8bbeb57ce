using Distribution.Common;
using Distribution.Events;
using Distribution.Inventory;
using Distribution.Network;
using Distribution.Orders;
using Distribution.Purchasing;
using Distribution.Transfers;
using static Distribution.Tests.OrderTestData;

namespace Distribution.Tests;

/// <summary>
/// Orders promised from units on their way (purchase orders on order, transfers in transit): a dated
/// promise instead of an undated backorder, never more than the source brings, the promise turned
/// into a reservation of stock on hand at receipt, and a source that brings less sends the newest
/// promises back to the backorder queue.
/// </summary>
public sealed class InboundAllocationTests(HubCluster hub) : IClassFixture<HubCluster>
{
    private const double LeadTimeDays = 10;
    private static readonly GeoPoint Customer = new(52.5, 13.4);

    private IOrderGrain OrderOf(string id) => hub.Grains.GetGrain<IOrderGrain>(id);

    private async Task<(string Warehouse, string Supplier, string Sku)> NetworkAsync()
    {
        var (warehouse, supplier, sku) = (Unique("DST"), Unique("SUP"), Unique("SKU"));
        await hub.AddWarehouseAsync(warehouse, 52.52, 13.40);
        var result = await hub.Grains.GetGrain<INetworkGrain>(INetworkGrain.Key).UpsertSupplier(
            new SupplierInfo { SupplierId = supplier, Name = supplier, LeadTimeDays = LeadTimeDays, LeadTimeStdDevDays = 1 });
        Assert.Empty(result.Errors);
        await hub.AddItemAsync(sku);
        return (warehouse, supplier, sku);
    }

    /// <summary>A purchase order of <paramref name="quantity"/>, on order (inbound) from its creation, once the view shows it.</summary>
    private async Task<string> OnOrderAsync(string warehouse, string supplier, string sku, int quantity)
    {
        var id = Unique("po");
        var created = await hub.Grains.GetGrain<IPurchaseOrderGrain>(id).Create(new PurchaseOrderRequest
        {
            PurchaseOrderId = id,
            SupplierId = supplier,
            WarehouseId = warehouse,
            Lines = [new PurchaseOrderLineRequest { Sku = sku, Quantity = quantity }],
            Reason = "reorder",
        });
        Assert.Equal(CommandOutcome.Created, created.Outcome);
        await HubCluster.EventuallyAsync(
            async () => (await ViewOfAsync(sku, warehouse))?.InboundEntries.Any(e => e.SourceId == id && e.Free == quantity) == true,
            "the view shows the purchase order as inbound");
        return id;
    }

    private async Task<LocationAvailability?> ViewOfAsync(string sku, string warehouse) =>
        (await hub.Grains.GetGrain<ISkuGrain>(sku).GetAvailability())!.Locations.FirstOrDefault(l => l.WarehouseId == warehouse);

    private async Task<OrderView> PlaceAsync(string sku, int quantity, bool allowBackorder = true, DateOnly? requestedDeliveryDate = null)
    {
        var id = Unique("ord");
        var result = await OrderOf(id).Place(Order(id, Customer, (sku, quantity)) with
        {
            AllowBackorder = allowBackorder,
            RequestedDeliveryDate = requestedDeliveryDate,
        });
        Assert.Equal(CommandOutcome.Created, result.Outcome);
        return result.Order!;
    }

    private static DateOnly DayOf(DateTimeOffset at) => DateOnly.FromDateTime(at.UtcDateTime);

    [Fact]
    public async Task A_backordered_line_is_promised_from_a_purchase_order_and_takes_its_units_at_receipt()
    {
        var (warehouse, supplier, sku) = await NetworkAsync();
        var eta = hub.Time.GetUtcNow().AddDays(LeadTimeDays);
        var po = await OnOrderAsync(warehouse, supplier, sku, 10);

        var order = await PlaceAsync(sku, 4);

        // A dated promise at the receiving warehouse, not an undated backorder.
        Assert.Equal(OrderStatus.Allocated, order.Status);
        var line = Assert.Single(order.Lines);
        Assert.Equal(0, line.BackorderedQuantity);
        Assert.Equal(new LineAllocation(warehouse, 4, DayOf(eta), $"purchaseOrder:{po}"), Assert.Single(line.Allocations));
        Assert.Contains($"from inbound purchaseOrder:{po} at {warehouse}", order.Timeline[^1].Description, StringComparison.Ordinal);
        var promised = await hub.PositionAsync(warehouse, sku);
        Assert.Equal((0, 0, 0), (promised.OnHand, promised.Reserved, promised.Available));
        var hold = Assert.Single(promised.Reservations);
        Assert.Equal((0, 4, $"purchaseOrder:{po}"), (hold.Quantity, hold.Inbound, hold.InboundSource));
        await HubCluster.EventuallyAsync(() => ViewOfAsync(sku, warehouse), l => l!.InboundEntries.Single().Promised == 4, "the view shows the promise");

        // An order that cannot wait is not promised inbound.
        var impatient = await PlaceAsync(sku, 1, allowBackorder: false);
        Assert.Equal(OrderStatus.Rejected, impatient.Status);

        hub.Time.Advance(TimeSpan.FromDays(LeadTimeDays));
        await hub.IngestAsync(hub.Event("PurchaseReceived", warehouse, sku, 10, purchaseOrderId: po));
        var received = await HubCluster.EventuallyAsync(() => hub.PositionAsync(warehouse, sku), p => p.OnHand == 10, "the receipt is applied");

        // The promise became a reservation of the received units; the rest is free.
        Assert.Equal((4, 6), (received.Reserved, received.Available));
        hold = Assert.Single(received.Reservations);
        Assert.Equal((4, 0, 4), (hold.Quantity, hold.Inbound, hold.Converted));
        Assert.Empty(received.Inbound);

        await hub.IngestAsync(hub.Event("Shipped", warehouse, sku, 4, orderId: order.OrderId, lineId: "1"));
        var shipped = await HubCluster.EventuallyAsync(async () => (await OrderOf(order.OrderId).Get())!, o => o.Status == OrderStatus.Shipped, "the order ships");
        Assert.Equal(4, shipped.Lines[0].ShippedQuantity);
        var after = await hub.PositionAsync(warehouse, sku);
        Assert.Equal((6, 0, 6), (after.OnHand, after.Reserved, after.Available));
        Assert.Empty(after.Reservations);
    }

    [Fact]
    public async Task A_promise_later_than_the_requested_delivery_date_is_not_made()
    {
        var (warehouse, supplier, sku) = await NetworkAsync();
        await OnOrderAsync(warehouse, supplier, sku, 10);
        var today = DayOf(hub.Time.GetUtcNow());

        var tooSoon = await PlaceAsync(sku, 2, requestedDeliveryDate: today.AddDays(3));
        var later = await PlaceAsync(sku, 2, requestedDeliveryDate: today.AddDays((int)LeadTimeDays + 1));

        Assert.Equal((OrderStatus.Backordered, 2), (tooSoon.Status, tooSoon.Lines[0].BackorderedQuantity));
        Assert.Empty(tooSoon.Lines[0].Allocations);
        Assert.Equal(OrderStatus.Allocated, later.Status);
    }

    [Fact]
    public async Task Concurrent_orders_are_never_promised_more_than_is_on_its_way()
    {
        var (warehouse, supplier, sku) = await NetworkAsync();
        var po = await OnOrderAsync(warehouse, supplier, sku, 20);

        var orders = await Task.WhenAll(Enumerable.Range(0, 60).Select(_ => PlaceAsync(sku, 1)));

        Assert.Equal(20, orders.Sum(o => o.Lines[0].Allocations.Sum(a => a.Quantity)));
        Assert.Equal(40, orders.Sum(o => o.Lines[0].BackorderedQuantity));
        var position = await hub.PositionAsync(warehouse, sku);
        Assert.Equal(20, position.Reservations.Sum(r => r.Inbound));
        Assert.All(position.Reservations, r => Assert.Equal($"purchaseOrder:{po}", r.InboundSource));
        var promisedTo = position.Reservations.Select(r => r.OrderId).ToHashSet();
        Assert.Equal(promisedTo, orders.Where(o => o.Lines[0].Allocations.Count > 0).Select(o => o.OrderId).ToHashSet());
    }

    [Fact]
    public async Task A_short_purchase_order_sends_the_newest_promise_back_to_the_backorder_queue_until_stock_comes()
    {
        var (warehouse, supplier, sku) = await NetworkAsync();
        var po = await OnOrderAsync(warehouse, supplier, sku, 10);
        var first = await PlaceAsync(sku, 6);
        hub.Time.Advance(TimeSpan.FromMinutes(1));
        var second = await PlaceAsync(sku, 4);
        Assert.Equal((OrderStatus.Allocated, OrderStatus.Allocated), (first.Status, second.Status));

        // 7 of 10 arrive, then the purchase order is closed: 3 units will never come.
        Assert.Equal(CommandOutcome.Updated, (await hub.Grains.GetGrain<IPurchaseOrderGrain>(po).Send()).Outcome);
        await hub.IngestAsync(hub.Event("PurchaseReceived", warehouse, sku, 7, purchaseOrderId: po));
        await HubCluster.EventuallyAsync(() => hub.PositionAsync(warehouse, sku), p => p.OnHand == 7, "the receipt is applied");
        Assert.Equal(CommandOutcome.Updated, (await hub.Grains.GetGrain<IPurchaseOrderGrain>(po).Close()).Outcome);

        var cut = await HubCluster.EventuallyAsync(async () => (await OrderOf(second.OrderId).Get())!, o => o.Lines[0].BackorderedQuantity == 3, "the newer order hears of the cut");
        Assert.Equal(OrderStatus.PartiallyAllocated, cut.Status);
        Assert.Equal(new LineAllocation(warehouse, 1, second.Lines[0].Allocations[0].PromisedShipDate, $"purchaseOrder:{po}"), Assert.Single(cut.Lines[0].Allocations));
        Assert.Contains(cut.Timeline, t => t.Description.Contains("will not arrive; backordered", StringComparison.Ordinal));
        var older = (await OrderOf(first.OrderId).Get())!;
        Assert.Equal((OrderStatus.Allocated, 6), (older.Status, older.Lines[0].Allocations.Sum(a => a.Quantity)));
        var position = await HubCluster.EventuallyAsync(() => hub.PositionAsync(warehouse, sku), p => p.Reservations.All(r => !r.CutPending), "every cut is acknowledged");
        Assert.Equal((7, 7, 0), (position.OnHand, position.Reserved, position.Reservations.Sum(r => r.Inbound)));

        // Stock that appears goes to the waiting line.
        await hub.StockAsync(warehouse, sku, 10, asOf: hub.Time.GetUtcNow().AddMinutes(1));
        var filled = await HubCluster.EventuallyAsync(async () => (await OrderOf(second.OrderId).Get())!, o => o.Lines[0].BackorderedQuantity == 0, "the backorder is allocated");
        Assert.Equal(OrderStatus.Allocated, filled.Status);
        Assert.Equal((10, 10), ((await hub.PositionAsync(warehouse, sku)).OnHand, (await hub.PositionAsync(warehouse, sku)).Reserved));
    }

    [Fact]
    public async Task A_transfer_in_transit_wakes_backordered_lines_and_its_receipt_converts_their_promise()
    {
        var (source, destination, sku) = (Unique("SRC"), Unique("DST"), Unique("SKU"));
        await hub.AddWarehouseAsync(source, 48.1, 11.6);
        await hub.AddWarehouseAsync(destination, 52.52, 13.40);
        await hub.AddLaneAsync(source, destination, 2);
        await hub.AddItemAsync(sku);
        await hub.StockAsync(source, sku, 5);
        var transferId = Unique("tr");
        var created = await hub.Grains.GetGrain<ITransferGrain>(transferId).Create(new TransferRequest
        {
            TransferId = transferId,
            FromWarehouseId = source,
            ToWarehouseId = destination,
            Lines = [new TransferLineRequest { Sku = sku, Quantity = 5 }],
            Reason = "rebalance",
        });
        Assert.Equal(CommandOutcome.Created, created.Outcome);

        // Nothing on hand and nothing on its way yet: backordered.
        var waiting = await PlaceAsync(sku, 3);
        Assert.Equal(OrderStatus.Backordered, waiting.Status);

        await hub.IngestAsync(hub.Event("TransferShipped", source, sku, 5, transferId: transferId));
        var promised = await HubCluster.EventuallyAsync(async () => (await OrderOf(waiting.OrderId).Get())!, o => o.Lines[0].BackorderedQuantity == 0, "the shipment wakes the backorder");
        var allocation = Assert.Single(promised.Lines[0].Allocations);
        Assert.Equal((destination, 3, $"transfer:{transferId}"), (allocation.WarehouseId, allocation.Quantity, allocation.InboundSource));
        // The destination's first ship date on or after the ETA (ship time + the lane's 2 days).
        var info = (await hub.Grains.GetGrain<INetworkGrain>(INetworkGrain.Key).GetWarehouse(destination))!;
        Assert.Equal(Orders.Sourcing.ShipDateCalendar.PromisedShipDate(info, hub.Time.GetUtcNow().AddDays(2), new HashSet<DateOnly>()), allocation.PromisedShipDate);

        await hub.IngestAsync(hub.Event("TransferReceived", destination, sku, 5, transferId: transferId));
        var received = await HubCluster.EventuallyAsync(() => hub.PositionAsync(destination, sku), p => p.OnHand == 5, "the receipt is applied");
        Assert.Equal((3, 2), (received.Reserved, received.Available));
        Assert.Equal((3, 0), (received.Reservations.Single().Quantity, received.Reservations.Single().Inbound));
    }
}
