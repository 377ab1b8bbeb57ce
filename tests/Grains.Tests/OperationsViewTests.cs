using Distribution.Common;
using Distribution.Events;
using Distribution.Inventory;
using Distribution.Operations;
using Distribution.Replenishment;
using Distribution.Transfers;
using static Distribution.Tests.OrderTestData;

namespace Distribution.Tests;

/// <summary>
/// What the operations page reads without walking grains: the transfers in transit (told by the
/// transfers) and stock health per warehouse (counted by the replenishment pass).
/// </summary>
public sealed class OperationsViewTests(HubCluster hub) : IClassFixture<HubCluster>
{
    private ITransfersInTransitGrain InTransit => hub.Grains.GetGrain<ITransfersInTransitGrain>(ITransfersInTransitGrain.Key);

    [Fact]
    public async Task A_transfer_is_listed_in_transit_from_its_first_shipment_until_everything_arrived()
    {
        var (from, to) = (Unique("SRC"), Unique("DST"));
        await hub.AddWarehouseAsync(from, 52.37, 4.90);
        await hub.AddWarehouseAsync(to, 52.52, 13.40);
        await hub.AddLaneAsync(from, to, 2);
        var (a, b) = (Unique("SKU"), Unique("SKU"));
        foreach (var sku in new[] { a, b })
        {
            await hub.AddItemAsync(sku);
            await hub.StockAsync(from, sku, 10);
        }

        var shipping = Unique("tr");
        var cancelled = Unique("tr");
        Assert.Equal(CommandOutcome.Created, (await hub.Grains.GetGrain<ITransferGrain>(shipping).Create(Request(shipping, from, to, (a, 4), (b, 2)))).Outcome);
        Assert.Equal(CommandOutcome.Created, (await hub.Grains.GetGrain<ITransferGrain>(cancelled).Create(Request(cancelled, from, to, (a, 1)))).Outcome);
        Assert.Equal(CommandOutcome.Updated, (await hub.Grains.GetGrain<ITransferGrain>(cancelled).Cancel()).Outcome);
        Assert.DoesNotContain(await InTransit.List(), t => t.TransferId == shipping || t.TransferId == cancelled);

        var shippedAt = hub.Time.GetUtcNow();
        await hub.IngestAsync(hub.Event("TransferShipped", from, a, 4, shipping));
        var listed = await UntilListedAsync(shipping, t => t?.Units == 4, "the first shipment is in transit");
        Assert.Equal((from, to, shippedAt.AddDays(2), TransferStatus.PartiallyShipped), (listed!.FromWarehouseId, listed.ToWarehouseId, listed.Eta, listed.Status));

        await hub.IngestAsync(hub.Event("TransferShipped", from, b, 2, shipping));
        await UntilListedAsync(shipping, t => t?.Units == 6, "both lines are in transit");
        await hub.IngestAsync(hub.Event("TransferReceived", to, a, 4, shipping));
        await UntilListedAsync(shipping, t => t?.Units == 2, "what arrived left the road");
        await hub.IngestAsync(hub.Event("TransferReceived", to, b, 2, shipping));
        await UntilListedAsync(shipping, t => t is null, "a transfer received in full is no longer in transit");
        Assert.DoesNotContain(await InTransit.List(), t => t.TransferId == cancelled);
    }

    [Fact]
    public async Task The_replenishment_pass_counts_skus_below_their_reorder_point_and_stockouts_per_warehouse()
    {
        var warehouse = Unique("WH");
        await hub.AddWarehouseAsync(warehouse, 50.0, 8.0);
        var (low, empty, plenty) = (Unique("SKU"), Unique("SKU"), Unique("SKU"));
        foreach (var (sku, onHand) in new[] { (low, 3), (empty, 0), (plenty, 50) })
        {
            await hub.AddItemAsync(sku);
            await hub.StockAsync(warehouse, sku, onHand);
        }

        // Reorder point 5: 3 on hand is below it; 50 is not. The empty SKU has no policy: a stockout only.
        foreach (var sku in new[] { low, plenty })
        {
            var view = hub.Grains.GetGrain<ISkuGrain>(sku);
            Assert.Empty((await view.SetPolicy(warehouse, new ReplenishmentPolicy { Kind = ReplenishmentPolicyKind.ReorderPoint, ReorderPoint = 5, OrderQuantity = 10 })).Errors);
            await HubCluster.EventuallyAsync(async () => (await view.GetAvailability())!.Locations.Any(l => l.Policy is not null), "the policy reached the view");
        }

        var pass = await hub.Grains.GetGrain<IReplenishmentReviewGrain>(IReplenishmentReviewGrain.Key).RunPass();

        var health = Assert.Single(pass.StockHealth, h => h.WarehouseId == warehouse);
        Assert.Equal((3, 2, 1, 1), (health.Skus, health.WithPolicy, health.BelowReorderPoint, health.Stockouts));
        var stored = await hub.Grains.GetGrain<IReplenishmentReviewGrain>(IReplenishmentReviewGrain.Key).LastPass();
        Assert.Equal(health, Assert.Single(stored!.StockHealth, h => h.WarehouseId == warehouse));
    }

    private static TransferRequest Request(string id, string from, string to, params (string Sku, int Quantity)[] lines) => new()
    {
        TransferId = id,
        FromWarehouseId = from,
        ToWarehouseId = to,
        Lines = [.. lines.Select(l => new TransferLineRequest { Sku = l.Sku, Quantity = l.Quantity })],
    };



    private async Task<InTransitTransfer?> UntilListedAsync(string transferId, Func<InTransitTransfer?, bool> until, string because)
    {
        InTransitTransfer? found = null;
        await HubCluster.EventuallyAsync(async () => until(found = (await InTransit.List()).FirstOrDefault(t => t.TransferId == transferId)), because);
        return found;
    }
}
