using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using static Distribution.Tests.Api.ApiTestClient;
using static Distribution.Tests.Api.EventTestClient;

namespace Distribution.Tests.Api;

/// <summary>
/// /v1/transfers through HTTP: creation (idempotent by transferId), validation naming fields,
/// rejection when the source lacks stock, lookup, cancellation, and the transfer's units shown as
/// inbound at the destination by GET /v1/availability while in transit.
/// </summary>
public sealed class TransferTests(HubFactory factory) : IClassFixture<HubFactory>
{
    private static readonly DateTimeOffset AsOf = new(2025, 3, 3, 8, 0, 0, TimeSpan.Zero);

    private readonly HttpClient _client = factory.CreateClient();

    /// <summary>Two new warehouses with a 2-day lane from the first to the second, and a SKU stocked at the first.</summary>
    private async Task<(string From, string To, string Sku)> SeedAsync(int onHand = 10)
    {
        var (sku, from) = await _client.SeedOneSkuAsync(AsOf, onHand);
        var to = Unique("WH");
        await _client.PutWarehouseAsync(to, 52.5, 13.4);
        using var lane = await _client.PutAsJsonAsync($"/v1/lanes/{from}/{to}", new { transitDays = 2.0, costPerUnit = 0.5m });
        await EnsureAsync(lane, HttpStatusCode.Created, HttpStatusCode.OK);
        return (from, to, sku);
    }

    private static Dictionary<string, object?> Transfer(string transferId, string from, string to, params (string Sku, int Quantity)[] lines) => new()
    {
        ["transferId"] = transferId,
        ["fromWarehouseId"] = from,
        ["toWarehouseId"] = to,
        ["lines"] = lines.Select(l => new { sku = l.Sku, quantity = l.Quantity }).ToArray(),
        ["reason"] = "rebalance",
    };

    private async Task<HttpResponseMessage> PostAsync(object body, string? correlationId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/transfers") { Content = JsonContent.Create(body) };
        if (correlationId is not null)
        {
            request.Headers.Add("X-Correlation-Id", correlationId);
        }

        return await _client.SendAsync(request);
    }

    private async Task<JsonElement> CreateAsync(object body)
    {
        using var response = await PostAsync(body);
        await EnsureAsync(response, HttpStatusCode.Created);
        return await ReadJsonAsync(response);
    }

    /// <summary>A warehouse's inbound in an availability answer (null while the warehouse is not listed).</summary>
    private static int? Inbound(JsonElement availability, string warehouseId) =>
        availability.GetProperty("locations").EnumerateArray()
            .Where(l => l.Str("warehouseId") == warehouseId)
            .Select(l => (int?)l.Int("inbound"))
            .FirstOrDefault();

    private Task<JsonElement> GetTransferUntilAsync(string id, Func<JsonElement, bool> until) =>
        EventuallyAsync(() => _client.GetJsonAsync($"/v1/transfers/{id}"), until, TimeoutMs);

    [Fact]
    public async Task Post_creates_the_transfer_and_reserves_the_source_and_the_same_body_again_answers_the_same()
    {
        var (from, to, sku) = await SeedAsync(onHand: 10);
        var id = Unique("TR");
        var body = Transfer(id, from, to, (sku, 4));

        using var created = await PostAsync(body, correlationId: "planner-7");
        var first = await ReadJsonAsync(created);
        using var replay = await PostAsync(body);
        var second = await ReadJsonAsync(replay);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal($"/v1/transfers/{id}", created.Headers.Location?.OriginalString);
        Assert.Equal((id, "requested", from, to, "rebalance"), (first.Str("transferId"), first.Str("status"), first.Str("fromWarehouseId"), first.Str("toWarehouseId"), first.Str("reason")));
        Assert.Equal(2.0, first.GetProperty("transitDays").GetDouble());
        var line = Assert.Single(first.GetProperty("lines").EnumerateArray());
        Assert.Equal((sku, 4, 0, 0, 0), (line.Str("sku"), line.Int("quantity"), line.Int("shippedQuantity"), line.Int("receivedQuantity"), line.Int("inTransitQuantity")));
        Assert.All(first.GetProperty("timeline").EnumerateArray(), t => Assert.Equal("planner-7", t.Str("correlationId")));
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal(first.ToString(), second.ToString());
        Assert.Equal(first.ToString(), (await _client.GetJsonAsync($"/v1/transfers/{id}")).ToString());

        var availability = await _client.GetAvailabilityUntilAsync(sku, v => v.Location(from).Int("reserved") == 4, TimeoutMs);
        Assert.Equal((10, 4, 6), (availability.Location(from).Int("onHand"), availability.Location(from).Int("reserved"), availability.Location(from).Int("available")));
        var reservation = Assert.Single((await _client.GetSkuLocationAsync(from, sku)).GetProperty("reservations").EnumerateArray());
        Assert.Equal(("transfer", id, 4), (reservation.Str("owner"), reservation.Str("orderId"), reservation.Int("quantity")));
    }

    [Fact]
    public async Task The_same_transfer_id_with_another_body_is_a_conflict_and_changes_nothing()
    {
        var (from, to, sku) = await SeedAsync(onHand: 10);
        var id = Unique("TR");
        await CreateAsync(Transfer(id, from, to, (sku, 4)));

        using var response = await PostAsync(Transfer(id, from, to, (sku, 5)));

        await AssertProblemAsync(response, HttpStatusCode.Conflict, "transferId");
        Assert.Equal(4, (await _client.GetSkuLocationAsync(from, sku)).Int("reserved"));
        Assert.Equal(4, (await _client.GetJsonAsync($"/v1/transfers/{id}")).GetProperty("lines")[0].Int("quantity"));
    }

    public static TheoryData<string, string> BadBodies => new()
    {
        { "missing-id", "transferId" },
        { "bad-id", "transferId" },
        { "same-warehouses", "toWarehouseId" },
        { "unknown-source", "fromWarehouseId" },
        { "unknown-destination", "toWarehouseId" },
        { "no-lane", "toWarehouseId" },
        { "unknown-sku", "lines[0].sku" },
        { "zero-quantity", "lines[0].quantity" },
        { "negative-quantity", "lines[0].quantity" },
        { "no-lines", "lines" },
        { "too-many-lines", "lines" },
        { "duplicate-sku", "lines[1].sku" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Bad_requests_are_422_problems_naming_the_field_and_store_nothing(string kind, string field)
    {
        var (from, to, sku) = await SeedAsync();
        var id = Unique("TR");
        var body = kind switch
        {
            "missing-id" => Transfer(null!, from, to, (sku, 1)),
            "bad-id" => Transfer("T R", from, to, (sku, 1)),
            "same-warehouses" => Transfer(id, from, from, (sku, 1)),
            "unknown-source" => Transfer(id, Unique("NOWHERE"), to, (sku, 1)),
            "unknown-destination" => Transfer(id, from, Unique("NOWHERE"), (sku, 1)),
            "no-lane" => Transfer(id, to, from, (sku, 1)),
            "unknown-sku" => Transfer(id, from, to, (Unique("NOSKU"), 1)),
            "zero-quantity" => Transfer(id, from, to, (sku, 0)),
            "negative-quantity" => Transfer(id, from, to, (sku, -2)),
            "no-lines" => Transfer(id, from, to),
            "too-many-lines" => Transfer(id, from, to, [.. Enumerable.Range(0, 1001).Select(i => ($"S{i}", 1))]),
            "duplicate-sku" => Transfer(id, from, to, (sku, 1), (sku, 2)),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };

        using var response = await PostAsync(body);

        await AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, field);
        using var get = await _client.GetAsync($"/v1/transfers/{id}");
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Equal(0, (await _client.GetSkuLocationAsync(from, sku)).Int("reserved"));
    }

    [Fact]
    public async Task An_unknown_field_or_unreadable_json_is_a_400()
    {
        using var unknownField = await _client.PostAsync("/v1/transfers", RawJson("""{"transferId":"T-1","fromWarehouseId":"A","toWarehouseId":"B","lines":[],"priority":"high"}"""));
        using var wrongType = await _client.PostAsync("/v1/transfers", RawJson("""{"transferId":"T-1","lines":[{"sku":"A","quantity":"many"}]}"""));

        await AssertProblemAsync(unknownField, HttpStatusCode.BadRequest);
        await AssertProblemAsync(wrongType, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Not_enough_stock_at_the_source_is_a_409_naming_the_line_and_nothing_is_held()
    {
        var (from, to, sku) = await SeedAsync(onHand: 3);
        var id = Unique("TR");
        var body = Transfer(id, from, to, (sku, 5));

        using var first = await PostAsync(body);
        var problem = await AssertProblemAsync(first, HttpStatusCode.Conflict, "lines[0].quantity");
        using var again = await PostAsync(body);

        Assert.Contains("only 3 unit(s)", problem.Str("detail"), StringComparison.Ordinal);
        await AssertProblemAsync(again, HttpStatusCode.Conflict, "lines[0].quantity");
        var stored = await _client.GetJsonAsync($"/v1/transfers/{id}");
        Assert.Equal("rejected", stored.Str("status"));
        Assert.Contains("only 3 unit(s)", stored.Str("rejectionReason"), StringComparison.Ordinal);
        Assert.Equal(0, (await _client.GetSkuLocationAsync(from, sku)).Int("reserved"));
    }

    [Fact]
    public async Task Unknown_transfers_are_404_and_cancel_releases_once_and_is_refused_after_shipment()
    {
        var (from, to, sku) = await SeedAsync(onHand: 10);
        using var unknown = await _client.GetAsync($"/v1/transfers/{Unique("TR")}");
        using var cancelUnknown = await _client.PostAsync($"/v1/transfers/{Unique("TR")}/cancel", null);
        await AssertProblemAsync(unknown, HttpStatusCode.NotFound, "transferId");
        await AssertProblemAsync(cancelUnknown, HttpStatusCode.NotFound, "transferId");

        var cancelled = Unique("TR");
        await CreateAsync(Transfer(cancelled, from, to, (sku, 4)));
        using var cancel = await _client.PostAsync($"/v1/transfers/{cancelled}/cancel", null);
        using var cancelAgain = await _client.PostAsync($"/v1/transfers/{cancelled}/cancel", null);
        await EnsureAsync(cancel, HttpStatusCode.OK);
        await EnsureAsync(cancelAgain, HttpStatusCode.OK);
        Assert.Equal("cancelled", (await ReadJsonAsync(cancelAgain)).Str("status"));
        Assert.Equal(0, (await _client.GetSkuLocationAsync(from, sku)).Int("reserved"));

        var shipped = Unique("TR");
        await CreateAsync(Transfer(shipped, from, to, (sku, 3)));
        await _client.PostEventsAsync(Event("TransferShipped", from, sku, 3, transferId: shipped));
        await GetTransferUntilAsync(shipped, t => t.Str("status") == "shipped");
        using var late = await _client.PostAsync($"/v1/transfers/{shipped}/cancel", null);
        await AssertProblemAsync(late, HttpStatusCode.Conflict, "status");
        Assert.Equal("shipped", (await _client.GetJsonAsync($"/v1/transfers/{shipped}")).Str("status"));
    }

    [Fact]
    public async Task Availability_shows_the_units_in_transit_as_inbound_at_the_destination_until_received()
    {
        var (from, to, sku) = await SeedAsync(onHand: 10);
        var id = Unique("TR");
        await CreateAsync(Transfer(id, from, to, (sku, 6)));
        var shippedAt = Now().AddMinutes(-5);

        await _client.PostEventsAsync("ship-1", Event("TransferShipped", from, sku, 6, transferId: id, occurredAt: shippedAt));

        var eta = shippedAt.AddDays(2);
        var inTransit = await _client.GetAvailabilityUntilAsync(sku, v => Inbound(v, to) == 6, TimeoutMs);
        var destination = inTransit.Location(to);
        Assert.Equal((0, 0, 6), (destination.Int("onHand"), destination.Int("available"), destination.Int("inbound")));
        Assert.Equal(eta, destination.GetProperty("inboundEta").GetDateTimeOffset());
        var source = Assert.Single(destination.GetProperty("inboundSources").EnumerateArray());
        Assert.Equal(("transfer", id, 6), (source.Str("sourceKind"), source.Str("sourceId"), source.Int("quantity")));
        Assert.Equal(eta, source.GetProperty("eta").GetDateTimeOffset());
        Assert.Equal((4, 0, 4, 0), (inTransit.Location(from).Int("onHand"), inTransit.Location(from).Int("reserved"), inTransit.Location(from).Int("available"), inTransit.Location(from).Int("inbound")));
        Assert.Equal((4, 6), (inTransit.GetProperty("total").Int("onHand"), inTransit.GetProperty("total").Int("inbound")));
        var shipped = await _client.GetJsonAsync($"/v1/transfers/{id}");
        Assert.Equal(("shipped", eta), (shipped.Str("status"), shipped.GetProperty("eta").GetDateTimeOffset()));
        Assert.Equal("ship-1", shipped.GetProperty("timeline").EnumerateArray().Last().Str("correlationId"));

        await _client.PostEventsAsync(Event("TransferReceived", to, sku, 6, transferId: id));

        var arrived = await _client.GetAvailabilityUntilAsync(sku, v => Inbound(v, to) == 0 && v.Location(to).Int("onHand") == 6, TimeoutMs);
        Assert.Equal((6, 6, 0), (arrived.Location(to).Int("onHand"), arrived.Location(to).Int("available"), arrived.Location(to).Int("inbound")));
        Assert.Equal(JsonValueKind.Null, arrived.Location(to).GetProperty("inboundEta").ValueKind);
        Assert.Equal(0, arrived.Location(to).GetProperty("inboundSources").GetArrayLength());
        Assert.Equal((10, 0), (arrived.GetProperty("total").Int("onHand"), arrived.GetProperty("total").Int("inbound")));
        Assert.Equal("received", (await GetTransferUntilAsync(id, t => t.Str("status") == "received")).Str("status"));
    }

    [Fact]
    public async Task Metrics_count_transfers_created_shipped_and_received()
    {
        var (from, to, sku) = await SeedAsync(onHand: 10);
        var id = Unique("TR");
        await CreateAsync(Transfer(id, from, to, (sku, 2)));
        await _client.PostEventsAsync(Event("TransferShipped", from, sku, 2, transferId: id));
        await _client.PostEventsAsync(Event("TransferReceived", to, sku, 2, transferId: id));
        await GetTransferUntilAsync(id, t => t.Str("status") == "received");

        var names = new[] { "distribution_transfers_created_total", "distribution_transfers_shipped_total", "distribution_transfers_received_total" };
        bool Counted(string text, string name) => text.Split('\n').Any(l =>
            l.StartsWith(name + "{", StringComparison.Ordinal) && l.Contains($"from=\"{from}\",to=\"{to}\"}} 1", StringComparison.Ordinal));
        var deadline = DateTime.UtcNow.AddMilliseconds(TimeoutMs);
        var text = await _client.GetStringAsync("/metrics");
        while (!names.All(n => Counted(text, n)) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
            text = await _client.GetStringAsync("/metrics");
        }

        Assert.All(names, n => Assert.True(Counted(text, n), $"{n} for {from} -> {to} is not 1 in:\n{text}"));
    }
}
