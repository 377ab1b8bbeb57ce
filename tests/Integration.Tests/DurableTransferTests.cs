using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

using static Distribution.Tests.HubApi;

namespace Distribution.Tests;

/// <summary>
/// Durable mode: transfers created (one shipped and partly received, one only requested) and the
/// destination's inbound survive a full restart of the silos, and the transfers go on from there.
/// </summary>
public sealed class DurableTransferTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    private static readonly (string, double, double)[] Warehouses = [("W1", 51.0, 9.0), ("W2", 52.5, 13.4)];
    private static readonly string[] Skus = ["S01", "S02"];

    [Fact]
    public async Task Created_and_shipped_transfers_and_their_inbound_survive_a_full_restart()
    {
        var cluster = $"transfer-{Guid.NewGuid():N}"[..17];
        string shippedBefore, requestedBefore;
        await using (var silo = await SiloProcess.StartAsync(database.ConnectionString, cluster))
        {
            var http = silo.Http;
            await HubApi.SeedAsync(http, Warehouses, Skus, onHand: 10);
            (await http.PutAsJsonAsync("/v1/lanes/W1/W2", new { transitDays = 2.0, costPerUnit = 0.5m })).EnsureSuccessStatusCode();
            await CreateAsync(http, "t-shipped", ("S01", 4), ("S02", 3));
            await CreateAsync(http, "t-requested", ("S01", 2));
            var shippedAt = DateTimeOffset.UtcNow.AddMinutes(-1);
            await PostEventsAsync(http,
                Event("TransferShipped", "W1", "S01", 4, "t-shipped", shippedAt),
                Event("TransferShipped", "W1", "S02", 3, "t-shipped", shippedAt),
                Event("TransferReceived", "W2", "S02", 1, "t-shipped", shippedAt.AddSeconds(30)));
            await UntilAsync(() => GetAsync(http, "/v1/transfers/t-shipped"), t => t.GetProperty("status").GetString() == "partiallyReceived", silo);
            await UntilAsync(() => GetAsync(http, "/v1/availability/S01"), a => Inbound(a, "W2") == 4, silo);

            shippedBefore = (await GetAsync(http, "/v1/transfers/t-shipped")).ToString();
            requestedBefore = (await GetAsync(http, "/v1/transfers/t-requested")).ToString();
            silo.Kill();
        }

        await using var restarted = await SiloProcess.StartAsync(database.ConnectionString, cluster);
        var h = restarted.Http;
        Assert.Equal(shippedBefore, (await GetAsync(h, "/v1/transfers/t-shipped")).ToString());
        Assert.Equal(requestedBefore, (await GetAsync(h, "/v1/transfers/t-requested")).ToString());
        var s01 = await GetAsync(h, "/v1/availability/S01");
        Assert.Equal(4, Inbound(s01, "W2"));
        var entry = Location(s01, "W2").GetProperty("inboundSources").EnumerateArray().Single();
        Assert.Equal(("transfer", "t-shipped", 4), (entry.GetProperty("sourceKind").GetString(), entry.GetProperty("sourceId").GetString(), entry.GetProperty("quantity").GetInt32()));
        Assert.Equal(2, Inbound(await GetAsync(h, "/v1/availability/S02"), "W2"));
        // At the source: shipped units gone, the requested transfer's reservation still held in its name.
        var source = await GetAsync(h, "/v1/warehouses/W1/skus/S01");
        Assert.Equal((6, 2), (source.GetProperty("onHand").GetInt32(), source.GetProperty("reserved").GetInt32()));
        var held = source.GetProperty("reservations").EnumerateArray().Single();
        Assert.Equal(("transfer", "t-requested"), (held.GetProperty("owner").GetString(), held.GetProperty("orderId").GetString()));

        // And they go on: the rest arrives, the other is cancelled.
        await PostEventsAsync(h,
            Event("TransferReceived", "W2", "S01", 4, "t-shipped", DateTimeOffset.UtcNow),
            Event("TransferReceived", "W2", "S02", 2, "t-shipped", DateTimeOffset.UtcNow));
        await UntilAsync(() => GetAsync(h, "/v1/transfers/t-shipped"), t => t.GetProperty("status").GetString() == "received", restarted);
        var arrived = await UntilAsync(() => GetAsync(h, "/v1/availability/S01"), a => Inbound(a, "W2") == 0, restarted);
        Assert.Equal(10 + 4, Location(arrived, "W2").GetProperty("onHand").GetInt32());
        using var cancel = await h.PostAsync("/v1/transfers/t-requested/cancel", null);
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        Assert.Equal(0, (await GetAsync(h, "/v1/warehouses/W1/skus/S01")).GetProperty("reserved").GetInt32());
    }

    private static async Task CreateAsync(HttpClient http, string id, params (string Sku, int Quantity)[] lines)
    {
        using var response = await http.PostAsJsonAsync("/v1/transfers", new
        {
            transferId = id,
            fromWarehouseId = "W1",
            toWarehouseId = "W2",
            lines = lines.Select(l => new { sku = l.Sku, quantity = l.Quantity }),
            reason = "durable test",
        });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    private static object Event(string type, string warehouse, string sku, int quantity, string transferId, DateTimeOffset at) => new
    {
        eventId = $"{transferId}-{type}-{warehouse}-{sku}-{Guid.NewGuid():N}"[..60],
        warehouseId = warehouse,
        type,
        sku,
        quantity,
        transferId,
        occurredAt = at,
    };
}
