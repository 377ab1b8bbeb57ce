using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Distribution.Tests;

/// <summary>
/// The silo's activation policy (configuration section Activations): idle SKU-locations and SKU
/// views are deactivated after their idle age, or sooner under memory pressure, and come back with
/// everything they held: stock, reservations, the order that holds them.
/// </summary>
public sealed class ActivationCollectionTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    private const string SkuLocationType = "Distribution.Inventory.SkuLocationGrain";
    private const string SkuViewType = "Distribution.Inventory.SkuGrain";
    private static readonly (string, double, double)[] Warehouses = [("W1", 51.0, 9.0), ("W2", 48.1, 11.6)];
    private static readonly string[] Skus = ["S1", "S2", "S3"];

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Idle_SKU_locations_and_views_are_collected_after_their_idle_age_and_come_back_with_their_reservations(bool durable)
    {
        await using var silo = await StartAsync(durable, new Dictionary<string, string>
        {
            ["Activations__InventoryIdleAge"] = "00:00:03",
            ["Activations__ScanInterval"] = "00:00:01",
        });

        await AssertCollectedAndIntactAsync(silo);
    }

    [Fact]
    public async Task Memory_pressure_sheds_idle_SKU_locations_long_before_their_idle_age_and_nothing_is_lost()
    {
        // A limit no process stays under: every inactive activation is surplus at each poll (5 s).
        await using var silo = await StartAsync(durable: false, new Dictionary<string, string>
        {
            ["Activations__MemoryLimitPercent"] = "0.0002",
            ["Activations__MemoryTargetPercent"] = "0.0001",
            // Should it fail, the output shows each full collection the test asked for.
            ["Logging__LogLevel__Orleans.Runtime.Management"] = "Information",
        });

        // Localhost clustering with the ids src/Silo/appsettings.json gives the embedded silo.
        var clientBuilder = Host.CreateApplicationBuilder();
        clientBuilder.Logging.ClearProviders();
        clientBuilder.UseOrleansClient(client => client.UseLocalhostClustering(silo.Ports.Gateway, serviceId: "distribution", clusterId: "distribution"));
        using var orleans = clientBuilder.Build();
        await orleans.StartAsync();
        try
        {
            var management = orleans.Services.GetRequiredService<IClusterClient>().GetGrain<IManagementGrain>(0);
            await AssertCollectedAndIntactAsync(silo, collectGarbage: () => management.ForceGarbageCollection([]));
        }
        finally
        {
            await orleans.StopAsync();
        }
    }

    [Fact]
    public async Task A_policy_that_cannot_work_stops_the_silo_at_start_naming_the_setting()
    {
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => SiloProcess.StartEmbeddedAsync(new Dictionary<string, string>
        {
            ["Activations__InventoryIdleAge"] = "00:00:30",
            ["Activations__ScanInterval"] = "00:05:00",
            ["Activations__MemoryTargetPercent"] = "90",
        }));

        Assert.Contains("process exited", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Activations:InventoryIdleAge must be longer than Activations:ScanInterval", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Activations:ScanInterval must be shorter than the idle age OrderGrain sets for itself (00:05:00", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Activations:MemoryTargetPercent must be above 0 and below Activations:MemoryLimitPercent", failure.Message, StringComparison.Ordinal);
    }

    private static bool PressureLogged(HubProcess silo) => silo.Output.Contains("High memory pressure detected", StringComparison.Ordinal);

    private Task<HubProcess> StartAsync(bool durable, Dictionary<string, string> settings) => durable
        ? SiloProcess.StartAsync(database.ConnectionString, $"idle-{Guid.NewGuid():N}"[..14], settings)
        : SiloProcess.StartEmbeddedAsync(settings);

    /// <summary>
    /// Seeds stock, reserves some with an order, waits until no SKU-location or SKU view is live,
    /// then reads everything back and cancels: the reactivated grains must still know it all.
    /// </summary>
    /// <param name="collectGarbage">
    /// Given under memory pressure: asks the silo for a full collection (GC.Collect, through Orleans'
    /// management grain). Orleans sheds only after a gen2 collection since its last shedding, which a
    /// small, quiet heap may never have (or may have just after the order): the wait calls it before
    /// each read, and ends only once Orleans has logged the shedding. The SKU-locations are not
    /// required live before it (the idle-age tests show they are counted while live).
    /// </param>
    private static async Task AssertCollectedAndIntactAsync(HubProcess silo, Func<Task>? collectGarbage = null)
    {
        var underMemoryPressure = collectGarbage is not null;
        var orderId = $"idle-{Guid.NewGuid():N}";
        await HubApi.SeedAsync(silo.Http, Warehouses, Skus, onHand: 10);
        using (var placed = await silo.Http.PostAsJsonAsync("/v1/orders", new
        {
            orderId,
            channel = "test",
            shipTo = new { latitude = 51.0, longitude = 9.0 },
            lines = new[] { new { lineId = "1", sku = "S1", quantity = 4 }, new { lineId = "2", sku = "S2", quantity = 3 } },
            allowSplit = false,
            allowBackorder = false,
        }))
        {
            Assert.True(placed.IsSuccessStatusCode, await placed.Content.ReadAsStringAsync());
        }

        if (!underMemoryPressure)
        {
            // Shows the type names below are the ones counted while live, so waiting for zero means something.
            var live = await HubApi.GetAsync(silo.Http, "/v1/operations/silos");
            Assert.True(HubApi.ActivationsOf(live, SkuLocationType) >= 2, $"the order's SKU-locations are live: {live}");
        }

        // Counts only from a silo that answered with them (null when it did not answer in time). Under
        // memory pressure, the SKU-locations must be gone and Orleans must have logged why: the line
        // reaches Output through the silo's console queue and this side's pipe reader, so it may trail.
        await HubApi.UntilAsync(
            async () =>
            {
                if (collectGarbage is not null)
                {
                    await collectGarbage();
                }

                return (Silos: await HubApi.GetAsync(silo.Http, "/v1/operations/silos"), PressureLogged: PressureLogged(silo));
            },
            read => read.Silos.GetArrayLength() > 0
                && HubApi.ActivationsOf(read.Silos, SkuLocationType) == 0
                && HubApi.ActivationsOf(read.Silos, SkuViewType) == 0
                && (read.PressureLogged || !underMemoryPressure),
            silo,
            TimeSpan.FromSeconds(45));

        // Reading the views reactivates them (and, through them, what they need) from storage.
        foreach (var (sku, reserved) in new[] { ("S1", 4), ("S2", 3), ("S3", 0) })
        {
            var availability = await HubApi.UntilAsync(
                () => HubApi.GetAsync(silo.Http, $"/v1/availability/{sku}"),
                a => HubApi.Location(a, "W1").GetProperty("reserved").GetInt32() == reserved,
                silo);
            Assert.Equal(10, HubApi.Location(availability, "W1").GetProperty("onHand").GetInt32());
            Assert.Equal(0, HubApi.Location(availability, "W2").GetProperty("reserved").GetInt32());
        }

        var order = await HubApi.GetAsync(silo.Http, $"/v1/orders/{orderId}");
        Assert.Equal("allocated", order.GetProperty("status").GetString());
        Assert.Equal(
            ["1: W1 4", "2: W1 3"],
            order.GetProperty("lines").EnumerateArray().SelectMany(l => l.GetProperty("allocations").EnumerateArray().Select(a =>
                $"{l.GetProperty("lineId").GetString()}: {a.GetProperty("warehouseId").GetString()} {a.GetProperty("quantity").GetInt32()}")));

        // The reactivated SKU-locations hold the reservations they had: cancelling releases them.
        (await silo.Http.PostAsync($"/v1/orders/{orderId}/cancel", null)).EnsureSuccessStatusCode();
        foreach (var sku in new[] { "S1", "S2" })
        {
            await HubApi.UntilAsync(
                () => HubApi.GetAsync(silo.Http, $"/v1/availability/{sku}"),
                a => HubApi.Location(a, "W1").GetProperty("reserved").GetInt32() == 0
                    && HubApi.Location(a, "W1").GetProperty("available").GetInt32() == 10,
                silo);
        }
    }
}
