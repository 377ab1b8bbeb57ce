using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Distribution.Integration;
using Distribution.Integration.BusinessEvents;
using Microsoft.Extensions.DependencyInjection;
using static Distribution.Tests.Api.ApiTestClient;

namespace Distribution.Tests.Api;

/// <summary>
/// Outbound EDI that follows from business events, whatever channel the order or purchase order
/// came through: a 940 to the 3PL operating the warehouse an order is allocated at, an 850 to the
/// supplier partner of a purchase order that is sent; each written once.
/// </summary>
public sealed class EdiOutboundTests(HubFactory factory) : IClassFixture<HubFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    private async Task<string> PutPartnerAsync(string role, string[] documents, string? warehouseId = null, string? supplierId = null)
    {
        var partnerId = Unique("TP");
        using var response = await _client.PutAsJsonAsync($"/v1/trading-partners/{partnerId}", new
        {
            senderId = new { qualifier = "ZZ", id = "S" + Guid.NewGuid().ToString("N")[..12].ToUpperInvariant() },
            receiverId = new { qualifier = "ZZ", id = "DISTHUB" },
            role,
            warehouseId,
            supplierId,
            documents,
        });
        await EnsureAsync(response, HttpStatusCode.Created);
        return partnerId;
    }

    private Task<JsonElement> OutboxAsync(string partnerId) => _client.GetJsonAsync($"/v1/edi/outbox/{partnerId}");

    private static string[] SetIds(JsonElement outbox) => [.. outbox.EnumerateArray().Select(d => d.Str("setId")!)];

    [Fact]
    public async Task An_order_placed_through_the_json_api_sends_one_940_to_the_3pl_of_its_warehouse()
    {
        var (sku, warehouse) = await _client.SeedOneSkuAsync(DateTimeOffset.UtcNow.AddMinutes(-5), 10);
        var threePl = await PutPartnerAsync("warehouse3pl", ["940", "945"], warehouseId: warehouse);
        var (otherSku, otherWarehouse) = await _client.SeedOneSkuAsync(DateTimeOffset.UtcNow.AddMinutes(-5), 10);
        var adviceOnly = await PutPartnerAsync("warehouse3pl", ["945"], warehouseId: otherWarehouse);
        var orderId = Unique("ord");
        using (var placed = await _client.PostOrderAsync(Order(orderId, lines: [("1", sku, 3), ("2", otherSku, 2)])))
        {
            await EnsureAsync(placed, HttpStatusCode.Created);
        }

        var outbox = await EventuallyAsync(() => OutboxAsync(threePl), o => o.GetArrayLength() > 0);

        var document = Assert.Single(outbox.EnumerateArray());
        Assert.Equal(("940", $"{orderId}#3"), (document.Str("setId"), document.Str("reference")));
        var interchange = document.Str("interchange")!;
        Assert.Contains($"W05*N*{orderId}*{orderId}~", interchange);
        Assert.Contains("N9*LI*1~", interchange);
        Assert.Contains($"W01*3*EA**SK*{sku}~", interchange);
        Assert.DoesNotContain(otherSku, interchange);
        Assert.Contains("REF*GEO*50.11*8.68~", interchange);

        // The order's allocated event handed over again (a redelivery) writes no second 940.
        var order = await _client.GetJsonAsync($"/v1/orders/{orderId}");
        var again = new BusinessEvent
        {
            EventId = BusinessEventIds.For(BusinessEventTypes.OrderAllocated, orderId, "1"),
            Type = BusinessEventTypes.OrderAllocated,
            EntityKind = "order",
            EntityId = orderId,
            Payload = order.GetRawText(),
        };
        var grains = factory.Services.GetRequiredService<IGrainFactory>();
        await grains.GetGrain<IEdiOutboundGrain>(0).Consume([again]);
        await grains.GetGrain<IEdiOutboundGrain>(0).Consume([again with { EventId = again.EventId + "-redelivered" }]);

        Assert.Equal(["940"], SetIds(await OutboxAsync(threePl)));

        // An event whose data cannot be read is skipped, not retried forever (it would stall its bus shard).
        await grains.GetGrain<IEdiOutboundGrain>(0).Consume([again with { EventId = "unreadable", Payload = "{\"lines\": 7}" }]);

        // A 3PL that does not exchange 940s gets none.
        Assert.Empty(SetIds(await OutboxAsync(adviceOnly)));
    }

    [Fact]
    public async Task A_backorder_allocated_later_at_the_3pl_sends_the_order_again_as_a_replacement()
    {
        var seededAt = DateTimeOffset.UtcNow.AddMinutes(-5);
        var (sku, warehouse) = await _client.SeedOneSkuAsync(seededAt, 3);
        var threePl = await PutPartnerAsync("warehouse3pl", ["940"], warehouseId: warehouse);
        var orderId = Unique("ord");
        using (var placed = await _client.PostOrderAsync(Order(orderId, allowBackorder: true, lines: [("1", sku, 5)])))
        {
            await EnsureAsync(placed, HttpStatusCode.Created);
        }

        var first = Assert.Single((await EventuallyAsync(() => OutboxAsync(threePl), o => o.GetArrayLength() > 0)).EnumerateArray());
        Assert.Equal($"{orderId}#3", first.Str("reference"));
        Assert.Contains($"W05*N*{orderId}*{orderId}~", first.Str("interchange"));

        // Two more units arrive: the backordered rest is allocated at the same warehouse.
        await _client.PostSnapshotAsync(warehouse, seededAt.AddMinutes(1), (sku, 5));
        var outbox = await EventuallyAsync(() => OutboxAsync(threePl), o => o.GetArrayLength() > 1);

        var replacement = outbox.EnumerateArray().Single(d => d.Str("reference") == $"{orderId}#5");
        var interchange = replacement.Str("interchange")!;
        Assert.Contains($"W05*R*{orderId}*{orderId}~", interchange);
        Assert.Contains($"W01*5*EA**SK*{sku}~", interchange);
        Assert.Equal(2, outbox.GetArrayLength());
    }

    [Fact]
    public async Task Sending_a_purchase_order_writes_one_850_to_its_supplier_partner()
    {
        var (sku, warehouse) = await _client.SeedOneSkuAsync(DateTimeOffset.UtcNow.AddMinutes(-5), 0);
        var supplier = Unique("SUP");
        using (var put = await _client.PutAsJsonAsync($"/v1/suppliers/{supplier}", new { name = "Acme", leadTimeDays = 10, leadTimeStdDevDays = 2 }))
        {
            await EnsureAsync(put, HttpStatusCode.Created);
        }

        var partner = await PutPartnerAsync("supplier", ["850", "856"], supplierId: supplier);
        var noticesOnly = await PutPartnerAsync("supplier", ["856"], supplierId: supplier);
        var po = Unique("po");
        using (var create = await _client.PostAsJsonAsync("/v1/purchase-orders", new { purchaseOrderId = po, supplierId = supplier, warehouseId = warehouse, lines = new[] { new { sku, quantity = 25 } } }))
        {
            await EnsureAsync(create, HttpStatusCode.Created);
        }

        // Created, not sent: nothing goes to the supplier yet.
        var view = await _client.GetJsonAsync($"/v1/purchase-orders/{po}");
        Assert.Equal("created", view.Str("status"));
        Assert.Empty(SetIds(await OutboxAsync(partner)));

        for (var i = 0; i < 2; i++)
        {
            using var send = await _client.PostAsync($"/v1/purchase-orders/{po}/send", null);
            await EnsureAsync(send, HttpStatusCode.OK);
        }

        var outbox = await EventuallyAsync(() => OutboxAsync(partner), o => o.GetArrayLength() > 0);

        var document = Assert.Single(outbox.EnumerateArray());
        Assert.Equal(("850", po), (document.Str("setId"), document.Str("reference")));
        var interchange = document.Str("interchange")!;
        Assert.Contains($"BEG*00*SA*{po}**", interchange);
        Assert.Contains($"N1*ST*{warehouse}*92*{warehouse}~", interchange);
        Assert.Contains($"PO1*1*25*EA***SK*{sku}~", interchange);
        Assert.Empty(SetIds(await OutboxAsync(noticesOnly)));
    }
}
