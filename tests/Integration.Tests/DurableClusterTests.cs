using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;

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
                var http = w % 2 == 0 || Volatile.Read(ref bKilled) ? a.Http : b.Http;
                try
                {
                    var response = await http.PostAsJsonAsync("/v1/orders", NewOrder(id, random));
                    if (response.IsSuccessStatusCode)
                    {
                        acknowledged[id] = (await response.Content.ReadFromJsonAsync<OrderDto>())!;
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

        await Task.Delay(TimeSpan.FromSeconds(3));
        b.Kill();
        Volatile.Write(ref bKilled, true);
        await Task.Delay(TimeSpan.FromSeconds(6));
        await stop.CancelAsync();
        await Task.WhenAll(workers);
        Assert.True(acknowledged.Count > 50, $"only {acknowledged.Count} orders acknowledged; failures {failures}\n{a.Output}");

        // Interrupted allocations are woken by the recovery sweep and settle.
        var orders = await SettledOrdersAsync(a.Http, attempted.Distinct().ToList());
        foreach (var (id, ack) in acknowledged)
        {
            Assert.True(orders.TryGetValue(id, out var stored), $"acknowledged order {id} is missing");
            AssertStillHolds(ack, stored);
        }

        await AssertReservationsMatchOrdersAsync(a.Http, orders.Values);
    }

    [Fact]
    public async Task A_full_restart_keeps_master_data_stock_reservations_and_orders()
    {
        var cluster = $"restart-{Guid.NewGuid():N}"[..16];
        Dictionary<string, OrderDto> before;
        string availabilityBefore;
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
        await AssertReservationsMatchOrdersAsync(restarted.Http, before.Values);
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

    /// <summary>Reads every order (404 = never stored) once none is still allocating.</summary>
    private static async Task<Dictionary<string, OrderDto>> SettledOrdersAsync(HttpClient http, IReadOnlyList<string> ids)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var found = new Dictionary<string, OrderDto>();
            foreach (var chunk in ids.Chunk(32))
            {
                var responses = await Task.WhenAll(chunk.Select(async id => (id, response: await http.GetAsync($"/v1/orders/{id}"))));
                foreach (var (id, response) in responses)
                {
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        found[id] = (await response.Content.ReadFromJsonAsync<OrderDto>())!;
                    }
                    else
                    {
                        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
                    }
                }
            }

            var allocating = found.Values.Count(o => o.Status == "allocating");
            if (allocating == 0)
            {
                return found;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{allocating} order(s) still allocating");
            await Task.Delay(1000);
        }
    }

    /// <summary>Reserved ≤ on-hand everywhere and reserved equals what the stored orders hold.</summary>
    private static async Task AssertReservationsMatchOrdersAsync(HttpClient http, IEnumerable<OrderDto> orders)
    {
        var held = orders
            .Where(o => o.Status != "cancelled")
            .SelectMany(o => o.Lines.SelectMany(l => l.Allocations.Select(a => (a.WarehouseId, l.Sku, a.Quantity))))
            .GroupBy(x => (x.WarehouseId, x.Sku))
            .ToDictionary(g => g.Key, g => g.Sum(x => x.Quantity));
        foreach (var sku in Skus)
        {
            var availability = (await http.GetFromJsonAsync<AvailabilityDto>($"/v1/availability/{sku}"))!;
            foreach (var location in availability.Locations)
            {
                var position = await http.GetStringAsync($"/v1/warehouses/{location.WarehouseId}/skus/{sku}");
                Assert.True(location.Reserved <= location.OnHand, $"{sku}@{location.WarehouseId}: reserved {location.Reserved} > on-hand {location.OnHand}");
                Assert.True(
                    held.GetValueOrDefault((location.WarehouseId, sku)) == location.Reserved,
                    $"{sku}@{location.WarehouseId}: reserved {location.Reserved}, orders hold {held.GetValueOrDefault((location.WarehouseId, sku))}; location: {position}\n"
                    + string.Join("\n", orders.Where(o => o.Lines.Any(l => l.Sku == sku)).Select(Describe)));
            }
        }
    }

    /// <summary>
    /// What was acknowledged is still held: backordered lines may have been filled since (stock
    /// freed by rolled-back allocations wakes them), but no acknowledged allocation went away.
    /// </summary>
    private static void AssertStillHolds(OrderDto acknowledged, OrderDto stored)
    {
        Assert.Equal(acknowledged.Lines.Select(l => (l.LineId, l.Sku)), stored.Lines.Select(l => (l.LineId, l.Sku)));
        foreach (var (ack, now) in acknowledged.Lines.Zip(stored.Lines))
        {
            foreach (var allocation in ack.Allocations)
            {
                var held = now.Allocations.Where(a => a.WarehouseId == allocation.WarehouseId).Sum(a => a.Quantity);
                Assert.True(held >= allocation.Quantity, $"{acknowledged.OrderId} line {ack.LineId}: acknowledged {Describe(acknowledged)}, stored {Describe(stored)}");
            }

            Assert.True(now.BackorderedQuantity <= ack.BackorderedQuantity, $"{acknowledged.OrderId}: acknowledged {Describe(acknowledged)}, stored {Describe(stored)}");
        }
    }

    private static string Describe(OrderDto o) =>
        $"{o.OrderId}|{o.Status}|" + string.Join(";", o.Lines.Select(l =>
            $"{l.LineId}:{l.Sku}:{l.BackorderedQuantity}:" + string.Join(",", l.Allocations.Select(a => $"{a.WarehouseId}={a.Quantity}@{a.PromisedShipDate}"))));

    // The snapshot time is the only field that may be formatted differently after a round trip.
    private static string StripVolatile(string json) =>
        System.Text.RegularExpressions.Regex.Replace(json, "\"lastSnapshotAt\":\"[^\"]*\"", "");

    private sealed record OrderDto(string OrderId, string Status, IReadOnlyList<LineDto> Lines);

    private sealed record LineDto(string LineId, string Sku, int BackorderedQuantity, IReadOnlyList<AllocationDto> Allocations);

    private sealed record AllocationDto(string WarehouseId, int Quantity, string PromisedShipDate);

    private sealed record AvailabilityDto(string Sku, IReadOnlyList<LocationDto> Locations);

    private sealed record LocationDto(string WarehouseId, int OnHand, int Reserved);
}
