using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using static Distribution.Tests.Api.ApiTestClient;

namespace Distribution.Tests.Api;

public sealed class OrderTests(HubFactory factory) : IClassFixture<HubFactory>
{
    private static readonly DateTimeOffset AsOf = new(2025, 3, 3, 8, 0, 0, TimeSpan.Zero);

    private readonly HttpClient _client = factory.CreateClient();

    /// <summary>Three warehouses ranked from the Frankfurt ship-to: near (~10 km), mid (~125 km), far (~420 km).</summary>
    private async Task<(string Sku, string Near, string Mid, string Far)> SeedAsync(int near, int mid, int far)
    {
        var sku = Unique("SKU");
        var (n, m, f) = (Unique("NEAR"), Unique("MID"), Unique("FAR"));
        await _client.PutItemAsync(sku);
        await _client.PutWarehouseAsync(n, 50.20, 8.70);
        await _client.PutWarehouseAsync(m, 49.00, 9.00);
        await _client.PutWarehouseAsync(f, 52.52, 13.40);
        foreach (var (warehouse, onHand) in new[] { (n, near), (m, mid), (f, far) })
        {
            if (onHand > 0)
            {
                await _client.PostSnapshotAsync(warehouse, AsOf, (sku, onHand));
            }
        }

        await _client.GetAvailabilityUntilAsync(sku, v => v.GetProperty("total").Int("onHand") == near + mid + far);
        return (sku, n, m, f);
    }

    [Fact]
    public async Task Order_is_201_allocated_whole_from_the_nearest_warehouse_that_fills_it()
    {
        var (sku, near, mid, far) = await SeedAsync(near: 2, mid: 10, far: 10);
        var orderId = Unique("ORD");
        var before = DateTimeOffset.UtcNow;

        using var response = await _client.PostOrderAsync(Order(orderId, lines: ("1", sku, 5)));

        var after = DateTimeOffset.UtcNow;
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"/v1/orders/{orderId}", response.Headers.Location?.OriginalString);
        var order = await ReadJsonAsync(response);
        Assert.Equal(orderId, order.Str("orderId"));
        Assert.Equal("allocated", order.Str("status"));
        Assert.Equal(JsonValueKind.Null, order.GetProperty("rejectionReason").ValueKind);
        var line = Assert.Single(order.GetProperty("lines").EnumerateArray());
        Assert.Equal(("1", sku, 5, 0, 0), (line.Str("lineId"), line.Str("sku"), line.Int("quantity"), line.Int("backorderedQuantity"), line.Int("shippedQuantity")));
        var allocation = Assert.Single(line.GetProperty("allocations").EnumerateArray());
        Assert.Equal(mid, allocation.Str("warehouseId"));
        Assert.Equal(5, allocation.Int("quantity"));
        var promised = DateOnly.Parse(allocation.Str("promisedShipDate")!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains(promised, new[] { ExpectedShipDate(before), ExpectedShipDate(after) });

        var availability = await _client.GetAvailabilityUntilAsync(sku, v => v.Location(mid).Int("reserved") == 5);
        Assert.Equal((10, 5, 5), (availability.Location(mid).Int("onHand"), availability.Location(mid).Int("reserved"), availability.Location(mid).Int("available")));
        Assert.Equal(0, availability.Location(near).Int("reserved"));
        Assert.Equal(0, availability.Location(far).Int("reserved"));

        var read = await _client.GetJsonAsync($"/v1/orders/{orderId}");
        Assert.Equal(order.GetProperty("lines").GetRawText(), read.GetProperty("lines").GetRawText());
        Assert.Equal("allocated", read.Str("status"));
    }

    [Fact]
    public async Task Same_order_again_is_200_with_an_identical_answer_and_stock_unchanged()
    {
        var (sku, _, mid, _) = await SeedAsync(near: 0, mid: 10, far: 0);
        var body = Order(Unique("ORD"), lines: ("1", sku, 4));
        using var first = await _client.PostOrderAsync(body);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var original = await ReadJsonAsync(first);
        await _client.GetAvailabilityUntilAsync(sku, v => v.Location(mid).Int("reserved") == 4);

        using var again = await _client.PostOrderAsync(body);

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var replay = await ReadJsonAsync(again);
        Assert.Equal(original.GetProperty("lines").GetRawText(), replay.GetProperty("lines").GetRawText());
        Assert.Equal(original.Str("status"), replay.Str("status"));
        Assert.Equal(original.Str("createdAt"), replay.Str("createdAt"));
        await Task.Delay(200);
        var availability = await _client.GetAvailabilityAsync(sku);
        Assert.Equal((10, 4, 6), (availability.Location(mid).Int("onHand"), availability.Location(mid).Int("reserved"), availability.Location(mid).Int("available")));
    }

    [Fact]
    public async Task Same_orderId_with_a_different_body_is_409_and_changes_nothing()
    {
        var (sku, _, mid, _) = await SeedAsync(near: 0, mid: 10, far: 0);
        var orderId = Unique("ORD");
        using (var first = await _client.PostOrderAsync(Order(orderId, lines: ("1", sku, 4))))
        {
            Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        }

        using var conflict = await _client.PostOrderAsync(Order(orderId, lines: ("1", sku, 6)));

        await AssertProblemAsync(conflict, HttpStatusCode.Conflict, "orderId");
        var order = await _client.GetJsonAsync($"/v1/orders/{orderId}");
        Assert.Equal(4, order.GetProperty("lines")[0].Int("quantity"));
        await Task.Delay(200);
        Assert.Equal(4, (await _client.GetAvailabilityAsync(sku)).Location(mid).Int("reserved"));
    }

    [Fact]
    public async Task Order_is_split_across_warehouses_when_no_single_one_fills_it_and_split_is_allowed()
    {
        var (sku, near, _, far) = await SeedAsync(near: 3, mid: 0, far: 5);

        using var response = await _client.PostOrderAsync(Order(Unique("ORD"), allowSplit: true, lines: ("1", sku, 7)));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var order = await ReadJsonAsync(response);
        Assert.Equal("allocated", order.Str("status"));
        var line = order.GetProperty("lines")[0];
        var allocations = line.GetProperty("allocations").EnumerateArray()
            .ToDictionary(a => a.Str("warehouseId")!, a => a.Int("quantity"));
        Assert.Equal(new Dictionary<string, int> { [far] = 5, [near] = 2 }, allocations);
        Assert.Equal(0, line.Int("backorderedQuantity"));
        var availability = await _client.GetAvailabilityUntilAsync(sku, v => v.GetProperty("total").Int("reserved") == 7);
        Assert.Equal(5, availability.Location(far).Int("reserved"));
        Assert.Equal(2, availability.Location(near).Int("reserved"));
    }

    [Fact]
    public async Task Order_no_single_warehouse_fills_is_rejected_when_split_is_not_allowed_and_reserves_nothing()
    {
        var (sku, near, _, far) = await SeedAsync(near: 3, mid: 0, far: 5);
        var orderId = Unique("ORD");

        using var response = await _client.PostOrderAsync(Order(orderId, allowSplit: false, allowBackorder: false, lines: ("1", sku, 7)));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var order = await ReadJsonAsync(response);
        Assert.Equal("rejected", order.Str("status"));
        Assert.False(string.IsNullOrWhiteSpace(order.Str("rejectionReason")));
        Assert.Equal(0, order.GetProperty("lines")[0].GetProperty("allocations").GetArrayLength());
        Assert.Equal("rejected", (await _client.GetJsonAsync($"/v1/orders/{orderId}")).Str("status"));
        await Task.Delay(200);
        var availability = await _client.GetAvailabilityAsync(sku);
        Assert.Equal(0, availability.GetProperty("total").Int("reserved"));
        Assert.Equal(3, availability.Location(near).Int("available"));
        Assert.Equal(5, availability.Location(far).Int("available"));
        Assert.Equal(0, availability.Int("backordered"));
    }

    [Fact]
    public async Task Order_beyond_network_stock_is_rejected_without_backorder_and_reserves_nothing()
    {
        var (sku, _, _, _) = await SeedAsync(near: 3, mid: 0, far: 5);

        using var response = await _client.PostOrderAsync(Order(Unique("ORD"), allowSplit: true, allowBackorder: false, lines: ("1", sku, 9)));

        var order = await ReadJsonAsync(response);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("rejected", order.Str("status"));
        Assert.False(string.IsNullOrWhiteSpace(order.Str("rejectionReason")));
        await Task.Delay(200);
        Assert.Equal(0, (await _client.GetAvailabilityAsync(sku)).GetProperty("total").Int("reserved"));
    }

    [Fact]
    public async Task Shortfall_is_backordered_when_allowed_and_cancel_removes_the_backorder()
    {
        var (sku, _, mid, _) = await SeedAsync(near: 0, mid: 2, far: 0);
        var orderId = Unique("ORD");

        using var response = await _client.PostOrderAsync(Order(orderId, allowBackorder: true, lines: ("1", sku, 5)));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var order = await ReadJsonAsync(response);
        Assert.Equal("partiallyAllocated", order.Str("status"));
        var line = order.GetProperty("lines")[0];
        Assert.Equal(3, line.Int("backorderedQuantity"));
        var allocation = Assert.Single(line.GetProperty("allocations").EnumerateArray());
        Assert.Equal((mid, 2), (allocation.Str("warehouseId"), allocation.Int("quantity")));
        var availability = await _client.GetAvailabilityUntilAsync(sku, v => v.Int("backordered") == 3 && v.Location(mid).Int("reserved") == 2);
        Assert.Equal(3, availability.Int("backordered"));
        Assert.Equal(2, availability.Location(mid).Int("reserved"));

        using var cancel = await _client.PostAsync($"/v1/orders/{orderId}/cancel", null);
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        availability = await _client.GetAvailabilityUntilAsync(sku, v => v.Int("backordered") == 0 && v.Location(mid).Int("reserved") == 0);
        Assert.Equal(0, availability.Int("backordered"));
        Assert.Equal(0, availability.Location(mid).Int("reserved"));
    }

    [Fact]
    public async Task Backordered_line_is_allocated_automatically_when_a_snapshot_raises_stock()
    {
        var (sku, _, mid, _) = await SeedAsync(near: 0, mid: 0, far: 0);
        var orderId = Unique("ORD");
        using (var response = await _client.PostOrderAsync(Order(orderId, allowBackorder: true, lines: ("1", sku, 4))))
        {
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            var order = await ReadJsonAsync(response);
            Assert.Equal("backordered", order.Str("status"));
            Assert.Equal(4, order.GetProperty("lines")[0].Int("backorderedQuantity"));
        }

        await _client.GetAvailabilityUntilAsync(sku, v => v.Int("backordered") == 4);
        var correlationId = Unique("corr-restock");
        using (var restock = new HttpRequestMessage(HttpMethod.Post, "/v1/inventory/snapshots") { Content = JsonContent.Create(Snapshot(mid, AsOf.AddHours(1), (sku, 10))) })
        {
            restock.Headers.Add("X-Correlation-Id", correlationId);
            using var restocked = await _client.SendAsync(restock);
            Assert.Equal(HttpStatusCode.OK, restocked.StatusCode);
        }

        var allocated = await EventuallyAsync(
            () => _client.GetJsonAsync($"/v1/orders/{orderId}"),
            o => o.Str("status") == "allocated",
            timeoutMs: 5000);
        Assert.Equal("allocated", allocated.Str("status"));
        var line = allocated.GetProperty("lines")[0];
        Assert.Equal(0, line.Int("backorderedQuantity"));
        var allocation = Assert.Single(line.GetProperty("allocations").EnumerateArray());
        Assert.Equal((mid, 4), (allocation.Str("warehouseId"), allocation.Int("quantity")));
        // The allocation was caused by the restock: its timeline entry carries that request's correlation id.
        var last = allocated.GetProperty("timeline").EnumerateArray().Last();
        Assert.Equal("allocated", last.Str("status"));
        Assert.Equal(correlationId, last.Str("correlationId"));
        var availability = await _client.GetAvailabilityUntilAsync(sku, v => v.Int("backordered") == 0 && v.Location(mid).Int("reserved") == 4);
        Assert.Equal(0, availability.Int("backordered"));
        Assert.Equal((10, 4, 6), (availability.Location(mid).Int("onHand"), availability.Location(mid).Int("reserved"), availability.Location(mid).Int("available")));
    }

    [Fact]
    public async Task Cancel_releases_the_reservations_and_cancelling_twice_is_harmless()
    {
        var (sku, _, _, _) = await SeedAsync(near: 3, mid: 10, far: 0);
        var orderId = Unique("ORD");
        var before = await _client.GetAvailabilityAsync(sku);
        using (var response = await _client.PostOrderAsync(Order(orderId, lines: [("1", sku, 2), ("2", sku, 4)])))
        {
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }

        await _client.GetAvailabilityUntilAsync(sku, v => v.GetProperty("total").Int("reserved") == 6);

        using var first = await _client.PostAsync($"/v1/orders/{orderId}/cancel", null);
        using var second = await _client.PostAsync($"/v1/orders/{orderId}/cancel", null);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var a = await ReadJsonAsync(first);
        var b = await ReadJsonAsync(second);
        Assert.Equal("cancelled", a.Str("status"));
        Assert.Equal("cancelled", b.Str("status"));
        Assert.Equal(a.GetProperty("lines").GetRawText(), b.GetProperty("lines").GetRawText());
        Assert.All(a.GetProperty("lines").EnumerateArray(), l => Assert.Equal(0, l.GetProperty("allocations").GetArrayLength()));
        var after = await _client.GetAvailabilityUntilAsync(sku, v => v.GetProperty("total").Int("reserved") == 0);
        Assert.Equal(before.GetProperty("locations").GetRawText(), after.GetProperty("locations").GetRawText());
        Assert.Equal(before.GetProperty("total").GetRawText(), after.GetProperty("total").GetRawText());
        Assert.Equal("cancelled", (await _client.GetJsonAsync($"/v1/orders/{orderId}")).Str("status"));
    }

    [Fact]
    public async Task Unknown_order_is_404_for_get_and_cancel()
    {
        using var get = await _client.GetAsync($"/v1/orders/{Unique("NOPE")}");
        using var cancel = await _client.PostAsync($"/v1/orders/{Unique("NOPE")}/cancel", null);

        await AssertProblemAsync(get, HttpStatusCode.NotFound, "orderId");
        await AssertProblemAsync(cancel, HttpStatusCode.NotFound, "orderId");
    }

    [Fact]
    public async Task Timeline_entries_carry_the_correlation_id_of_the_request_that_caused_them()
    {
        var (sku, _, _, _) = await SeedAsync(near: 5, mid: 0, far: 0);
        var orderId = Unique("ORD");
        var placeId = Unique("corr-place");
        var cancelId = Unique("corr-cancel");

        using var place = new HttpRequestMessage(HttpMethod.Post, "/v1/orders") { Content = JsonContent.Create(Order(orderId, lines: ("1", sku, 1))) };
        place.Headers.Add("X-Correlation-Id", placeId);
        using var placed = await _client.SendAsync(place);
        Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
        Assert.Equal(placeId, Assert.Single(placed.Headers.GetValues("X-Correlation-Id")));

        using var cancel = new HttpRequestMessage(HttpMethod.Post, $"/v1/orders/{orderId}/cancel");
        cancel.Headers.Add("X-Correlation-Id", cancelId);
        using var cancelled = await _client.SendAsync(cancel);
        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);

        var order = await _client.GetJsonAsync($"/v1/orders/{orderId}");
        var timeline = order.GetProperty("timeline").EnumerateArray().ToList();
        Assert.True(timeline.Count >= 3, order.GetProperty("timeline").GetRawText());
        Assert.Equal(["allocating", "allocated"], timeline.Take(2).Select(e => e.Str("status")));
        Assert.All(timeline.Take(timeline.Count - 1), e => Assert.Equal(placeId, e.Str("correlationId")));
        Assert.Equal("cancelled", timeline[^1].Str("status"));
        Assert.Equal(cancelId, timeline[^1].Str("correlationId"));
    }

    [Fact]
    public async Task Request_without_correlation_id_gets_one_generated_and_echoed()
    {
        var (sku, _, _, _) = await SeedAsync(near: 5, mid: 0, far: 0);
        var orderId = Unique("ORD");

        using var placed = await _client.PostOrderAsync(Order(orderId, lines: ("1", sku, 1)));
        using var other = await _client.GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
        var generated = Assert.Single(placed.Headers.GetValues("X-Correlation-Id"));
        Assert.False(string.IsNullOrWhiteSpace(generated));
        Assert.NotEqual(generated, Assert.Single(other.Headers.GetValues("X-Correlation-Id")));
        var order = await _client.GetJsonAsync($"/v1/orders/{orderId}");
        Assert.All(order.GetProperty("timeline").EnumerateArray(), e => Assert.Equal(generated, e.Str("correlationId")));
    }

    [Fact]
    public async Task Problem_answers_carry_the_correlation_id()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/orders/{Unique("NOPE")}");
        request.Headers.Add("X-Correlation-Id", "corr-problem-1");

        using var response = await _client.SendAsync(request);

        var problem = await AssertProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Equal("corr-problem-1", problem.Str("correlationId"));
        Assert.Equal("corr-problem-1", Assert.Single(response.Headers.GetValues("X-Correlation-Id")));
    }

    /// <summary>Cutoff 23:59:59 UTC, Monday to Friday: today on a working day, else the next Monday.</summary>
    private static DateOnly ExpectedShipDate(DateTimeOffset now)
    {
        var date = DateOnly.FromDateTime(now.UtcDateTime);
        var beforeCutoff = TimeOnly.FromDateTime(now.UtcDateTime) < new TimeOnly(23, 59, 59);
        if (!beforeCutoff || date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
        {
            do
            {
                date = date.AddDays(1);
            }
            while (date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday);
        }

        return date;
    }
}
