using Distribution.Inventory;
using Distribution.Operations;
using Distribution.Replenishment;
using static Distribution.Tests.OrderTestData;

namespace Distribution.Tests;

/// <summary>
/// Live stock health per warehouse: the SKUs tell their warehouse's counts when a location's health
/// changes, so the operations page sees a stockout without a replenishment pass.
/// </summary>
public sealed class LiveStockHealthTests(HubCluster hub) : IClassFixture<HubCluster>
{
    [Fact]
    public async Task A_stockout_shows_up_and_clears_without_a_replenishment_pass()
    {
        var warehouse = Unique("WH");
        await hub.AddWarehouseAsync(warehouse, 50.0, 8.0);
        var (selling, steady) = (Unique("SKU"), Unique("SKU"));
        foreach (var sku in new[] { selling, steady })
        {
            await hub.AddItemAsync(sku);
            await hub.StockAsync(warehouse, sku, 4);
        }

        var health = hub.Grains.GetGrain<IStockHealthGrain>(warehouse);
        await HubCluster.EventuallyAsync(health.Current, h => h.Counts.Skus == 2, "both SKU-locations are counted as they appear");
        Assert.Equal(0, (await health.Current()).Counts.Stockouts);

        var countedAt = hub.Time.GetUtcNow();
        await hub.StockAsync(warehouse, selling, 0);
        var now = await HubCluster.EventuallyAsync(health.Current, h => h.Counts.Stockouts == 1, "the stockout is counted at once");
        Assert.Equal((2, 0), (now.Counts.Skus, now.Counts.WithPolicy));
        Assert.True(now.AsOf >= countedAt, $"as of {now.AsOf}, the change was at {countedAt} or later");

        await hub.StockAsync(warehouse, selling, 6);
        await HubCluster.EventuallyAsync(health.Current, h => h.Counts.Stockouts == 0, "the restock clears it");
        // No pass counted this warehouse: the counts above were told by the SKU.
        var pass = await hub.Grains.GetGrain<IReplenishmentReviewGrain>(IReplenishmentReviewGrain.Key).LastPass();
        Assert.DoesNotContain(pass?.StockHealth ?? [], h => h.WarehouseId == warehouse);
    }

    [Fact]
    public async Task A_policy_is_counted_when_it_reaches_the_location()
    {
        var warehouse = Unique("WH");
        await hub.AddWarehouseAsync(warehouse, 50.0, 8.0);
        var sku = Unique("SKU");
        await hub.AddItemAsync(sku);
        await hub.StockAsync(warehouse, sku, 10);

        var set = await hub.Grains.GetGrain<ISkuGrain>(sku).SetPolicy(warehouse, new ReplenishmentPolicy { Kind = ReplenishmentPolicyKind.ReorderPoint, ReorderPoint = 5, OrderQuantity = 10 });
        Assert.Empty(set.Errors);

        var now = await HubCluster.EventuallyAsync(hub.Grains.GetGrain<IStockHealthGrain>(warehouse).Current, h => h.Counts.WithPolicy == 1, "the policy is counted");
        Assert.Equal((1, 0), (now.Counts.Skus, now.Counts.Stockouts));
    }
}
