using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

using static Distribution.Tests.HubApi;

namespace Distribution.Tests;

/// <summary>
/// Durable mode: a sent purchase order with a ship notice and a partial receipt, a created one,
/// and the destination's inbound (on order) survive a full restart of the silos, and they go on
/// from there.
/// </summary>
public sealed class DurablePurchaseOrderTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    private static readonly (string, double, double)[] Warehouses = [("W1", 51.0, 9.0)];
    private static readonly string[] Skus = ["S01", "S02"];

    [Fact]
    public async Task A_sent_and_partly_received_purchase_order_and_its_inbound_survive_a_full_restart()
    {
        var cluster = $"purchase-{Guid.NewGuid():N}"[..17];
        var eta = DateTimeOffset.UtcNow.AddDays(2);
        eta = new DateTimeOffset(eta.Ticks - (eta.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        string sentBefore, createdBefore;
        await using (var silo = await SiloProcess.StartAsync(database.ConnectionString, cluster))
        {
            var http = silo.Http;
            await HubApi.SeedAsync(http, Warehouses, Skus, onHand: 10);
            (await http.PutAsJsonAsync("/v1/suppliers/SUP1", new { name = "Acme", leadTimeDays = 5.0, leadTimeStdDevDays = 1.0 })).EnsureSuccessStatusCode();
            await CreateAsync(http, "po-sent", ("S01", 8), ("S02", 5));
            await CreateAsync(http, "po-created", ("S01", 2));
            await CommandAsync(http, "po-sent", "send");
            await CommandAsync(http, "po-sent", "ship", new { lines = new[] { new { sku = "S01", quantity = 8 }, new { sku = "S02", quantity = 4 } }, eta });
            await PostEventsAsync(http, Receipt("S01", 3, "po-sent"));
            await UntilAsync(() => GetAsync(http, "/v1/purchase-orders/po-sent"), p => p.GetProperty("status").GetString() == "partiallyReceived", silo);
            await UntilAsync(() => GetAsync(http, "/v1/availability/S01"), a => Inbound(a, "W1") == 5 + 2, silo);
            await UntilAsync(() => GetAsync(http, "/v1/availability/S02"), a => Inbound(a, "W1") == 4, silo);

            sentBefore = (await GetAsync(http, "/v1/purchase-orders/po-sent")).ToString();
            createdBefore = (await GetAsync(http, "/v1/purchase-orders/po-created")).ToString();
            silo.Kill();
        }

        await using var restarted = await SiloProcess.StartAsync(database.ConnectionString, cluster);
        var h = restarted.Http;
        Assert.Equal(sentBefore, (await GetAsync(h, "/v1/purchase-orders/po-sent")).ToString());
        Assert.Equal(createdBefore, (await GetAsync(h, "/v1/purchase-orders/po-created")).ToString());
        var s01 = await GetAsync(h, "/v1/availability/S01");
        Assert.Equal((13, 7), (Location(s01, "W1").GetProperty("onHand").GetInt32(), Inbound(s01, "W1")));
        var sources = Location(s01, "W1").GetProperty("inboundSources").EnumerateArray()
            .Select(e => (e.GetProperty("sourceKind").GetString(), e.GetProperty("sourceId").GetString(), e.GetProperty("quantity").GetInt32()))
            .OrderBy(e => e.Item2, StringComparer.Ordinal)
            .ToList();
        Assert.Equal([("purchaseOrder", "po-created", 2), ("purchaseOrder", "po-sent", 5)], sources);
        Assert.Equal(eta, Location(s01, "W1").GetProperty("inboundSources").EnumerateArray().Single(e => e.GetProperty("sourceId").GetString() == "po-sent").GetProperty("eta").GetDateTimeOffset());
        Assert.Equal(4, Inbound(await GetAsync(h, "/v1/availability/S02"), "W1"));

        // And they go on: the rest arrives, the other is cancelled.
        await PostEventsAsync(h, Receipt("S01", 5, "po-sent"), Receipt("S02", 4, "po-sent"));
        var received = await UntilAsync(() => GetAsync(h, "/v1/purchase-orders/po-sent"), p => p.GetProperty("status").GetString() == "received", restarted);
        Assert.Equal([8, 4], received.GetProperty("lines").EnumerateArray().Select(l => l.GetProperty("receivedQuantity").GetInt32()));
        using (var cancel = await h.PostAsync("/v1/purchase-orders/po-created/cancel", null))
        {
            Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        }

        var arrived = await UntilAsync(() => GetAsync(h, "/v1/availability/S01"), a => Inbound(a, "W1") == 0, restarted);
        Assert.Equal(10 + 8, Location(arrived, "W1").GetProperty("onHand").GetInt32());
    }

    private static async Task CreateAsync(HttpClient http, string id, params (string Sku, int Quantity)[] lines)
    {
        using var response = await http.PostAsJsonAsync("/v1/purchase-orders", new
        {
            purchaseOrderId = id,
            supplierId = "SUP1",
            warehouseId = "W1",
            lines = lines.Select(l => new { sku = l.Sku, quantity = l.Quantity }),
            reason = "durable test",
        });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    private static async Task CommandAsync(HttpClient http, string id, string command, object? body = null)
    {
        using var response = body is null
            ? await http.PostAsync($"/v1/purchase-orders/{id}/{command}", null)
            : await http.PostAsJsonAsync($"/v1/purchase-orders/{id}/{command}", body);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{command}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private static object Receipt(string sku, int quantity, string purchaseOrderId) => new
    {
        eventId = $"{purchaseOrderId}-{sku}-{Guid.NewGuid():N}"[..40],
        warehouseId = "W1",
        type = "PurchaseReceived",
        sku,
        quantity,
        purchaseOrderId,
        occurredAt = DateTimeOffset.UtcNow.AddSeconds(-1),
    };
}
