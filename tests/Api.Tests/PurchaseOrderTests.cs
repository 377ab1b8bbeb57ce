using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using static Distribution.Tests.Api.ApiTestClient;
using static Distribution.Tests.Api.EventTestClient;

namespace Distribution.Tests.Api;

/// <summary>
/// /v1/purchase-orders through HTTP: creation (idempotent by purchaseOrderId), validation naming
/// fields, lookup, the lifecycle commands (repeat 200, out of order 409 naming the status), receipts
/// through warehouse events, the order shown as inbound by GET /v1/availability from creation, and
/// the purchase order counters in /metrics.
/// </summary>
public sealed class PurchaseOrderTests(HubFactory factory) : IClassFixture<HubFactory>
{
    private const int LeadTimeDays = 10;

    private readonly HttpClient _client = factory.CreateClient();

    /// <summary>A new warehouse, a new SKU (nothing on hand) and a new supplier 10 days away.</summary>
    private async Task<(string Warehouse, string Supplier, string Sku)> SeedAsync()
    {
        var (warehouse, supplier, sku) = (Unique("WH"), Unique("SUP"), Unique("SKU"));
        await _client.PutWarehouseAsync(warehouse, 52.5, 13.4);
        await _client.PutItemAsync(sku);
        using var put = await _client.PutAsJsonAsync($"/v1/suppliers/{supplier}", new { name = "Acme", leadTimeDays = LeadTimeDays, leadTimeStdDevDays = 2 });
        await EnsureAsync(put, HttpStatusCode.Created, HttpStatusCode.OK);
        return (warehouse, supplier, sku);
    }

    private static Dictionary<string, object?> PurchaseOrder(string id, string supplier, string warehouse, params (string Sku, int Quantity)[] lines) => new()
    {
        ["purchaseOrderId"] = id,
        ["supplierId"] = supplier,
        ["warehouseId"] = warehouse,
        ["lines"] = lines.Select(l => new { sku = l.Sku, quantity = l.Quantity }).ToArray(),
        ["reason"] = "reorder point",
    };

    private async Task<HttpResponseMessage> PostAsync(string path, object? body, string? correlationId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = body is null ? null : JsonContent.Create(body) };
        if (correlationId is not null)
        {
            request.Headers.Add("X-Correlation-Id", correlationId);
        }

        return await _client.SendAsync(request);
    }

    private async Task<JsonElement> CreateAsync(object body)
    {
        using var response = await PostAsync("/v1/purchase-orders", body);
        await EnsureAsync(response, HttpStatusCode.Created);
        return await ReadJsonAsync(response);
    }

    /// <summary>A command expecting <paramref name="status"/>; the answer's body.</summary>
    private async Task<JsonElement> CommandAsync(string id, string command, HttpStatusCode status = HttpStatusCode.OK, object? body = null, string? correlationId = null)
    {
        using var response = await PostAsync($"/v1/purchase-orders/{id}/{command}", body, correlationId);
        await EnsureAsync(response, status);
        return await ReadJsonAsync(response);
    }

    private Task<JsonElement> GetUntilAsync(string id, Func<JsonElement, bool> until) =>
        EventuallyAsync(() => _client.GetJsonAsync($"/v1/purchase-orders/{id}"), until, TimeoutMs);

    private static int? Inbound(JsonElement availability, string warehouseId) =>
        availability.GetProperty("locations").EnumerateArray()
            .Where(l => l.Str("warehouseId") == warehouseId)
            .Select(l => (int?)l.Int("inbound"))
            .FirstOrDefault();

    private static DateTimeOffset Date(JsonElement e, string property) => e.GetProperty(property).GetDateTimeOffset();

    [Fact]
    public async Task Post_creates_the_purchase_order_on_order_at_the_warehouse_and_the_same_body_again_answers_the_same()
    {
        var (warehouse, supplier, sku) = await SeedAsync();
        var id = Unique("PO");
        var body = PurchaseOrder(id, supplier, warehouse, (sku, 25));

        using var created = await PostAsync("/v1/purchase-orders", body, correlationId: "buyer-3");
        var first = await ReadJsonAsync(created);
        using var replay = await PostAsync("/v1/purchase-orders", body);
        var second = await ReadJsonAsync(replay);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal($"/v1/purchase-orders/{id}", created.Headers.Location?.OriginalString);
        Assert.Equal((id, "created", supplier, warehouse, "reorder point"), (first.Str("purchaseOrderId"), first.Str("status"), first.Str("supplierId"), first.Str("warehouseId"), first.Str("reason")));
        var eta = Date(first, "createdAt").AddDays(LeadTimeDays);
        Assert.Equal((eta, eta, (double)LeadTimeDays), (Date(first, "expectedArrival"), Date(first, "eta"), first.GetProperty("leadTimeDays").GetDouble()));
        var line = Assert.Single(first.GetProperty("lines").EnumerateArray());
        Assert.Equal((sku, 25, 0, 0, 25), (line.Str("sku"), line.Int("orderedQuantity"), line.Int("shippedQuantity"), line.Int("receivedQuantity"), line.Int("onOrderQuantity")));
        Assert.Equal("buyer-3", Assert.Single(first.GetProperty("timeline").EnumerateArray()).Str("correlationId"));
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal(first.ToString(), second.ToString());
        Assert.Equal(first.ToString(), (await _client.GetJsonAsync($"/v1/purchase-orders/{id}")).ToString());

        // A planner's inventory position counts it from now: inbound with its ETA, never available.
        var availability = await _client.GetAvailabilityUntilAsync(sku, v => Inbound(v, warehouse) == 25, TimeoutMs);
        var location = availability.Location(warehouse);
        Assert.Equal((0, 0, 25, eta), (location.Int("onHand"), location.Int("available"), location.Int("inbound"), Date(location, "inboundEta")));
        var source = Assert.Single(location.GetProperty("inboundSources").EnumerateArray());
        Assert.Equal(("purchaseOrder", id, 25, eta), (source.Str("sourceKind"), source.Str("sourceId"), source.Int("quantity"), Date(source, "eta")));
        Assert.Equal(25, availability.GetProperty("total").Int("inbound"));
    }

    [Fact]
    public async Task An_order_that_can_wait_is_promised_units_on_order_and_availability_shows_them_promised()
    {
        var (warehouse, supplier, sku) = await SeedAsync();
        var id = Unique("PO");
        var created = await CreateAsync(PurchaseOrder(id, supplier, warehouse, (sku, 10)));
        await _client.GetAvailabilityUntilAsync(sku, v => Inbound(v, warehouse) == 10, TimeoutMs);
        var orderId = Unique("ORD");

        using var placed = await _client.PostOrderAsync(Order(orderId, allowBackorder: true, lines: ("1", sku, 4)));

        await EnsureAsync(placed, HttpStatusCode.Created);
        var order = await ReadJsonAsync(placed);
        Assert.Equal("allocated", order.Str("status"));
        var allocation = Assert.Single(order.GetProperty("lines")[0].GetProperty("allocations").EnumerateArray());
        Assert.Equal((warehouse, 4, $"purchaseOrder:{id}"), (allocation.Str("warehouseId"), allocation.Int("quantity"), allocation.Str("inboundSource")));
        Assert.Equal(DateOnly.FromDateTime(Date(created, "eta").UtcDateTime), DateOnly.Parse(allocation.Str("promisedShipDate")!, System.Globalization.CultureInfo.InvariantCulture));
        var availability = await _client.GetAvailabilityUntilAsync(
            sku, v => v.Location(warehouse).GetProperty("inboundSources")[0].Int("promised") == 4, TimeoutMs);
        var source = availability.Location(warehouse).GetProperty("inboundSources")[0];
        Assert.Equal((10, 4, 6), (source.Int("quantity"), source.Int("promised"), source.Int("free")));
        Assert.Equal(0, availability.Location(warehouse).Int("reserved"));
    }

    [Fact]
    public async Task The_same_id_with_another_body_is_a_conflict_and_changes_nothing()
    {
        var (warehouse, supplier, sku) = await SeedAsync();
        var id = Unique("PO");
        await CreateAsync(PurchaseOrder(id, supplier, warehouse, (sku, 4)));

        using var response = await PostAsync("/v1/purchase-orders", PurchaseOrder(id, supplier, warehouse, (sku, 5)));

        await AssertProblemAsync(response, HttpStatusCode.Conflict, "purchaseOrderId");
        Assert.Equal(4, (await _client.GetJsonAsync($"/v1/purchase-orders/{id}")).GetProperty("lines")[0].Int("orderedQuantity"));
    }

    public static TheoryData<string, string> BadBodies => new()
    {
        { "missing-id", "purchaseOrderId" },
        { "bad-id", "purchaseOrderId" },
        { "missing-supplier", "supplierId" },
        { "unknown-supplier", "supplierId" },
        { "unknown-warehouse", "warehouseId" },
        { "unknown-sku", "lines[0].sku" },
        { "zero-quantity", "lines[0].quantity" },
        { "negative-quantity", "lines[0].quantity" },
        { "no-lines", "lines" },
        { "too-many-lines", "lines" },
        { "duplicate-sku", "lines[1].sku" },
        { "long-reason", "reason" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Bad_requests_are_422_problems_naming_the_field_and_store_nothing(string kind, string field)
    {
        var (warehouse, supplier, sku) = await SeedAsync();
        var id = Unique("PO");
        var body = kind switch
        {
            "missing-id" => PurchaseOrder(null!, supplier, warehouse, (sku, 1)),
            "bad-id" => PurchaseOrder("P O", supplier, warehouse, (sku, 1)),
            "missing-supplier" => PurchaseOrder(id, null!, warehouse, (sku, 1)),
            "unknown-supplier" => PurchaseOrder(id, Unique("NOSUP"), warehouse, (sku, 1)),
            "unknown-warehouse" => PurchaseOrder(id, supplier, Unique("NOWHERE"), (sku, 1)),
            "unknown-sku" => PurchaseOrder(id, supplier, warehouse, (Unique("NOSKU"), 1)),
            "zero-quantity" => PurchaseOrder(id, supplier, warehouse, (sku, 0)),
            "negative-quantity" => PurchaseOrder(id, supplier, warehouse, (sku, -2)),
            "no-lines" => PurchaseOrder(id, supplier, warehouse),
            "too-many-lines" => PurchaseOrder(id, supplier, warehouse, [.. Enumerable.Range(0, 1001).Select(i => ($"S{i}", 1))]),
            "duplicate-sku" => PurchaseOrder(id, supplier, warehouse, (sku, 1), (sku, 2)),
            "long-reason" => new Dictionary<string, object?>(PurchaseOrder(id, supplier, warehouse, (sku, 1))) { ["reason"] = new string('x', 201) },
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };

        using var response = await PostAsync("/v1/purchase-orders", body);

        await AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, field);
        using var get = await _client.GetAsync($"/v1/purchase-orders/{id}");
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Equal(0, (await _client.GetSkuLocationAsync(warehouse, sku)).GetProperty("inbound").GetArrayLength());
    }

    [Fact]
    public async Task An_unknown_field_or_unreadable_json_is_a_400()
    {
        using var unknownField = await _client.PostAsync("/v1/purchase-orders", RawJson("""{"purchaseOrderId":"P-1","supplierId":"S","warehouseId":"W","lines":[],"priority":"high"}"""));
        using var wrongType = await _client.PostAsync("/v1/purchase-orders", RawJson("""{"purchaseOrderId":"P-1","lines":[{"sku":"A","quantity":"many"}]}"""));
        using var badNotice = await _client.PostAsync($"/v1/purchase-orders/{Unique("PO")}/ship", RawJson("""{"lines":[],"carrier":"x"}"""));

        await AssertProblemAsync(unknownField, HttpStatusCode.BadRequest);
        await AssertProblemAsync(wrongType, HttpStatusCode.BadRequest);
        await AssertProblemAsync(badNotice, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Commands_walk_the_lifecycle_repeats_answer_200_and_out_of_order_ones_are_409_naming_the_status()
    {
        var (warehouse, supplier, sku) = await SeedAsync();
        var id = Unique("PO");
        await CreateAsync(PurchaseOrder(id, supplier, warehouse, (sku, 10)));

        await AssertProblemAsync(await PostAsync($"/v1/purchase-orders/{id}/acknowledge", null), HttpStatusCode.Conflict, "status");
        await AssertProblemAsync(await PostAsync($"/v1/purchase-orders/{id}/close", null), HttpStatusCode.Conflict, "status");
        await AssertProblemAsync(await PostAsync($"/v1/purchase-orders/{Unique("PO")}/send", null), HttpStatusCode.NotFound, "purchaseOrderId");

        var sent = await CommandAsync(id, "send", correlationId: "erp-send-1");
        Assert.Equal(sent.ToString(), (await CommandAsync(id, "send")).ToString());
        Assert.Equal("sent", sent.Str("status"));
        var sentEntry = sent.GetProperty("timeline").EnumerateArray().Last();
        Assert.Equal(("sent", "erp-send-1"), (sentEntry.Str("status"), sentEntry.Str("correlationId")));
        Assert.Equal(Date(sent, "sentAt").AddDays(LeadTimeDays), Date(sent, "eta"));
        Assert.Equal(Date(sent, "sentAt").AddDays(LeadTimeDays - 1), Date(sent, "expectedShipDate"));
        Assert.Equal("acknowledged", (await CommandAsync(id, "acknowledge")).Str("status"));

        using (var notOnIt = await PostAsync($"/v1/purchase-orders/{id}/ship", new { lines = new[] { new { sku = Unique("SKU"), quantity = 1 } } }))
        {
            await AssertProblemAsync(notOnIt, HttpStatusCode.UnprocessableEntity, "lines[0].sku");
        }

        var eta = Now().AddDays(3);
        var notice = new { lines = new[] { new { sku, quantity = 8 } }, eta };
        var shipped = await CommandAsync(id, "ship", body: notice);
        Assert.Equal(("shipped", eta), (shipped.Str("status"), Date(shipped, "eta")));
        var line = shipped.GetProperty("lines")[0];
        Assert.Equal((10, 8, 0, 8), (line.Int("orderedQuantity"), line.Int("shippedQuantity"), line.Int("receivedQuantity"), line.Int("onOrderQuantity")));
        Assert.Equal(shipped.ToString(), (await CommandAsync(id, "ship", body: notice)).ToString());
        await AssertProblemAsync(await PostAsync($"/v1/purchase-orders/{id}/ship", new { lines = new[] { new { sku, quantity = 10 } } }), HttpStatusCode.Conflict, "status");
        var refused = await AssertProblemAsync(await PostAsync($"/v1/purchase-orders/{id}/cancel", null), HttpStatusCode.Conflict, "status");
        Assert.Contains("shipped", refused.Str("detail"), StringComparison.Ordinal);
        await _client.GetAvailabilityUntilAsync(sku, v => Inbound(v, warehouse) == 8 && Date(v.Location(warehouse), "inboundEta") == eta, TimeoutMs);

        await _client.PostEventsAsync("dock-7", Event("PurchaseReceived", warehouse, sku, 5, purchaseOrderId: id));
        var partial = await GetUntilAsync(id, p => p.Str("status") == "partiallyReceived");
        Assert.Equal((5, 3), (partial.GetProperty("lines")[0].Int("receivedQuantity"), partial.GetProperty("lines")[0].Int("onOrderQuantity")));
        Assert.Equal("dock-7", partial.GetProperty("timeline").EnumerateArray().Last().Str("correlationId"));
        var arrived = await _client.GetAvailabilityUntilAsync(sku, v => Inbound(v, warehouse) == 3 && v.Location(warehouse).Int("onHand") == 5, TimeoutMs);
        Assert.Equal(5, arrived.Location(warehouse).Int("available"));

        var closed = await CommandAsync(id, "close");
        Assert.Equal("closed", closed.Str("status"));
        Assert.Equal(0, closed.GetProperty("lines")[0].Int("onOrderQuantity"));
        Assert.Equal(closed.ToString(), (await CommandAsync(id, "close")).ToString());
        await _client.GetAvailabilityUntilAsync(sku, v => Inbound(v, warehouse) == 0, TimeoutMs);
        Assert.Equal(
            ["created", "sent", "acknowledged", "shipped", "partiallyReceived", "closed"],
            (await _client.GetJsonAsync($"/v1/purchase-orders/{id}")).GetProperty("timeline").EnumerateArray().Select(t => t.Str("status")));
    }

    [Fact]
    public async Task Cancel_clears_the_inbound_and_a_receipt_for_it_is_dead_lettered()
    {
        var (warehouse, supplier, sku) = await SeedAsync();
        var id = Unique("PO");
        await CreateAsync(PurchaseOrder(id, supplier, warehouse, (sku, 6)));
        await _client.GetAvailabilityUntilAsync(sku, v => Inbound(v, warehouse) == 6, TimeoutMs);

        var cancelled = await CommandAsync(id, "cancel");
        Assert.Equal(cancelled.ToString(), (await CommandAsync(id, "cancel")).ToString());

        Assert.Equal("cancelled", cancelled.Str("status"));
        await AssertProblemAsync(await PostAsync($"/v1/purchase-orders/{id}/send", null), HttpStatusCode.Conflict, "status");
        var availability = await _client.GetAvailabilityUntilAsync(sku, v => Inbound(v, warehouse) == 0, TimeoutMs);
        Assert.Equal(0, availability.Location(warehouse).GetProperty("inboundSources").GetArrayLength());
        var receipt = Event("PurchaseReceived", warehouse, sku, 6, purchaseOrderId: id);
        await _client.PostEventsAsync(receipt);
        var deadLetter = await _client.GetExceptionUntilAsync($"event:{receipt.Id()}");
        Assert.Equal(("deadLetter", id), (deadLetter.Str("kind"), deadLetter.Str("purchaseOrderId")));
        Assert.Contains("was cancelled", deadLetter.Str("reason"), StringComparison.Ordinal);
        Assert.Equal(1, (await _client.SettleAsync(warehouse, sku)).Int("onHand")); // only the settle marker
    }

    [Fact]
    public async Task An_over_receipt_is_an_exception_naming_the_purchase_order()
    {
        var (warehouse, supplier, sku) = await SeedAsync();
        var id = Unique("PO");
        await CreateAsync(PurchaseOrder(id, supplier, warehouse, (sku, 3)));
        await CommandAsync(id, "send");

        await _client.PostEventsAsync(Event("PurchaseReceived", warehouse, sku, 4, purchaseOrderId: id));

        var over = await _client.GetExceptionUntilAsync($"po-receipt:{id}:{sku}");
        Assert.Equal(("receiptDiscrepancy", id, warehouse), (over.Str("kind"), over.Str("purchaseOrderId"), over.Str("warehouseId")));
        Assert.Equal("received", (await GetUntilAsync(id, p => p.Str("status") == "received")).Str("status"));
        using var list = await _client.GetAsync("/v1/exceptions?kind=purchaseOrderLate");
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
    }

    [Fact]
    public async Task Metrics_count_purchase_orders_created_sent_and_received()
    {
        var (warehouse, supplier, sku) = await SeedAsync();
        var id = Unique("PO");
        await CreateAsync(PurchaseOrder(id, supplier, warehouse, (sku, 2)));
        await CommandAsync(id, "send");
        await _client.PostEventsAsync(Event("PurchaseReceived", warehouse, sku, 2, purchaseOrderId: id));
        await GetUntilAsync(id, p => p.Str("status") == "received");

        var names = new[] { "distribution_purchase_orders_created_total", "distribution_purchase_orders_sent_total", "distribution_purchase_orders_received_total" };
        bool Counted(string text, string name) => text.Split('\n').Any(l =>
            l.StartsWith(name + "{", StringComparison.Ordinal) && l.Contains($"supplier=\"{supplier}\",warehouse=\"{warehouse}\"}} 1", StringComparison.Ordinal));
        var deadline = DateTime.UtcNow.AddMilliseconds(TimeoutMs);
        var text = await _client.GetStringAsync("/metrics");
        while (!names.All(n => Counted(text, n)) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
            text = await _client.GetStringAsync("/metrics");
        }

        Assert.All(names, n => Assert.True(Counted(text, n), $"{n} for {supplier} -> {warehouse} is not 1 in:\n{text}"));
    }
}
