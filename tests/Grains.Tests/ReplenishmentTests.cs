using Distribution.Common;
using Distribution.Inventory;
using Distribution.Network;
using Distribution.Purchasing;
using Distribution.Replenishment;
using Distribution.Transfers;
using static Distribution.Tests.OrderTestData;

namespace Distribution.Tests;

/// <summary>The network planner on a 2-silo cluster: transfer or buy, no duplicates, receiving capacity, approve (a transfer, or a sent purchase order), automatic mode, dismiss.</summary>
public sealed class ReplenishmentTests(HubCluster hub) : IClassFixture<HubCluster>
{
    private static readonly DateOnly Today = DateOnly.FromDateTime(HubCluster.Start.UtcDateTime);

    [Fact]
    public async Task A_warehouse_with_surplus_on_a_fast_lane_gets_a_transfer_proposed_once_and_approving_creates_it()
    {
        var (destination, source, sku) = await NetworkAsync(destinationStock: 5, sourceStock: 100);

        await RunPassAsync();
        var proposed = await OpenAsync(destination);
        var recommendation = Assert.Single(proposed, r => r.Sku == sku);
        Assert.Equal((RecommendationKind.Transfer, source, 20, Today.AddDays(1)),
            (recommendation.Kind, recommendation.SourceId, recommendation.Quantity, recommendation.ExpectedArrival));

        // The same need, reviewed again, is already covered.
        await RunPassAsync();
        Assert.Single(await OpenAsync(destination), r => r.Sku == sku);

        var board = hub.Grains.GetGrain<IReplenishmentBoardGrain>(destination);
        var approved = await board.Approve(recommendation.RecommendationId);
        Assert.Equal(RecommendationStatus.Approved, approved.Recommendation!.Status);
        var transfer = await hub.Grains.GetGrain<ITransferGrain>(recommendation.RecommendationId).Get();
        Assert.Equal(TransferStatus.Requested, transfer!.Status);
        Assert.Equal(20, (await hub.PositionAsync(source, sku)).Reserved);
        Assert.Equal(CommandOutcome.Replayed, (await board.Approve(recommendation.RecommendationId)).Outcome);

        // Approved and not yet in transit: still covers the need, so nothing new is proposed.
        await RunPassAsync();
        Assert.DoesNotContain(await board.List(null), r => r.Sku == sku && r.RecommendationId != recommendation.RecommendationId);
    }

    [Fact]
    public async Task Without_surplus_elsewhere_the_supplier_gets_the_order_and_a_dismissed_one_is_proposed_again()
    {
        var (destination, _, sku) = await NetworkAsync(destinationStock: 5, sourceStock: 5);

        await RunPassAsync();
        var recommendation = Assert.Single(await OpenAsync(destination), r => r.Sku == sku);
        Assert.Equal((RecommendationKind.Purchase, "SUP-SLOW", 20, Today.AddDays(10)),
            (recommendation.Kind, recommendation.SourceId, recommendation.Quantity, recommendation.ExpectedArrival));

        var board = hub.Grains.GetGrain<IReplenishmentBoardGrain>(destination);
        var dismissed = await board.Dismiss(recommendation.RecommendationId, "bought elsewhere");
        Assert.Equal((RecommendationStatus.Dismissed, "bought elsewhere"), (dismissed.Recommendation!.Status, dismissed.Recommendation.Note));
        Assert.Equal(CommandOutcome.Conflict, (await board.Approve(recommendation.RecommendationId)).Outcome);

        await RunPassAsync();
        var again = Assert.Single(await OpenAsync(destination), r => r.Sku == sku);
        Assert.NotEqual(recommendation.RecommendationId, again.RecommendationId);
    }

    [Fact]
    public async Task Approving_a_purchase_creates_a_sent_purchase_order_on_order_at_the_destination_and_the_need_is_covered()
    {
        var (destination, _, sku) = await NetworkAsync(destinationStock: 5, sourceStock: 5);
        await RunPassAsync();
        var recommendation = Assert.Single(await OpenAsync(destination), r => r.Sku == sku);
        Assert.Equal(RecommendationKind.Purchase, recommendation.Kind);
        var board = hub.Grains.GetGrain<IReplenishmentBoardGrain>(destination);

        var approved = await board.Approve(recommendation.RecommendationId);

        Assert.Equal((CommandOutcome.Updated, RecommendationStatus.Approved), (approved.Outcome, approved.Recommendation!.Status));
        var po = (await hub.Grains.GetGrain<IPurchaseOrderGrain>(recommendation.RecommendationId).Get())!;
        Assert.Equal((PurchaseOrderStatus.Sent, "SUP-SLOW", destination), (po.Status, po.SupplierId, po.WarehouseId));
        Assert.Equal((sku, 20), (Assert.Single(po.Lines).Sku, po.Lines[0].OrderedQuantity));
        Assert.Equal(hub.Time.GetUtcNow().AddDays(10), po.Eta);
        Assert.StartsWith("replenishment:", po.Reason, StringComparison.Ordinal);
        var inbound = Assert.Single((await hub.PositionAsync(destination, sku)).Inbound);
        Assert.Equal((InboundSourceKind.PurchaseOrder, recommendation.RecommendationId, 20), (inbound.SourceKind, inbound.SourceId, inbound.Quantity));
        Assert.Equal(CommandOutcome.Replayed, (await board.Approve(recommendation.RecommendationId)).Outcome);

        // Once the view counts the purchase order as inbound, the position covers the need.
        await HubCluster.EventuallyAsync(
            async () => (await hub.Grains.GetGrain<ISkuGrain>(sku).GetAvailability())!.Locations.Any(l => l.WarehouseId == destination && l.Inbound == 20),
            "the view shows the purchase order as inbound");
        await RunPassAsync();
        Assert.Equal([recommendation.RecommendationId], (await board.List(null)).Where(r => r.Sku == sku).Select(r => r.RecommendationId));
    }

    [Fact]
    public async Task An_automatic_policy_buys_at_once()
    {
        var (destination, _, sku) = await NetworkAsync(destinationStock: 5, sourceStock: 5, mode: ReplenishmentMode.Automatic);

        await RunPassAsync();

        var recommendation = Assert.Single(await hub.Grains.GetGrain<IReplenishmentBoardGrain>(destination).List(null), r => r.Sku == sku);
        Assert.Equal((RecommendationKind.Purchase, RecommendationStatus.Approved), (recommendation.Kind, recommendation.Status));
        var po = (await hub.Grains.GetGrain<IPurchaseOrderGrain>(recommendation.RecommendationId).Get())!;
        Assert.Equal(PurchaseOrderStatus.Sent, po.Status);
        Assert.Equal(20, Assert.Single((await hub.PositionAsync(destination, sku)).Inbound).Quantity);
    }

    [Fact]
    public async Task A_purchase_order_that_cannot_be_created_leaves_the_recommendation_open_with_the_reason()
    {
        var (destination, _, sku) = await NetworkAsync(destinationStock: 5, sourceStock: 5);
        await RunPassAsync();
        var recommendation = Assert.Single(await OpenAsync(destination), r => r.Sku == sku);
        // Someone already used the recommendation's id for another purchase order.
        var taken = await hub.Grains.GetGrain<IPurchaseOrderGrain>(recommendation.RecommendationId).Create(new PurchaseOrderRequest
        {
            PurchaseOrderId = recommendation.RecommendationId,
            SupplierId = "SUP-SLOW",
            WarehouseId = destination,
            Lines = [new PurchaseOrderLineRequest { Sku = sku, Quantity = 1 }],
        });
        Assert.Equal(CommandOutcome.Created, taken.Outcome);

        var refused = await hub.Grains.GetGrain<IReplenishmentBoardGrain>(destination).Approve(recommendation.RecommendationId);

        Assert.Equal(CommandOutcome.Conflict, refused.Outcome);
        Assert.Contains("purchase order was refused", Assert.Single(refused.Errors).Message, StringComparison.Ordinal);
        var open = Assert.Single(await OpenAsync(destination), r => r.Sku == sku);
        Assert.Contains("different body", open.RefusalReason, StringComparison.Ordinal);
        Assert.Equal(PurchaseOrderStatus.Created, (await hub.Grains.GetGrain<IPurchaseOrderGrain>(recommendation.RecommendationId).Get())!.Status);
    }

    [Fact]
    public async Task A_purchase_larger_than_the_receiving_capacity_arrives_over_several_days_each_part_on_its_day()
    {
        var (destination, _, sku) = await NetworkAsync(destinationStock: 5, sourceStock: 5, receivingCapacity: 15);

        await RunPassAsync();
        var parts = (await OpenAsync(destination)).Where(r => r.Sku == sku).OrderBy(r => r.ExpectedArrival).ToList();
        Assert.Equal([(Today.AddDays(10), 15), (Today.AddDays(11), 5)], parts.Select(r => (r.ExpectedArrival, r.Quantity)));

        // Approved, each part is a purchase order delivered on its planned day.
        var board = hub.Grains.GetGrain<IReplenishmentBoardGrain>(destination);
        foreach (var part in parts)
        {
            Assert.Equal(CommandOutcome.Updated, (await board.Approve(part.RecommendationId)).Outcome);
        }

        var arrivals = await Task.WhenAll(parts.Select(async p => (await hub.Grains.GetGrain<IPurchaseOrderGrain>(p.RecommendationId).Get())!.ExpectedArrival));
        Assert.Equal(hub.Time.GetUtcNow().AddDays(10), arrivals[0]);
        Assert.Equal(new DateTimeOffset(Today.AddDays(11).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), arrivals[1]);
    }

    [Fact]
    public async Task Above_the_reorder_point_nothing_is_proposed()
    {
        var (destination, _, sku) = await NetworkAsync(destinationStock: 50, sourceStock: 100);

        await RunPassAsync();
        Assert.DoesNotContain(await OpenAsync(destination), r => r.Sku == sku);
    }

    private Task<(string Destination, string Source, string Sku)> NetworkAsync(
        int destinationStock, int sourceStock, int? receivingCapacity = null, ReplenishmentMode mode = ReplenishmentMode.Recommend) =>
        ReplenishmentNetwork.CreateAsync(hub, destinationStock, sourceStock, receivingCapacity, mode);

    private Task<ReviewSummary> RunPassAsync() => hub.Grains.GetGrain<IReplenishmentReviewGrain>(IReplenishmentReviewGrain.Key).RunPass();

    private Task<IReadOnlyList<Recommendation>> OpenAsync(string warehouseId) =>
        hub.Grains.GetGrain<IReplenishmentBoardGrain>(warehouseId).List(RecommendationStatus.Open);
}
