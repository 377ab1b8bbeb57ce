using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using static Distribution.Tests.OrderChecks;

namespace Distribution.Tests;

/// <summary>
/// Durable mode end to end: real silo processes clustered on PostgreSQL, driven through the HTTP
/// API. A silo is killed mid-load; all silos are restarted. Invariants 1, 2 and 4 must hold.
/// </summary>
public sealed class DurableClusterTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    private static readonly (string, double, double)[] Warehouses = [("W1", 51.0, 9.0), ("W2", 48.1, 11.6), ("W3", 52.5, 13.4)];
    private static readonly string[] Skus = [.. Enumerable.Range(1, 12).Select(i => $"S{i:00}")];

    [Fact]
    public async Task Killing_a_silo_mid_load_loses_no_acknowledged_order_and_leaks_no_reservation()
    {
        var cluster = $"crash-{Guid.NewGuid():N}"[..14];
        await using var a = await SiloProcess.StartAsync(database.ConnectionString, cluster);
        await using var b = await SiloProcess.StartAsync(database.ConnectionString, cluster);
        await HubApi.SeedAsync(a.Http, Warehouses, Skus, onHand: 40);

        var acknowledged = new ConcurrentDictionary<string, OrderDto>();
        var attempted = new ConcurrentBag<string>();
        var failures = 0;
        var acknowledgedAfterKill = 0;
        var bKilled = false;
        using var stop = new CancellationTokenSource();
        var workers = Enumerable.Range(0, 24).Select(w => Task.Run(async () =>
        {
            var random = new Random(w);
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var id = $"o-{w}-{n}";
                attempted.Add(id);
                // Half the workers talk to the silo that will be killed, until it is gone.
                var sentAfterKill = Volatile.Read(ref bKilled);
                var http = w % 2 == 0 || sentAfterKill ? a.Http : b.Http;
                try
                {
                    var response = await http.PostAsJsonAsync("/v1/orders", NewOrder(id, random));
                    if (response.IsSuccessStatusCode)
                    {
                        acknowledged[id] = (await response.Content.ReadFromJsonAsync<OrderDto>())!;
                        if (sentAfterKill)
                        {
                            Interlocked.Increment(ref acknowledgedAfterKill);
                        }
                    }
                    else
                    {
                        Interlocked.Increment(ref failures);
                    }
                }
                catch (Exception) when (!stop.IsCancellationRequested)
                {
                    Interlocked.Increment(ref failures);
                    await Task.Delay(50);
                }
            }
        })).ToList();

        // Counts, not fixed windows: a loaded 2-core machine may take longer to warm up or to declare
        // the killed silo dead, and what matters is that load ran on both sides of the kill.
        await UntilAsync(() => acknowledged.Count >= 30, TimeSpan.FromSeconds(60));
        Assert.True(acknowledged.Count >= 30, $"only {acknowledged.Count} orders acknowledged before the kill; failures {failures}\n{a.Output}");
        b.Kill();
        Volatile.Write(ref bKilled, true);
        await UntilAsync(() => Volatile.Read(ref acknowledgedAfterKill) >= 30, TimeSpan.FromSeconds(90));
        await stop.CancelAsync();
        await Task.WhenAll(workers);
        Assert.True(acknowledgedAfterKill >= 30, $"the surviving silo acknowledged only {acknowledgedAfterKill} orders sent after the kill; failures {failures}\n{a.Output}");

        // Interrupted allocations are woken by the recovery sweep and settle.
        var orders = await SettledOrdersAsync(a.Http, attempted.Distinct().ToList());
        foreach (var (id, ack) in acknowledged)
        {
            Assert.True(orders.TryGetValue(id, out var stored), $"acknowledged order {id} is missing");
            AssertStillHolds(ack, stored);
        }

        await AssertReservationsMatchOrdersAsync(a.Http, Skus, orders.Values);
    }

    private static async Task UntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task A_full_restart_keeps_master_data_stock_reservations_orders_and_api_keys()
    {
        var cluster = $"restart-{Guid.NewGuid():N}"[..16];
        Dictionary<string, OrderDto> before;
        string availabilityBefore;
        string clientKey;
        await using (var a = await SiloProcess.StartAsync(database.ConnectionString, cluster))
        await using (var b = await SiloProcess.StartAsync(database.ConnectionString, cluster))
        {
            await HubApi.SeedAsync(a.Http, Warehouses, Skus, onHand: 10);
            var random = new Random(1);
            before = [];
            for (var i = 0; i < 40; i++)
            {
                var id = $"r-{i}";
                var response = await (i % 2 == 0 ? a : b).Http.PostAsJsonAsync("/v1/orders", NewOrder(id, random));
                response.EnsureSuccessStatusCode();
                before[id] = (await response.Content.ReadFromJsonAsync<OrderDto>())!;
            }

            availabilityBefore = await a.Http.GetStringAsync($"/v1/availability/{Skus[0]}");
            var created = await b.Http.PostAsJsonAsync("/v1/api-keys", new { name = "channel", scopes = new[] { "orders:read" } });
            created.EnsureSuccessStatusCode();
            clientKey = (await created.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("key").GetString()!;
            a.Kill();
            b.Kill();
        }

        await using var restarted = await SiloProcess.StartAsync(database.ConnectionString, cluster);
        foreach (var (id, order) in before)
        {
            var stored = await restarted.Http.GetFromJsonAsync<OrderDto>($"/v1/orders/{id}");
            Assert.Equal(Describe(order), Describe(stored!));
        }

        Assert.Equal(HttpStatusCode.OK, (await restarted.Http.GetAsync("/v1/warehouses/W2")).StatusCode);
        Assert.Equal(StripVolatile(availabilityBefore), StripVolatile(await restarted.Http.GetStringAsync($"/v1/availability/{Skus[0]}")));
        await AssertReservationsMatchOrdersAsync(restarted.Http, Skus, before.Values);

        using var client = new HttpClient { BaseAddress = restarted.Http.BaseAddress };
        client.DefaultRequestHeaders.Add("X-Api-Key", clientKey);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/v1/orders/{before.Keys.First()}")).StatusCode);
    }

    [Fact]
    public async Task A_silo_restarted_with_warm_up_brings_every_stored_sku_location_live_with_its_state()
    {
        var cluster = $"warm-{Guid.NewGuid():N}"[..13];
        Dictionary<string, OrderDto> before = [];
        string availabilityBefore;
        await using (var a = await SiloProcess.StartAsync(database.ConnectionString, cluster))
        {
            await HubApi.SeedAsync(a.Http, Warehouses, Skus, onHand: 10);
            var random = new Random(2);
            for (var i = 0; i < 20; i++)
            {
                var response = await a.Http.PostAsJsonAsync("/v1/orders", NewOrder($"w-{i}", random));
                response.EnsureSuccessStatusCode();
                before[$"w-{i}"] = (await response.Content.ReadFromJsonAsync<OrderDto>())!;
            }

            availabilityBefore = await a.Http.GetStringAsync($"/v1/availability/{Skus[0]}");
            a.Kill();
        }

        // One SKU view lost (as if its write had failed): no view brings its three locations live,
        // so the warm-up must find them among the held states no activation took.
        var lostView = Skus[^1];
        Assert.Equal(1, await database.ExecuteAsync(
            "DELETE FROM grain_state WHERE service_id = @service AND grain_id = @view",
            ("service", cluster),
            ("view", $"sku/{lostView}")));

        // Seven states per query: the 36 SKU-locations take six.
        await using var warmed = await SiloProcess.StartAsync(database.ConnectionString, cluster, new Dictionary<string, string>
        {
            ["WarmUp__OnStart"] = "true",
            ["WarmUp__ChunkSize"] = "7",
        });
        var locations = Warehouses.Length * Skus.Length;
        var live = await HubApi.UntilAsync(
            () => HubApi.GetAsync(warmed.Http, "/v1/operations/silos"),
            silos => HubApi.ActivationsOf(silos, "Distribution.Inventory.SkuLocationGrain") == locations && warmed.Output.Contains("Warm-up: brought", StringComparison.Ordinal),
            warmed);
        // The lost view is activated too, by its locations' reports.
        Assert.Equal(Skus.Length, HubApi.ActivationsOf(live, "Distribution.Inventory.SkuGrain"));
        // So is the finance feed, before any event asks for it.
        Assert.Equal(1, HubApi.ActivationsOf(live, "Distribution.Integration.BusinessEvents.FinanceFeedGrain"));
        Assert.Contains($"brought {locations} SKU-locations and {Skus.Length - 1} SKU views live", warmed.Output, StringComparison.Ordinal);
        Assert.Contains("; 0 could not be activated now", warmed.Output, StringComparison.Ordinal);

        // The lost view took the item with it; once the item is set again, its availability is
        // rebuilt from its locations' reports alone (checked with the others below).
        (await warmed.Http.PutAsJsonAsync($"/v1/items/{lostView}", new { description = lostView, unitOfMeasure = "EA" })).EnsureSuccessStatusCode();

        // What the warmed grains hold is what was stored: stock, reservations, the network view.
        Assert.Equal(StripVolatile(availabilityBefore), StripVolatile(await warmed.Http.GetStringAsync($"/v1/availability/{Skus[0]}")));
        await AssertReservationsMatchOrdersAsync(warmed.Http, Skus, before.Values);
    }

    private static object NewOrder(string id, Random random)
    {
        var skus = Skus.OrderBy(_ => random.Next()).Take(random.Next(1, 4)).ToList();
        return new
        {
            orderId = id,
            channel = "test",
            shipTo = new { latitude = 45 + random.NextDouble() * 10, longitude = 5 + random.NextDouble() * 10 },
            lines = skus.Select((s, i) => new { lineId = $"{i + 1}", sku = s, quantity = random.Next(1, 4) }),
            allowSplit = true,
            allowBackorder = true,
        };
    }

    // The snapshot time is the only field that may be formatted differently after a round trip.
    private static string StripVolatile(string json) =>
        System.Text.RegularExpressions.Regex.Replace(json, "\"lastSnapshotAt\":\"[^\"]*\"", "");
}
