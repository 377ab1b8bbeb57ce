using Distribution.Common;
using Distribution.Events;
using Distribution.Inventory;
using Distribution.Operations;
using Distribution.Orders;
using Distribution.Transfers;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using static Distribution.Tests.OrderTestData;

namespace Distribution.Tests;

/// <summary>
/// Transfers on a 2-silo cluster with a fake business clock: reservation at the source (all or
/// nothing, never oversold next to orders), cancellation, the lifecycle driven by warehouse
/// events, inbound at the destination, convergence under duplicates and reordering, and the
/// overdue review in business time.
/// </summary>
public sealed class TransferTests(HubCluster hub) : IClassFixture<HubCluster>
{
    private const double TransitDays = 2;

    private IExceptionQueueGrain Exceptions => hub.Grains.GetGrain<IExceptionQueueGrain>(0);

    private ITransferGrain Transfer(string id) => hub.Grains.GetGrain<ITransferGrain>(id);

    /// <summary>Two new warehouses with a lane between them and new SKUs stocked at the source.</summary>
    private async Task<(string From, string To, string[] Skus)> NetworkAsync(params int[] onHand)
    {
        var (from, to) = (Unique("SRC"), Unique("DST"));
        await hub.AddWarehouseAsync(from, 52.37, 4.90);
        await hub.AddWarehouseAsync(to, 52.52, 13.40);
        await hub.AddLaneAsync(from, to, TransitDays);
        var skus = onHand.Select(_ => Unique("SKU")).ToArray();
        for (var i = 0; i < skus.Length; i++)
        {
            await hub.AddItemAsync(skus[i]);
            await hub.StockAsync(from, skus[i], onHand[i]);
        }

        return (from, to, skus);
    }

    private static TransferRequest Request(string id, string from, string to, params (string Sku, int Quantity)[] lines) => new()
    {
        TransferId = id,
        FromWarehouseId = from,
        ToWarehouseId = to,
        Lines = [.. lines.Select(l => new TransferLineRequest { Sku = l.Sku, Quantity = l.Quantity })],
        Reason = "rebalance",
    };

    private async Task<TransferView> CreatedAsync(TransferRequest request)
    {
        var result = await Transfer(request.TransferId!).Create(request);
        Assert.Equal(CommandOutcome.Created, result.Outcome);
        Assert.Equal(TransferStatus.Requested, result.Transfer!.Status);
        return result.Transfer;
    }

    private Task<TransferView> TransferUntilAsync(string id, Func<TransferView, bool> until, string because) =>
        HubCluster.EventuallyAsync(async () => (await Transfer(id).Get())!, until, because);

    /// <summary>A warehouse's entry in the SKU's network view (what availability reads), null while it has none.</summary>
    private async Task<LocationAvailability?> ViewOfAsync(string sku, string warehouse) =>
        (await hub.Grains.GetGrain<ISkuGrain>(sku).GetAvailability())!.Locations.FirstOrDefault(l => l.WarehouseId == warehouse);

    [Fact]
    public async Task Creating_reserves_every_line_at_the_source_and_cancelling_releases_it_once()
    {
        var (from, to, skus) = await NetworkAsync(10, 4);
        var id = Unique("tr");
        CorrelationContext.Current = "planner-42";
        TransferView created;
        try
        {
            created = await CreatedAsync(Request(id, from, to, (skus[0], 6), (skus[1], 4)));
        }
        finally
        {
            CorrelationContext.Current = null;
        }

        Assert.Equal(TransitDays, created.TransitDays);
        Assert.Null(created.Eta);
        Assert.All(created.Timeline, t => Assert.Equal("planner-42", t.CorrelationId));
        Assert.Equal([TransferStatus.Reserving, TransferStatus.Requested], created.Timeline.Select(t => t.Status));
        var a = await hub.PositionAsync(from, skus[0]);
        Assert.Equal((10, 6, 4), (a.OnHand, a.Reserved, a.Available));
        var reservation = Assert.Single(a.Reservations);
        Assert.Equal((ReservationOwner.Transfer, id, skus[0], 6), (reservation.Owner, reservation.OrderId, reservation.LineId, reservation.Quantity));
        Assert.Equal(0, (await hub.PositionAsync(from, skus[1])).Available);
        // What channels see: the network view no longer offers the transferred units.
        await HubCluster.EventuallyAsync(() => ViewOfAsync(skus[0], from), l => l?.Available == 4, "the view shows the reservation");

        var cancelled = await Transfer(id).Cancel();
        var again = await Transfer(id).Cancel();

        Assert.Equal((CommandOutcome.Updated, TransferStatus.Cancelled), (cancelled.Outcome, cancelled.Transfer!.Status));
        Assert.Equal((CommandOutcome.Replayed, TransferStatus.Cancelled), (again.Outcome, again.Transfer!.Status));
        Assert.Single(again.Transfer.Timeline, t => t.Status == TransferStatus.Cancelled);
        Assert.Equal((0, 10), ((await hub.PositionAsync(from, skus[0])).Reserved, (await hub.PositionAsync(from, skus[0])).Available));
        Assert.Equal(0, (await hub.PositionAsync(from, skus[1])).Reserved);
    }

    [Fact]
    public async Task A_line_that_cannot_be_reserved_rejects_the_transfer_and_nothing_is_held()
    {
        var (from, to, skus) = await NetworkAsync(10, 2);
        var id = Unique("tr");
        var request = Request(id, from, to, (skus[0], 5), (skus[1], 3));

        var first = await Transfer(id).Create(request);
        var replay = await Transfer(id).Create(request);

        Assert.Equal(CommandOutcome.Conflict, first.Outcome);
        Assert.Equal(TransferStatus.Rejected, first.Transfer!.Status);
        var error = Assert.Single(first.Errors);
        Assert.Equal("lines[1].quantity", error.Field);
        Assert.Contains("only 2 unit(s)", error.Message, StringComparison.Ordinal);
        Assert.Equal(first.Errors, replay.Errors);
        Assert.Equal((CommandOutcome.Conflict, TransferStatus.Rejected), (replay.Outcome, replay.Transfer!.Status));
        Assert.Equal(0, (await hub.PositionAsync(from, skus[0])).Reserved);
        Assert.Equal(0, (await hub.PositionAsync(from, skus[1])).Reserved);
        Assert.Equal(CommandOutcome.Conflict, (await Transfer(id).Cancel()).Outcome);
    }

    [Fact]
    public async Task Bad_references_are_refused_naming_the_field_and_nothing_is_stored()
    {
        var (from, to, skus) = await NetworkAsync(10);
        var id = Unique("tr");

        var unknownSku = await Transfer(id).Create(Request(id, from, to, (skus[0], 1), ("no-such-sku", 1)));
        var noLane = await Transfer(id).Create(Request(id, to, from, (skus[0], 1)));
        var unknownWarehouse = await Transfer(id).Create(Request(id, from, "nowhere", (skus[0], 1)));
        var conflict = await hub.Grains.GetGrain<ITransferGrain>(id).Create(Request(Unique("other"), from, to, (skus[0], 1)));

        Assert.Equal(["lines[1].sku"], unknownSku.Errors.Select(e => e.Field));
        Assert.Equal(["toWarehouseId"], noLane.Errors.Select(e => e.Field));
        Assert.Contains("no lane", noLane.Errors[0].Message, StringComparison.Ordinal);
        Assert.Equal(["toWarehouseId"], unknownWarehouse.Errors.Select(e => e.Field));
        Assert.Equal(["transferId"], conflict.Errors.Select(e => e.Field));
        Assert.All([unknownSku, noLane, unknownWarehouse, conflict], r => Assert.Equal(CommandOutcome.Invalid, r.Outcome));
        Assert.Null(await Transfer(id).Get());
        Assert.Equal(0, (await hub.PositionAsync(from, skus[0])).Reserved);
    }

    [Fact]
    public async Task Concurrent_orders_and_transfers_for_the_same_stock_never_take_more_than_is_there()
    {
        var (from, to, skus) = await NetworkAsync(50);
        var sku = skus[0];
        var orders = Enumerable.Range(0, 40).Select(_ => Order(Unique("o"), new GeoPoint(52.3, 4.9), (sku, 1))).ToList();
        var transfers = Enumerable.Range(0, 20).Select(_ => Request(Unique("tr"), from, to, (sku, 2))).ToList();

        var placing = Task.WhenAll(orders.Select(o => hub.Grains.GetGrain<IOrderGrain>(o.OrderId!).Place(o)));
        var creating = Task.WhenAll(transfers.Select(t => Transfer(t.TransferId!).Create(t)));
        var (placed, created) = (await placing, await creating);

        var ordered = placed.Sum(r => r.Order!.Lines.Sum(l => l.Allocations.Sum(a => a.Quantity)));
        var transferred = created.Where(r => r.Outcome == CommandOutcome.Created).Sum(r => r.Transfer!.Lines.Sum(l => l.Quantity));
        Assert.All(created.Where(r => r.Outcome != CommandOutcome.Created), r => Assert.Equal(TransferStatus.Rejected, r.Transfer!.Status));
        var position = await hub.PositionAsync(from, sku);
        Assert.True(ordered + transferred <= 50, $"{ordered} ordered + {transferred} transferred > 50 on hand");
        Assert.True(ordered + transferred >= 49, $"demand of 80 left {50 - ordered - transferred} unit(s) untaken");
        Assert.Equal(ordered + transferred, position.Reserved);
        Assert.Equal(transferred, position.Reservations.Where(r => r.Owner == ReservationOwner.Transfer).Sum(r => r.Quantity));
        Assert.Equal(50 - position.Reserved, position.Available);
    }

    [Fact]
    public async Task Shipment_then_receipt_walks_the_lifecycle_moves_the_stock_and_shows_inbound_in_between()
    {
        var (from, to, skus) = await NetworkAsync(10);
        var sku = skus[0];
        var id = Unique("tr");
        await CreatedAsync(Request(id, from, to, (sku, 6)));
        var shippedAt = hub.Time.GetUtcNow();

        CorrelationContext.Current = "ship-wave-1";
        try
        {
            await hub.IngestAsync(hub.Event("TransferShipped", from, sku, 6, id));
        }
        finally
        {
            CorrelationContext.Current = null;
        }

        var shipped = await TransferUntilAsync(id, t => t.Status == TransferStatus.Shipped, "the transfer is shipped");
        var eta = shippedAt.AddDays(TransitDays);
        Assert.Equal(eta, shipped.Eta);
        Assert.Equal((6, 0, 6), (shipped.Lines[0].ShippedQuantity, shipped.Lines[0].ReceivedQuantity, shipped.Lines[0].InTransitQuantity));
        var step = shipped.Timeline.Last();
        Assert.Equal((shippedAt, "ship-wave-1"), (step.At, step.CorrelationId));
        var source = await hub.PositionAsync(from, sku);
        Assert.Equal((4, 0), (source.OnHand, source.Reserved));
        // In transit: inbound at the destination with its ETA, in the SKU view; not available.
        var inbound = await HubCluster.EventuallyAsync(() => ViewOfAsync(sku, to), l => l?.Inbound == 6, "the destination shows the inbound");
        Assert.Equal((0, 0, eta), (inbound!.OnHand, inbound.Available, inbound.EarliestInboundEta));
        Assert.Equal([new InboundEntry { SourceKind = InboundSourceKind.Transfer, SourceId = id, Quantity = 6, Eta = eta }], inbound.InboundEntries);
        Assert.Equal(6, (await hub.Grains.GetGrain<ISkuGrain>(sku).GetAvailability())!.Total.Inbound);

        hub.Time.Advance(TimeSpan.FromDays(1));
        await hub.IngestAsync(hub.Event("TransferReceived", to, sku, 6, id));

        var received = await TransferUntilAsync(id, t => t.Status == TransferStatus.Received, "the transfer is received");
        Assert.Equal((6, 6, 0), (received.Lines[0].ShippedQuantity, received.Lines[0].ReceivedQuantity, received.Lines[0].InTransitQuantity));
        Assert.Equal(
            [TransferStatus.Reserving, TransferStatus.Requested, TransferStatus.Shipped, TransferStatus.Received],
            received.Timeline.Select(t => t.Status));
        var arrived = await HubCluster.EventuallyAsync(() => ViewOfAsync(sku, to), l => l?.Inbound == 0 && l.OnHand == 6, "the units moved from inbound to on-hand");
        Assert.Equal((6, 6, null), (arrived!.OnHand, arrived.Available, arrived.EarliestInboundEta));
        Assert.Empty(arrived.InboundEntries);
        Assert.Empty((await hub.PositionAsync(to, sku)).Inbound);
    }

    [Fact]
    public async Task Duplicates_redeliveries_and_receipt_before_shipment_converge_to_the_same_result()
    {
        var (from, to, skus) = await NetworkAsync(20);
        var sku = skus[0];
        var (inOrder, reordered) = (Unique("tr"), Unique("tr"));
        await CreatedAsync(Request(inOrder, from, to, (sku, 5)));
        await CreatedAsync(Request(reordered, from, to, (sku, 5)));
        var source = hub.Grains.GetGrain<IWarehouseEventsGrain>(from);
        var destination = hub.Grains.GetGrain<IWarehouseEventsGrain>(to);
        var at = hub.Time.GetUtcNow();
        WarehouseEventBatch Batch(long sequence, string warehouse, WarehouseEventType type, string transferId, int quantity) => new([new JournaledEvent
        {
            Sequence = sequence,
            Event = new WarehouseEvent
            {
                EventId = $"{transferId}-{type}-{sequence}",
                WarehouseId = warehouse,
                Sku = sku,
                Type = type,
                Quantity = quantity,
                TransferId = transferId,
                OccurredAt = at,
            },
        }]);

        // In order, each batch once.
        await source.Process(Batch(1, from, WarehouseEventType.TransferShipped, inOrder, 5));
        await destination.Process(Batch(1, to, WarehouseEventType.TransferReceived, inOrder, 5));
        // Receipt before shipment, and every batch delivered twice.
        var received = Batch(2, to, WarehouseEventType.TransferReceived, reordered, 5);
        var shipped = Batch(2, from, WarehouseEventType.TransferShipped, reordered, 5);
        await destination.Process(received);
        var early = (await Transfer(reordered).Get())!;
        await destination.Process(received);
        await source.Process(shipped);
        await source.Process(shipped);

        Assert.Equal(TransferStatus.PartiallyReceived, early.Status);
        Assert.Equal(0, early.Lines[0].InTransitQuantity);
        var a = (await Transfer(inOrder).Get())!;
        var b = (await Transfer(reordered).Get())!;
        Assert.Equal(a.Lines.Select(l => l with { Sku = "", Eta = null }), b.Lines.Select(l => l with { Sku = "", Eta = null }));
        Assert.Equal((TransferStatus.Received, TransferStatus.Received), (a.Status, b.Status));
        Assert.Equal((5, 5, 0), (b.Lines[0].ShippedQuantity, b.Lines[0].ReceivedQuantity, b.Lines[0].InTransitQuantity));
        Assert.Single(b.Timeline, t => t.Description.StartsWith("shipped", StringComparison.Ordinal));
        Assert.Single(b.Timeline, t => t.Description.StartsWith("received", StringComparison.Ordinal));
        var src = await hub.PositionAsync(from, sku);
        var dst = await hub.PositionAsync(to, sku);
        Assert.Equal((10, 0), (src.OnHand, src.Reserved));
        Assert.Equal(10, dst.OnHand);
        Assert.Empty(dst.Inbound);
    }

    [Fact]
    public async Task Shipping_more_than_reserved_or_at_the_wrong_warehouse_and_unknown_transfers_are_dead_lettered()
    {
        var (from, to, skus) = await NetworkAsync(10);
        var sku = skus[0];
        var id = Unique("tr");
        await CreatedAsync(Request(id, from, to, (sku, 3)));
        var tooMany = hub.Event("TransferShipped", from, sku, 4, id);
        var wrongEnd = hub.Event("TransferShipped", to, sku, 1, id);
        var unknown = hub.Event("TransferReceived", to, sku, 2, Unique("nope"));

        await hub.IngestAsync(tooMany, wrongEnd, unknown);

        foreach (var (e, reason) in new[] { (tooMany, "only 3 unit(s) are reserved"), (wrongEnd, $"ships from '{from}'"), (unknown, "unknown transfer") })
        {
            var exception = await HubCluster.EventuallyAsync(() => Exceptions.Get(ExceptionIds.ForEvent(e.EventId!)), x => x is not null, $"'{e.EventId}' is dead-lettered");
            Assert.Equal(ExceptionKind.DeadLetter, exception!.Kind);
            Assert.Contains(reason, exception.Reason, StringComparison.Ordinal);
            Assert.True(exception.Retryable);
        }

        var position = await hub.PositionAsync(from, sku);
        Assert.Equal((10, 3), (position.OnHand, position.Reserved));
        Assert.Equal(0, (await hub.PositionAsync(to, sku)).OnHand);
        Assert.Equal(TransferStatus.Requested, (await Transfer(id).Get())!.Status);
    }

    [Fact]
    public async Task Past_its_eta_a_transfer_in_transit_raises_an_overdue_exception_that_resolves_on_receipt()
    {
        var (from, to, skus) = await NetworkAsync(10, 10);
        var id = Unique("tr");
        var grainId = Transfer(id).GetGrainId();
        await CreatedAsync(Request(id, from, to, (skus[0], 4), (skus[1], 5)));
        await hub.IngestAsync(hub.Event("TransferShipped", from, skus[0], 4, id), hub.Event("TransferShipped", from, skus[1], 5, id));
        var eta = hub.Time.GetUtcNow().AddDays(TransitDays);
        await TransferUntilAsync(id, t => t.Status == TransferStatus.Shipped, "the transfer is shipped");
        await hub.IngestAsync(hub.Event("TransferReceived", to, skus[1], 3, id));
        await TransferUntilAsync(id, t => t.Status == TransferStatus.PartiallyReceived, "part is received");

        hub.Time.Advance(TimeSpan.FromDays(TransitDays) - TimeSpan.FromMinutes(1));
        Assert.DoesNotContain(grainId, await hub.SweepAsync());
        Assert.Null(await Exceptions.Get(ExceptionIds.TransferOverdue(id)));

        hub.Time.Advance(TimeSpan.FromMinutes(2));
        Assert.Contains(grainId, await hub.SweepAsync());
        Assert.DoesNotContain(grainId, await hub.SweepAsync()); // reviewed once per ETA

        var overdue = (await Exceptions.Get(ExceptionIds.TransferOverdue(id)))!;
        Assert.Equal((ExceptionKind.TransferOverdue, ExceptionStatus.Open, 1), (overdue.Kind, overdue.Status, overdue.Occurrences));
        Assert.Equal((id, to, eta), (overdue.TransferId, overdue.WarehouseId, overdue.OccurredAt));
        Assert.Contains($"4 unit(s) of '{skus[0]}'", overdue.Reason, StringComparison.Ordinal);
        Assert.Contains($"2 unit(s) of '{skus[1]}'", overdue.Reason, StringComparison.Ordinal);
        var shortLine = (await Exceptions.Get(ExceptionIds.ReceiptDiscrepancy(id, skus[1])))!;
        Assert.Equal(ExceptionKind.ReceiptDiscrepancy, shortLine.Kind);
        Assert.Contains("received only 3 of 5", shortLine.Reason, StringComparison.Ordinal);
        Assert.Null(await Exceptions.Get(ExceptionIds.ReceiptDiscrepancy(id, skus[0])));

        await hub.IngestAsync(hub.Event("TransferReceived", to, skus[0], 4, id), hub.Event("TransferReceived", to, skus[1], 2, id));

        await TransferUntilAsync(id, t => t.Status == TransferStatus.Received, "everything is received");
        await HubCluster.EventuallyAsync(() => Exceptions.Get(overdue.Id), x => x!.Status == ExceptionStatus.Resolved, "the overdue exception resolves");
        Assert.Equal(ExceptionStatus.Resolved, (await Exceptions.Get(shortLine.Id))!.Status);
    }

    [Fact]
    public async Task Receiving_more_than_the_transfer_carries_raises_a_receipt_discrepancy()
    {
        var (from, to, skus) = await NetworkAsync(10);
        var id = Unique("tr");
        await CreatedAsync(Request(id, from, to, (skus[0], 4)));
        await hub.IngestAsync(hub.Event("TransferShipped", from, skus[0], 4, id));
        await hub.IngestAsync(hub.Event("TransferReceived", to, skus[0], 6, id));

        var over = await HubCluster.EventuallyAsync(() => Exceptions.Get(ExceptionIds.ReceiptDiscrepancy(id, skus[0])), x => x is not null, "the over-receipt is raised");
        Assert.Contains("received 6 unit(s)", over!.Reason, StringComparison.Ordinal);
        var view = await TransferUntilAsync(id, t => t.Status == TransferStatus.Received, "the transfer is received");
        Assert.Equal((4, 6, 0), (view.Lines[0].ShippedQuantity, view.Lines[0].ReceivedQuantity, view.Lines[0].InTransitQuantity));
        Assert.Equal(6, (await hub.PositionAsync(to, skus[0])).OnHand);
    }

    [Fact]
    public async Task A_creation_interrupted_after_its_intent_is_resumed_by_the_sweep_without_holding_twice()
    {
        var (from, to, skus) = await NetworkAsync(10);
        var sku = skus[0];
        var id = Unique("tr");
        var request = Request(id, from, to, (sku, 4));
        // What a silo that crashed mid-creation leaves: the intent stored, one reservation made.
        var storage = hub.Cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(GrainStorage.Name);
        await storage.WriteStateAsync("transfer", Transfer(id).GetGrainId(), new GrainState<TransferState>(new TransferState
        {
            Request = request,
            Fingerprint = TransferValidation.Fingerprint(request),
            Status = TransferStatus.Reserving,
            CreatedAt = hub.Time.GetUtcNow(),
            TransitDays = TransitDays,
            Lines = [new TransferLineState { Sku = sku, Quantity = 4 }],
            IntentDeadline = hub.Time.GetUtcNow().AddMinutes(1),
        }));
        var location = hub.Grains.GetGrain<ISkuLocationGrain>(SkuLocationKey.Format(from, sku));
        await location.Reserve(new ReservationRequest
        {
            OrderId = id,
            LineId = sku,
            Quantity = 4,
            ExpiresAt = hub.Time.GetUtcNow().AddDays(1),
            Owner = ReservationOwner.Transfer,
        });

        hub.Time.Advance(TimeSpan.FromMinutes(2));
        Assert.Contains(Transfer(id).GetGrainId(), await hub.SweepAsync());

        var view = await TransferUntilAsync(id, t => t.Status == TransferStatus.Requested, "the creation is resumed");
        Assert.Contains(view.Timeline, t => t.Description == "resumed after an interruption");
        Assert.Equal(4, (await hub.PositionAsync(from, sku)).Reserved);
        // The client's retry of the interrupted request gets the result.
        var retry = await Transfer(id).Create(request);
        Assert.Equal((CommandOutcome.Replayed, TransferStatus.Requested), (retry.Outcome, retry.Transfer!.Status));
        Assert.Equal(4, (await hub.PositionAsync(from, sku)).Reserved);
    }

    [Fact]
    public async Task An_expired_reservation_is_checked_with_the_transfer_that_owns_it()
    {
        var (from, to, skus) = await NetworkAsync(10);
        var sku = skus[0];
        var id = Unique("tr");
        await CreatedAsync(Request(id, from, to, (sku, 3)));
        // A reservation in the name of a transfer that does not exist (it gave up on it, say).
        var location = hub.Grains.GetGrain<ISkuLocationGrain>(SkuLocationKey.Format(from, sku));
        var orphan = Unique("gone");
        Assert.True((await location.Reserve(new ReservationRequest
        {
            OrderId = orphan,
            LineId = sku,
            Quantity = 2,
            ExpiresAt = hub.Time.GetUtcNow().AddHours(1),
            Owner = ReservationOwner.Transfer,
        })).Succeeded);

        hub.Time.Advance(TimeSpan.FromDays(1.5));
        await location.Wake();

        var position = await hub.PositionAsync(from, sku);
        var kept = Assert.Single(position.Reservations);
        Assert.Equal((id, 3), (kept.OrderId, kept.Quantity));
        Assert.True(kept.ExpiresAt > hub.Time.GetUtcNow(), "the owned reservation is renewed");
        Assert.Equal(3, position.Reserved);
    }
}
