using Distribution.Common;
using Distribution.Events;
using Distribution.Inventory;
using Distribution.Operations;
using Distribution.Orders;
using static Distribution.Tests.OrderTestData;

namespace Distribution.Tests;

/// <summary>
/// Warehouse events on a 2-silo cluster with a fake business clock: redelivery, business-time
/// exceptions (promise breaches, overdue backorders), retries and replays.
/// </summary>
public sealed class EventTests(HubCluster hub) : IClassFixture<HubCluster>
{
    private static readonly GeoPoint Frankfurt = new(50.11, 8.68);

    private IExceptionQueueGrain Exceptions => hub.Grains.GetGrain<IExceptionQueueGrain>(0);

    private WarehouseEventRequest Event(string warehouse, string type, string sku, int quantity, string? orderId = null, string? lineId = null, string? reason = null) => new()
    {
        EventId = Unique("ev"),
        WarehouseId = warehouse,
        Type = type,
        Sku = sku,
        Quantity = quantity,
        OrderId = orderId,
        LineId = lineId,
        ReasonCode = reason,
        OccurredAt = hub.Time.GetUtcNow(),
    };

    private async Task<EventBatchResult> PostAsync(params WarehouseEventRequest[] events)
    {
        var result = await hub.Grains.GetGrain<IEventIngestGrain>(0).Ingest(events);
        Assert.Equal(0, result.Rejected);
        return result;
    }

    private async Task<(string Warehouse, string Sku)> StockedAsync(int onHand)
    {
        var (wh, sku) = (Unique("WH"), Unique("SKU"));
        await hub.AddWarehouseAsync(wh, 50.0, 8.5);
        await hub.AddItemAsync(sku);
        await hub.StockAsync(wh, sku, onHand);
        return (wh, sku);
    }

    private static JournaledEvent Journaled(long sequence, string wh, string sku, WarehouseEventType type, int quantity, string? orderId = null) => new()
    {
        Sequence = sequence,
        Event = new WarehouseEvent
        {
            EventId = $"j{sequence}-{Guid.NewGuid():N}",
            WarehouseId = wh,
            Sku = sku,
            Type = type,
            Quantity = quantity,
            OrderId = orderId,
            LineId = orderId is null ? null : "1",
            OccurredAt = HubCluster.Start,
        },
    };

    [Fact]
    public async Task Redelivered_events_are_recognised_by_sequence_and_change_nothing()
    {
        var (wh, sku) = await StockedAsync(10);
        var location = hub.Grains.GetGrain<ISkuLocationGrain>(SkuLocationKey.Format(wh, sku));
        List<JournaledEvent> batch = [Journaled(1, wh, sku, WarehouseEventType.Received, 5), Journaled(2, wh, sku, WarehouseEventType.Counted, 12)];

        var first = await location.ApplyEvents(batch, null, null);
        var again = await location.ApplyEvents(batch, null, null);
        var older = await location.ApplyEvents([Journaled(1, wh, sku, WarehouseEventType.Received, 99)], null, null);

        Assert.All(first.Items, r => Assert.Equal(EventEffect.Applied, r.Effect));
        Assert.All(again.Items.Concat(older.Items), r => Assert.Equal(EventEffect.Duplicate, r.Effect));
        var position = await hub.PositionAsync(wh, sku);
        Assert.Equal((12, 2L), (position.OnHand, position.LastEventSequence));
        // The count is recorded as the adjustment it implies (15 counted as 12: -3).
        Assert.Equal([-3, 5], position.RecentMovements.Select(m => m.Delta));
    }

    [Fact]
    public async Task A_batch_processed_twice_ships_once_and_the_order_timeline_has_each_step_once()
    {
        var (wh, sku) = await StockedAsync(10);
        var id = Unique("o");
        await hub.Grains.GetGrain<IOrderGrain>(id).Place(Order(id, Frankfurt, (sku, 4)));
        var batch = new WarehouseEventBatch([
            Journaled(101, wh, sku, WarehouseEventType.Picked, 4, id) with { CorrelationId = "pick-wave-7" },
            Journaled(102, wh, sku, WarehouseEventType.Shipped, 3, id),
        ]);
        var consumer = hub.Grains.GetGrain<IWarehouseEventsGrain>(wh);

        await consumer.Process(batch);
        await consumer.Process(batch);

        var order = (await hub.Grains.GetGrain<IOrderGrain>(id).Get())!;
        var line = order.Lines.Single();
        Assert.Equal(OrderStatus.PartiallyShipped, order.Status);
        Assert.Equal((4, 3), (line.PickedQuantity, line.ShippedQuantity));
        var steps = order.Timeline.Where(t => t.Description.Contains("event", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, steps.Count);
        Assert.Equal(OrderStatus.Released, steps[0].Status);
        Assert.Equal("pick-wave-7", steps[0].CorrelationId);
        Assert.All(steps, s => Assert.Equal(HubCluster.Start, s.At)); // business time of the events
        var position = await hub.PositionAsync(wh, sku);
        Assert.Equal((6, 0), (position.OnHand, position.Reserved));
    }

    [Fact]
    public async Task A_shipment_after_the_promised_ship_date_raises_a_promise_breach()
    {
        var (wh, sku) = await StockedAsync(10);
        var id = Unique("o");
        var placed = await hub.Grains.GetGrain<IOrderGrain>(id).Place(Order(id, Frankfurt, (sku, 2)));
        var promised = placed.Order!.Lines.Single().Allocations.Single().PromisedShipDate;

        hub.Time.Advance(TimeSpan.FromDays(2));
        await PostAsync(Event(wh, "Shipped", sku, 2, id, "1"));

        var breachId = ExceptionIds.PromiseBreach(id, "1", wh);
        await HubCluster.EventuallyAsync(async () => await Exceptions.Get(breachId) is not null, "the breach is raised");
        var breach = (await Exceptions.Get(breachId))!;
        Assert.Equal(ExceptionKind.PromiseBreach, breach.Kind);
        Assert.Contains(promised.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), breach.Reason, StringComparison.Ordinal);
        Assert.False(breach.Retryable);
        Assert.Equal(OrderStatus.Shipped, (await hub.Grains.GetGrain<IOrderGrain>(id).Get())!.Status);
        Assert.Equal(CommandOutcome.Conflict, (await Exceptions.Retry(breachId)).Outcome);
    }

    [Fact]
    public async Task A_backorder_past_its_requested_date_is_raised_once_and_resolves_when_stock_arrives()
    {
        var (wh, sku) = await StockedAsync(0);
        var id = Unique("o");
        var order = hub.Grains.GetGrain<IOrderGrain>(id);
        var today = DateOnly.FromDateTime(hub.Time.GetUtcNow().UtcDateTime);
        await order.Place(Order(id, Frankfurt, (sku, 3)) with { AllowBackorder = true, RequestedDeliveryDate = today });

        await order.Wake(); // not yet due: nothing raised
        Assert.Null(await Exceptions.Get(ExceptionIds.BackorderOverdue(id)));

        hub.Time.Advance(TimeSpan.FromDays(1.5));
        await order.Wake();
        await order.Wake();
        var raised = (await Exceptions.Get(ExceptionIds.BackorderOverdue(id)))!;
        Assert.Equal((ExceptionKind.BackorderOverdue, ExceptionStatus.Open, 1), (raised.Kind, raised.Status, raised.Occurrences));

        // Retry with no stock: stays open. Stock arrives: allocated and resolved on its own.
        Assert.Equal(ExceptionStatus.Open, (await Exceptions.Retry(raised.Id)).Exception!.Status);
        await PostAsync(Event(wh, "Received", sku, 5));
        await HubCluster.EventuallyAsync(
            async () => (await Exceptions.Get(raised.Id))!.Status == ExceptionStatus.Resolved,
            "the overdue backorder resolves once allocated");
        Assert.Equal(OrderStatus.Allocated, (await order.Get())!.Status);
    }

    [Fact]
    public async Task A_dead_letter_retried_twice_at_once_is_applied_once()
    {
        var wh = Unique("WH");
        var sku = Unique("SKU");
        await hub.AddWarehouseAsync(wh, 50.0, 8.5);
        var received = Event(wh, "Received", sku, 7);
        await PostAsync(received);
        var id = ExceptionIds.ForEvent(received.EventId!);
        await HubCluster.EventuallyAsync(async () => await Exceptions.Get(id) is not null, "the unknown SKU is dead-lettered");
        Assert.Contains("unknown SKU", (await Exceptions.Get(id))!.Reason, StringComparison.Ordinal);

        await hub.AddItemAsync(sku);
        var retries = await Task.WhenAll(Exceptions.Retry(id), Exceptions.Retry(id));

        Assert.Single(retries, r => r.Outcome == CommandOutcome.Updated);
        Assert.Single(retries, r => r.Outcome == CommandOutcome.Conflict);
        await HubCluster.EventuallyAsync(async () => (await Exceptions.Get(id))!.Status == ExceptionStatus.Resolved, "the re-driven event applies");
        Assert.Equal(7, (await hub.PositionAsync(wh, sku)).OnHand);
        // The original sequence replayed again is still a duplicate: no second application.
        var replay = await hub.Grains.GetGrain<IEventIngestGrain>(0).Replay(hub.Time.GetUtcNow().AddHours(-1), hub.Time.GetUtcNow().AddHours(1), wh);
        Assert.True(replay.Redelivered >= 2);
        Assert.Equal(7, (await hub.PositionAsync(wh, sku)).OnHand);
    }
}
