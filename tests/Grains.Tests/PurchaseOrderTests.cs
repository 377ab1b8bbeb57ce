using Distribution.Common;
using Distribution.Events;
using Distribution.Inventory;
using Distribution.Network;
using Distribution.Operations;
using Distribution.Purchasing;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using static Distribution.Tests.OrderTestData;

namespace Distribution.Tests;

/// <summary>
/// Purchase orders on a 2-silo cluster with a fake business clock: the lifecycle by commands and
/// receipts, the destination's inbound (on order) from creation with its ETA, convergence under
/// duplicates and receipts before the ship notice, dead letters, over-receipts, lateness in
/// business time, and an inbound update a crash skipped repaired by the recovery sweep.
/// </summary>
public sealed class PurchaseOrderTests(HubCluster hub) : IClassFixture<HubCluster>
{
    private const double LeadTimeDays = 10;

    private IExceptionQueueGrain Exceptions => hub.Grains.GetGrain<IExceptionQueueGrain>(0);

    private IPurchaseOrderGrain Po(string id) => hub.Grains.GetGrain<IPurchaseOrderGrain>(id);

    /// <summary>A new destination warehouse, a supplier 10 days away and new SKUs (nothing on hand).</summary>
    private async Task<(string Warehouse, string Supplier, string[] Skus)> NetworkAsync(int skuCount = 1)
    {
        var (warehouse, supplier) = (Unique("DST"), Unique("SUP"));
        await hub.AddWarehouseAsync(warehouse, 52.52, 13.40);
        var result = await hub.Grains.GetGrain<INetworkGrain>(INetworkGrain.Key).UpsertSupplier(
            new SupplierInfo { SupplierId = supplier, Name = supplier, LeadTimeDays = LeadTimeDays, LeadTimeStdDevDays = 1 });
        Assert.Empty(result.Errors);
        var skus = Enumerable.Range(0, skuCount).Select(_ => Unique("SKU")).ToArray();
        foreach (var sku in skus)
        {
            await hub.AddItemAsync(sku);
        }

        return (warehouse, supplier, skus);
    }

    private static PurchaseOrderRequest Request(string id, string supplier, string warehouse, params (string Sku, int Quantity)[] lines) => new()
    {
        PurchaseOrderId = id,
        SupplierId = supplier,
        WarehouseId = warehouse,
        Lines = [.. lines.Select(l => new PurchaseOrderLineRequest { Sku = l.Sku, Quantity = l.Quantity })],
        Reason = "reorder",
    };

    private async Task<PurchaseOrderView> CreatedAsync(PurchaseOrderRequest request)
    {
        var result = await Po(request.PurchaseOrderId!).Create(request);
        Assert.Equal(CommandOutcome.Created, result.Outcome);
        Assert.Equal(PurchaseOrderStatus.Created, result.PurchaseOrder!.Status);
        return result.PurchaseOrder;
    }

    private async Task<PurchaseOrderView> SentAsync(PurchaseOrderRequest request)
    {
        await CreatedAsync(request);
        var sent = await Po(request.PurchaseOrderId!).Send();
        Assert.Equal((CommandOutcome.Updated, PurchaseOrderStatus.Sent), (sent.Outcome, sent.PurchaseOrder!.Status));
        return sent.PurchaseOrder;
    }

    private static ShipNoticeRequest Notice(DateTimeOffset? eta, params (string Sku, int Quantity)[] lines) => new()
    {
        Lines = [.. lines.Select(l => new PurchaseOrderLineRequest { Sku = l.Sku, Quantity = l.Quantity })],
        Eta = eta,
    };

    private WarehouseEventRequest Receipt(string warehouse, string sku, int quantity, string purchaseOrderId) =>
        hub.Event("PurchaseReceived", warehouse, sku, quantity, purchaseOrderId: purchaseOrderId);

    private Task<PurchaseOrderView> PoUntilAsync(string id, Func<PurchaseOrderView, bool> until, string because) =>
        HubCluster.EventuallyAsync(async () => (await Po(id).Get())!, until, because);

    /// <summary>A warehouse's entry in the SKU's network view (what availability and the planner read), null while it has none.</summary>
    private async Task<LocationAvailability?> ViewOfAsync(string sku, string warehouse) =>
        (await hub.Grains.GetGrain<ISkuGrain>(sku).GetAvailability())!.Locations.FirstOrDefault(l => l.WarehouseId == warehouse);

    private static InboundEntry OnOrder(string id, int quantity, DateTimeOffset eta) =>
        new() { SourceKind = InboundSourceKind.PurchaseOrder, SourceId = id, Quantity = quantity, Eta = eta };

    [Fact]
    public async Task Commands_and_receipts_walk_the_lifecycle_and_the_inbound_follows_from_creation()
    {
        var (warehouse, supplier, skus) = await NetworkAsync();
        var sku = skus[0];
        var id = Unique("po");
        var createdAt = hub.Time.GetUtcNow();
        CorrelationContext.Current = "planner-9";
        PurchaseOrderView created;
        try
        {
            created = await CreatedAsync(Request(id, supplier, warehouse, (sku, 40)));
        }
        finally
        {
            CorrelationContext.Current = null;
        }

        // On order from the moment it exists: inbound at the destination, due at created + lead time.
        Assert.Equal((createdAt.AddDays(LeadTimeDays), createdAt.AddDays(LeadTimeDays)), (created.ExpectedArrival, created.Eta));
        Assert.Equal((40, 0, 0, 40), (created.Lines[0].OrderedQuantity, created.Lines[0].ShippedQuantity, created.Lines[0].ReceivedQuantity, created.Lines[0].OnOrderQuantity));
        Assert.Equal("planner-9", Assert.Single(created.Timeline).CorrelationId);
        var onOrder = await HubCluster.EventuallyAsync(() => ViewOfAsync(sku, warehouse), l => l?.Inbound == 40, "the view shows the purchase order as inbound");
        Assert.Equal([OnOrder(id, 40, createdAt.AddDays(LeadTimeDays))], onOrder!.InboundEntries);
        Assert.Equal((0, 0), (onOrder.OnHand, onOrder.Available));

        hub.Time.Advance(TimeSpan.FromHours(3));
        var sentAt = hub.Time.GetUtcNow();
        var sent = await Po(id).Send();
        Assert.Equal((sentAt, sentAt.AddDays(LeadTimeDays), sentAt.AddDays(LeadTimeDays - 1)), (sent.PurchaseOrder!.SentAt, sent.PurchaseOrder.Eta, sent.PurchaseOrder.ExpectedShipDate));
        await HubCluster.EventuallyAsync(() => ViewOfAsync(sku, warehouse), l => l?.EarliestInboundEta == sentAt.AddDays(LeadTimeDays), "the ETA counts from sending");
        Assert.Equal(CommandOutcome.Replayed, (await Po(id).Send()).Outcome);
        Assert.Equal(PurchaseOrderStatus.Acknowledged, (await Po(id).Acknowledge()).PurchaseOrder!.Status);

        hub.Time.Advance(TimeSpan.FromDays(2));
        var noticeAt = hub.Time.GetUtcNow();
        var shipped = await Po(id).Ship(Notice(null, (sku, 30)));
        Assert.Equal((CommandOutcome.Updated, PurchaseOrderStatus.Shipped), (shipped.Outcome, shipped.PurchaseOrder!.Status));
        // An ASN means the goods left the supplier: expected a day later unless it says otherwise;
        // it shipped 30 of 40, so 30 are on their way and the other 10 are no longer expected.
        Assert.Equal(noticeAt.AddDays(1), shipped.PurchaseOrder.Eta);
        Assert.Equal((30, 30), (shipped.PurchaseOrder.Lines[0].ShippedQuantity, shipped.PurchaseOrder.Lines[0].OnOrderQuantity));
        var inTransit = await HubCluster.EventuallyAsync(() => ViewOfAsync(sku, warehouse), l => l?.Inbound == 30, "the view shows what the notice shipped");
        Assert.Equal([OnOrder(id, 30, noticeAt.AddDays(1))], inTransit!.InboundEntries);
        Assert.Equal(CommandOutcome.Replayed, (await Po(id).Ship(Notice(null, (sku, 30)))).Outcome);
        var another = await Po(id).Ship(Notice(null, (sku, 10)));
        Assert.Equal((CommandOutcome.Conflict, "status"), (another.Outcome, Assert.Single(another.Errors).Field));
        Assert.Equal(CommandOutcome.Replayed, (await Po(id).Acknowledge()).Outcome);   // acknowledged before: a repeat
        Assert.Equal(CommandOutcome.Conflict, (await Po(id).Cancel()).Outcome);

        hub.Time.Advance(TimeSpan.FromHours(20));
        await hub.IngestAsync(Receipt(warehouse, sku, 12, id));
        var partial = await PoUntilAsync(id, p => p.Status == PurchaseOrderStatus.PartiallyReceived, "part is received");
        Assert.Equal((12, 18), (partial.Lines[0].ReceivedQuantity, partial.Lines[0].OnOrderQuantity));
        await HubCluster.EventuallyAsync(() => ViewOfAsync(sku, warehouse), l => l?.Inbound == 18 && l.OnHand == 12, "12 moved from inbound to on-hand");

        await hub.IngestAsync(Receipt(warehouse, sku, 18, id));
        var received = await PoUntilAsync(id, p => p.Status == PurchaseOrderStatus.Received, "everything shipped is received");
        Assert.Equal(
            [PurchaseOrderStatus.Created, PurchaseOrderStatus.Sent, PurchaseOrderStatus.Acknowledged, PurchaseOrderStatus.Shipped, PurchaseOrderStatus.PartiallyReceived, PurchaseOrderStatus.Received],
            received.Timeline.Select(t => t.Status));
        var arrived = await HubCluster.EventuallyAsync(() => ViewOfAsync(sku, warehouse), l => l?.Inbound == 0 && l.OnHand == 30, "everything moved to on-hand");
        Assert.Empty(arrived!.InboundEntries);
        Assert.Equal(30, (await hub.PositionAsync(warehouse, sku)).PurchaseOrders.Single(p => p.PurchaseOrderId == id).Received);

        var closed = await Po(id).Close();
        Assert.Equal((CommandOutcome.Updated, PurchaseOrderStatus.Closed), (closed.Outcome, closed.PurchaseOrder!.Status));
        Assert.Equal(CommandOutcome.Replayed, (await Po(id).Close()).Outcome);
    }

    [Fact]
    public async Task Commands_out_of_order_are_conflicts_naming_the_status_and_unknown_ones_not_found()
    {
        var (warehouse, supplier, skus) = await NetworkAsync();
        var id = Unique("po");
        await CreatedAsync(Request(id, supplier, warehouse, (skus[0], 5)));

        foreach (var command in new Func<Task<PurchaseOrderCommandResult>>[] { () => Po(id).Acknowledge(), () => Po(id).Ship(Notice(null, (skus[0], 5))), () => Po(id).Close() })
        {
            var refused = await command();
            Assert.Equal(CommandOutcome.Conflict, refused.Outcome);
            var error = Assert.Single(refused.Errors);
            Assert.Equal("status", error.Field);
            Assert.Contains("a created purchase order", error.Message, StringComparison.Ordinal);
        }

        Assert.Equal(PurchaseOrderStatus.Created, (await Po(id).Get())!.Status);
        Assert.Single((await Po(id).Get())!.Timeline);
        var unknown = Po(Unique("po"));
        Assert.Equal(CommandOutcome.NotFound, (await unknown.Send()).Outcome);
        Assert.Null(await unknown.Get());
    }

    [Fact]
    public async Task Bad_references_are_refused_naming_the_field_and_another_body_is_a_conflict()
    {
        var (warehouse, supplier, skus) = await NetworkAsync();
        var id = Unique("po");

        var unknownSupplier = await Po(id).Create(Request(id, "no-such-supplier", warehouse, (skus[0], 1)));
        var unknownWarehouse = await Po(id).Create(Request(id, supplier, "nowhere", (skus[0], 1)));
        var unknownSku = await Po(id).Create(Request(id, supplier, warehouse, (skus[0], 1), ("no-such-sku", 1)));
        var mismatch = await Po(id).Create(Request(Unique("other"), supplier, warehouse, (skus[0], 1)));

        Assert.Equal(["supplierId"], unknownSupplier.Errors.Select(e => e.Field));
        Assert.Equal(["warehouseId"], unknownWarehouse.Errors.Select(e => e.Field));
        Assert.Equal(["lines[1].sku"], unknownSku.Errors.Select(e => e.Field));
        Assert.Equal(["purchaseOrderId"], mismatch.Errors.Select(e => e.Field));
        Assert.All([unknownSupplier, unknownWarehouse, unknownSku, mismatch], r => Assert.Equal(CommandOutcome.Invalid, r.Outcome));
        Assert.Null(await Po(id).Get());
        Assert.Empty((await hub.PositionAsync(warehouse, skus[0])).Inbound);

        var request = Request(id, supplier, warehouse, (skus[0], 4));
        await CreatedAsync(request);
        Assert.Equal(CommandOutcome.Replayed, (await Po(id).Create(request)).Outcome);
        var conflict = await Po(id).Create(request with { Lines = [new PurchaseOrderLineRequest { Sku = skus[0], Quantity = 5 }] });
        Assert.Equal((CommandOutcome.Conflict, "purchaseOrderId"), (conflict.Outcome, Assert.Single(conflict.Errors).Field));
        Assert.Equal(4, (await Po(id).Get())!.Lines[0].OrderedQuantity);
        Assert.Equal(4, Assert.Single((await hub.PositionAsync(warehouse, skus[0])).Inbound).Quantity);
    }

    [Fact]
    public async Task Duplicates_redeliveries_and_receipt_before_the_ship_notice_converge()
    {
        var (warehouse, supplier, skus) = await NetworkAsync();
        var sku = skus[0];
        var (inOrder, early) = (Unique("po"), Unique("po"));
        await SentAsync(Request(inOrder, supplier, warehouse, (sku, 8)));
        await SentAsync(Request(early, supplier, warehouse, (sku, 8)));
        var consumer = hub.Grains.GetGrain<IWarehouseEventsGrain>(warehouse);
        var at = hub.Time.GetUtcNow();
        WarehouseEventBatch Batch(long sequence, string purchaseOrderId, int quantity) => new([new JournaledEvent
        {
            Sequence = sequence,
            Event = new WarehouseEvent
            {
                EventId = $"{purchaseOrderId}-{sequence}",
                WarehouseId = warehouse,
                Sku = sku,
                Type = WarehouseEventType.PurchaseReceived,
                Quantity = quantity,
                PurchaseOrderId = purchaseOrderId,
                OccurredAt = at,
            },
        }]);

        // Notice then receipts, each once.
        await Po(inOrder).Ship(Notice(null, (sku, 8)));
        await consumer.Process(Batch(1, inOrder, 5));
        await consumer.Process(Batch(2, inOrder, 3));
        // Receipts before the notice (the supplier shipped without one), every batch twice.
        var first = Batch(3, early, 5);
        var second = Batch(4, early, 3);
        await consumer.Process(first);
        var beforeNotice = (await Po(early).Get())!;
        await consumer.Process(first);
        await consumer.Process(second);
        await consumer.Process(second);
        await Po(early).Ship(Notice(null, (sku, 8)));

        Assert.Equal((PurchaseOrderStatus.PartiallyReceived, 3), (beforeNotice.Status, beforeNotice.Lines[0].OnOrderQuantity));
        var a = (await Po(inOrder).Get())!;
        var b = (await Po(early).Get())!;
        Assert.Equal((PurchaseOrderStatus.Received, PurchaseOrderStatus.Received), (a.Status, b.Status));
        Assert.Equal(a.Lines, b.Lines);
        Assert.Equal((8, 8, 8, 0), (b.Lines[0].OrderedQuantity, b.Lines[0].ShippedQuantity, b.Lines[0].ReceivedQuantity, b.Lines[0].OnOrderQuantity));
        Assert.Equal(2, b.Timeline.Count(t => t.Description.StartsWith("received", StringComparison.Ordinal)));
        var position = await hub.PositionAsync(warehouse, sku);
        Assert.Equal(16, position.OnHand);
        Assert.Empty(position.Inbound);
    }

    [Fact]
    public async Task Receipts_for_unknown_cancelled_or_foreign_purchase_orders_are_dead_lettered_with_the_reason()
    {
        var (warehouse, supplier, skus) = await NetworkAsync(skuCount: 2);
        var (other, _, _) = await NetworkAsync();
        var (id, cancelled) = (Unique("po"), Unique("po"));
        await SentAsync(Request(id, supplier, warehouse, (skus[0], 5)));
        await CreatedAsync(Request(cancelled, supplier, warehouse, (skus[0], 5)));
        Assert.Equal(PurchaseOrderStatus.Cancelled, (await Po(cancelled).Cancel()).PurchaseOrder!.Status);
        var unknown = Receipt(warehouse, skus[0], 2, Unique("nope"));
        var wrongWarehouse = Receipt(other, skus[0], 2, id);
        var notOnIt = Receipt(warehouse, skus[1], 2, id);
        var afterCancel = Receipt(warehouse, skus[0], 2, cancelled);

        await hub.IngestAsync(unknown, wrongWarehouse, notOnIt, afterCancel);

        foreach (var (e, reason) in new[] { (unknown, "unknown purchase order"), (wrongWarehouse, $"is received at '{warehouse}'"), (notOnIt, "is not on purchase order"), (afterCancel, "was cancelled") })
        {
            var exception = await HubCluster.EventuallyAsync(() => Exceptions.Get(ExceptionIds.ForEvent(e.EventId!)), x => x is not null, $"'{e.EventId}' is dead-lettered");
            Assert.Equal(ExceptionKind.DeadLetter, exception!.Kind);
            Assert.Contains(reason, exception.Reason, StringComparison.Ordinal);
            Assert.Equal(e.PurchaseOrderId, exception.PurchaseOrderId);
            Assert.True(exception.Retryable);
        }

        Assert.Equal(0, (await hub.PositionAsync(warehouse, skus[0])).OnHand);
        Assert.Equal(0, (await hub.PositionAsync(warehouse, skus[1])).OnHand);
        Assert.Equal(0, (await hub.PositionAsync(other, skus[0])).OnHand);
        Assert.Equal((PurchaseOrderStatus.Sent, 0), ((await Po(id).Get())!.Status, (await Po(id).Get())!.Lines[0].ReceivedQuantity));
    }

    [Fact]
    public async Task Receiving_more_than_ordered_raises_an_over_receipt()
    {
        var (warehouse, supplier, skus) = await NetworkAsync();
        var id = Unique("po");
        await SentAsync(Request(id, supplier, warehouse, (skus[0], 4)));

        await hub.IngestAsync(Receipt(warehouse, skus[0], 6, id));

        var over = await HubCluster.EventuallyAsync(() => Exceptions.Get(ExceptionIds.PurchaseReceiptDiscrepancy(id, skus[0])), x => x is not null, "the over-receipt is raised");
        Assert.Equal((ExceptionKind.ReceiptDiscrepancy, id, warehouse), (over!.Kind, over.PurchaseOrderId, over.WarehouseId));
        Assert.Contains("received 6 unit(s)", over.Reason, StringComparison.Ordinal);
        Assert.Contains("ordered 4", over.Reason, StringComparison.Ordinal);
        var view = await PoUntilAsync(id, p => p.Status == PurchaseOrderStatus.Received, "the purchase order is received");
        Assert.Equal((6, 0), (view.Lines[0].ReceivedQuantity, view.Lines[0].OnOrderQuantity));
        Assert.Equal(6, (await hub.PositionAsync(warehouse, skus[0])).OnHand);
    }

    [Fact]
    public async Task Cancel_and_close_clear_the_inbound()
    {
        var (warehouse, supplier, skus) = await NetworkAsync();
        var sku = skus[0];
        var (cancelled, closed) = (Unique("po"), Unique("po"));
        await CreatedAsync(Request(cancelled, supplier, warehouse, (sku, 7)));
        await SentAsync(Request(closed, supplier, warehouse, (sku, 9)));
        await HubCluster.EventuallyAsync(() => ViewOfAsync(sku, warehouse), l => l?.Inbound == 16, "both are on order");
        await hub.IngestAsync(Receipt(warehouse, sku, 4, closed));
        await PoUntilAsync(closed, p => p.Lines[0].ReceivedQuantity == 4, "part arrived");

        var cancel = await Po(cancelled).Cancel();
        var close = await Po(closed).Close();

        Assert.Equal((CommandOutcome.Updated, PurchaseOrderStatus.Cancelled), (cancel.Outcome, cancel.PurchaseOrder!.Status));
        Assert.Equal((CommandOutcome.Updated, PurchaseOrderStatus.Closed), (close.Outcome, close.PurchaseOrder!.Status));
        Assert.Contains("no longer waiting for 5 unit(s)", close.PurchaseOrder.Timeline[^1].Description, StringComparison.Ordinal);
        Assert.Equal((CommandOutcome.Replayed, CommandOutcome.Replayed), ((await Po(cancelled).Cancel()).Outcome, (await Po(closed).Close()).Outcome));
        Assert.Equal(CommandOutcome.Conflict, (await Po(closed).Cancel()).Outcome);
        Assert.Equal(CommandOutcome.Conflict, (await Po(cancelled).Send()).Outcome);
        var view = await HubCluster.EventuallyAsync(() => ViewOfAsync(sku, warehouse), l => l?.Inbound == 0, "nothing is on order any more");
        Assert.Empty(view!.InboundEntries);
        Assert.Equal(4, view.OnHand);
        Assert.Empty((await hub.PositionAsync(warehouse, sku)).Inbound);
    }

    [Fact]
    public async Task Without_a_ship_notice_by_the_ship_date_and_short_at_the_eta_it_is_late_until_what_was_missing_arrives()
    {
        var (warehouse, supplier, skus) = await NetworkAsync();
        var sku = skus[0];
        var id = Unique("po");
        var grainId = Po(id).GetGrainId();
        var sent = await SentAsync(Request(id, supplier, warehouse, (sku, 10)));
        var lateId = ExceptionIds.PurchaseOrderLate(id);

        hub.Time.Advance(sent.ExpectedShipDate - hub.Time.GetUtcNow() - TimeSpan.FromMinutes(1));
        Assert.DoesNotContain(grainId, await hub.SweepAsync());
        Assert.Null(await Exceptions.Get(lateId));

        hub.Time.Advance(TimeSpan.FromMinutes(2));
        Assert.Contains(grainId, await hub.DueForWakeAsync());
        await hub.SweepAsync();
        Assert.DoesNotContain(grainId, await hub.DueForWakeAsync()); // judged once per date

        var late = (await Exceptions.Get(lateId))!;
        Assert.Equal((ExceptionKind.PurchaseOrderLate, ExceptionStatus.Open, id, warehouse), (late.Kind, late.Status, late.PurchaseOrderId, late.WarehouseId));
        Assert.Equal(sent.ExpectedShipDate, late.OccurredAt);
        Assert.Contains("no ship notice", late.Reason, StringComparison.Ordinal);
        Assert.True((await Po(id).Get())!.Late);

        // The notice arrives (ETA in 2 days): no longer late.
        var shipped = await Po(id).Ship(Notice(hub.Time.GetUtcNow().AddDays(2), (sku, 10)));
        Assert.False(shipped.PurchaseOrder!.Late);
        Assert.Equal(ExceptionStatus.Resolved, (await Exceptions.Get(lateId))!.Status);

        // Part arrives; at the ETA the rest is missing: late again.
        await hub.IngestAsync(Receipt(warehouse, sku, 6, id));
        await PoUntilAsync(id, p => p.Lines[0].ReceivedQuantity == 6, "part arrived");
        hub.Time.Advance(TimeSpan.FromDays(2) + TimeSpan.FromMinutes(1));
        Assert.Contains(grainId, await hub.SweepAsync());
        var again = (await Exceptions.Get(lateId))!;
        Assert.Equal(ExceptionStatus.Open, again.Status);
        Assert.Contains("4 unit(s) of", again.Reason, StringComparison.Ordinal);
        Assert.Contains("not received", again.Reason, StringComparison.Ordinal);

        await hub.IngestAsync(Receipt(warehouse, sku, 4, id));
        await PoUntilAsync(id, p => p.Status == PurchaseOrderStatus.Received, "the rest arrived");
        await HubCluster.EventuallyAsync(() => Exceptions.Get(lateId), x => x!.Status == ExceptionStatus.Resolved, "the lateness resolves");
        Assert.False((await Po(id).Get())!.Late);
        Assert.DoesNotContain(grainId, await hub.DueForWakeAsync());
    }

    [Fact]
    public async Task Closing_a_late_purchase_order_resolves_its_lateness()
    {
        var (warehouse, supplier, skus) = await NetworkAsync();
        var id = Unique("po");
        var sent = await SentAsync(Request(id, supplier, warehouse, (skus[0], 3)));
        hub.Time.Advance(sent.Eta - hub.Time.GetUtcNow() + TimeSpan.FromMinutes(1));
        await hub.SweepAsync();
        var late = (await Exceptions.Get(ExceptionIds.PurchaseOrderLate(id)))!;
        Assert.Contains("past its ETA", late.Reason, StringComparison.Ordinal);

        await Po(id).Close();

        Assert.Equal(ExceptionStatus.Resolved, (await Exceptions.Get(late.Id))!.Status);
        Assert.DoesNotContain(Po(id).GetGrainId(), await hub.DueForWakeAsync());
    }

    [Fact]
    public async Task An_inbound_update_a_crash_skipped_is_made_by_the_recovery_sweep()
    {
        var (warehouse, supplier, skus) = await NetworkAsync();
        var sku = skus[0];
        var id = Unique("po");
        var request = Request(id, supplier, warehouse, (sku, 12));
        // What a silo that crashed between storing the purchase order and setting the inbound leaves.
        var storage = hub.Cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(GrainStorage.Name);
        var createdAt = hub.Time.GetUtcNow();
        await storage.WriteStateAsync("purchaseOrder", Po(id).GetGrainId(), new GrainState<PurchaseOrderState>(new PurchaseOrderState
        {
            Request = request,
            Fingerprint = PurchaseOrderValidation.Fingerprint(request),
            Status = PurchaseOrderStatus.Created,
            CreatedAt = createdAt,
            LeadTimeDays = LeadTimeDays,
            Lines = [new PurchaseOrderLineState { Sku = sku, Quantity = 12 }],
            InboundDueBy = createdAt.AddMinutes(1),
        }));
        Assert.Empty((await hub.PositionAsync(warehouse, sku)).Inbound);

        hub.Time.Advance(TimeSpan.FromMinutes(2));
        Assert.Contains(Po(id).GetGrainId(), await hub.SweepAsync());

        Assert.Equal([OnOrder(id, 12, createdAt.AddDays(LeadTimeDays))], (await hub.PositionAsync(warehouse, sku)).Inbound);
        Assert.DoesNotContain(Po(id).GetGrainId(), await hub.DueForWakeAsync());
    }
}
