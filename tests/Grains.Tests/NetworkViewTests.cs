using Distribution.Common;
using Distribution.Inventory;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using static Distribution.Tests.OrderTestData;

namespace Distribution.Tests;

/// <summary>The per-SKU availability view stays true to its SKU-locations when reports go missing.</summary>
public sealed class NetworkViewTests(HubCluster hub) : IClassFixture<HubCluster>
{
    [Fact]
    public async Task A_report_the_view_never_received_is_sent_again_so_the_view_catches_up()
    {
        var (warehouse, sku) = (Unique("W"), Unique("SKU"));
        await hub.AddWarehouseAsync(warehouse, 50.0, 8.5);
        await hub.AddItemAsync(sku);
        await hub.StockAsync(warehouse, sku, 10);
        var view = hub.Grains.GetGrain<ISkuGrain>(sku);
        await HubCluster.EventuallyAsync(async () => (await view.GetAvailability())!.Total.OnHand == 10, "the view shows the first stock");

        // The view's silo "dies" with the report of the new count queued; nothing else changes
        // at this SKU-location afterwards, so only a re-sent report can bring the view up to date.
        LostReports.Drop(sku);
        await hub.StockAsync(warehouse, sku, 4, waitForView: false);
        await HubCluster.EventuallyAsync(() => Task.FromResult(LostReports.LostCount(sku) > 0), "a report was lost");
        Assert.Equal(10, (await view.GetAvailability())!.Total.OnHand);
        LostReports.Deliver(sku);

        await HubCluster.EventuallyAsync(async () => (await view.GetAvailability())!.Total.OnHand == 4, "the view shows the count after the lost report");
        Assert.Equal(4, (await hub.PositionAsync(warehouse, sku)).OnHand);
    }

    [Fact]
    public async Task After_a_silo_loss_the_views_reread_their_locations_and_show_a_change_whose_report_died_with_it()
    {
        var (warehouse, sku) = (Unique("W"), Unique("SKU"));
        await hub.AddWarehouseAsync(warehouse, 50.0, 8.5);
        await hub.AddItemAsync(sku);
        await hub.StockAsync(warehouse, sku, 10);
        var view = hub.Grains.GetGrain<ISkuGrain>(sku);

        // The count is stored, but its report never arrives and the SKU-location's activation is
        // gone (its silo died): nothing in memory will send it again.
        LostReports.Drop(sku);
        await hub.StockAsync(warehouse, sku, 4, waitForView: false);
        await HubCluster.EventuallyAsync(() => Task.FromResult(LostReports.LostCount(sku) > 0), "a report was lost");
        var location = hub.Grains.GetGrain<ISkuLocationGrain>(SkuLocationKey.Format(warehouse, sku));
        await hub.Cluster.DeactivateAsync(location);
        LostReports.Deliver(sku);
        await Task.Delay(300);
        Assert.Equal(10, (await view.GetAvailability())!.Total.OnHand);

        // What each silo does for its views when membership declares a silo dead.
        await view.RefreshLocations();

        Assert.Equal(4, (await view.GetAvailability())!.Total.OnHand);
    }

    [Fact]
    public async Task A_view_that_activates_with_its_item_tells_its_silo_the_sku_is_known_so_no_check_asks_it()
    {
        // A stored view with its item, as a silo that restarts finds it; nothing has asked about the SKU.
        var sku = Unique("SKU");
        var storage = hub.Cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(GrainStorage.Name);
        await storage.WriteStateAsync("sku", hub.Grains.GetGrain<ISkuGrain>(sku).GetGrainId(), new GrainState<SkuState>(new SkuState
        {
            Item = new ItemInfo { Sku = sku, Description = sku, UnitOfMeasure = "EA" },
        }));
        var silos = hub.Cluster.Silos.Select(s => s.ServiceProvider.GetRequiredService<KnownItems>()).ToList();
        Assert.DoesNotContain(silos, s => s.Knows(sku));

        Assert.NotNull(await hub.Grains.GetGrain<ISkuGrain>(sku).GetItem());

        // Known on the view's silo; a SKU without an item is not.
        Assert.Contains(silos, s => s.Knows(sku));
        var other = Unique("SKU");
        await hub.Grains.GetGrain<ISkuGrain>(other).GetItem();
        Assert.DoesNotContain(silos, s => s.Knows(other));

        // Its item set later (the view is live without one), the SKU is known from then on.
        await hub.AddItemAsync(other);
        Assert.Contains(silos, s => s.Knows(other));
    }
}
