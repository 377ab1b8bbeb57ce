using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Distribution.Tests.Browser;

/// <summary>The operations page in headless Chromium against the embedded demo system.</summary>
[Collection(OpsCollection.Name)]
public sealed class OpsPageTests(OpsHub hub)
{
    [Fact]
    public async Task Page_loads_and_draws_every_part_without_console_errors()
    {
        var (page, errors) = await hub.OpenAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Operations", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.Locator("#warehouses tbody tr")).ToHaveCountAsync(5);
        await Expect(page.Locator("#charts figure")).ToHaveCountAsync(6);
        await Expect(page.Locator("#exception-count")).ToContainTextAsync("Exceptions (");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Orleans dashboard" })).ToHaveAttributeAsync("href", "/dashboard");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "API reference" })).ToHaveAttributeAsync("href", "/api-reference");
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Map_shows_the_demo_warehouses_their_status_stock_health_and_a_transfer_in_transit()
    {
        var transferId = await ShipTransferAsync("AMS", "MIL", "SKU-003");
        // Stockouts are counted as they happen: a new SKU that runs out at MAD shows without a replenishment pass.
        var stockoutsAtMad = await StockoutsAsync("MAD");
        var sku = $"OPS-OUT-{Guid.NewGuid():N}"[..16];
        using (var item = await hub.Api.PutAsJsonAsync($"/v1/items/{sku}", new { description = "runs out", unitOfMeasure = "EA" }))
        {
            Assert.True(item.IsSuccessStatusCode, await item.Content.ReadAsStringAsync());
        }

        var asOf = DateTimeOffset.UtcNow.AddSeconds(-10);
        foreach (var (onHand, at) in new[] { (2, asOf), (0, asOf.AddSeconds(1)) })
        {
            using var snapshot = await hub.Api.PostAsJsonAsync("/v1/inventory/snapshots", new { warehouseId = "MAD", asOf = at, items = new[] { new { sku, onHand } } });
            Assert.True(snapshot.IsSuccessStatusCode, await snapshot.Content.ReadAsStringAsync());
        }

        await WaitForAsync("/v1/operations/stock-health", h => Stockouts(h, "MAD") == stockoutsAtMad + 1);
        var (page, errors) = await hub.OpenAsync();

        var map = page.Locator("#map");
        foreach (var id in new[] { "AMS", "BER", "MAD", "MIL", "WAW" })
        {
            await Expect(map.Locator($"[data-warehouse='{id}']")).ToBeVisibleAsync();
            await Expect(map.Locator($"[data-warehouse='{id}'] circle")).Not.ToHaveClassAsync("health-unknown");
        }

        await Expect(map.Locator("[data-warehouse='WAW']")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("status-degraded"));
        await Expect(map.Locator("[data-warehouse='AMS']")).ToHaveAttributeAsync("aria-label", new System.Text.RegularExpressions.Regex("Amsterdam DC \\(AMS\\), active"));
        await Expect(page.Locator("#warehouses tbody tr[data-warehouse='MAD'] td").Nth(3)).ToHaveTextAsync((stockoutsAtMad + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(page.Locator("#health-as-of")).ToContainTextAsync("Stock health as of");
        var line = map.Locator($"[data-transfer='{transferId}']");
        await Expect(line).ToHaveAttributeAsync("aria-label", new System.Text.RegularExpressions.Regex($"from AMS to MIL"));

        // SKUs below their reorder point are counted by the replenishment pass; the button runs one.
        await page.GetByRole(AriaRole.Button, new() { Name = "Run a stock review now" }).ClickAsync();
        await Expect(page.Locator("#health-as-of")).ToContainTextAsync("below reorder point as of the replenishment pass at");
        await Expect(page.Locator("#warehouses tbody tr[data-warehouse='AMS'] td").Nth(2)).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^\\d+ / 20$"));
        Assert.Empty(errors);
    }

    private async Task<int> StockoutsAsync(string warehouseId) => Stockouts(await hub.Api.GetFromJsonAsync<JsonElement>("/v1/operations/stock-health"), warehouseId);

    private static int Stockouts(JsonElement health, string warehouseId) => health.GetProperty("warehouses").EnumerateArray()
        .Where(h => h.GetProperty("warehouseId").GetString() == warehouseId)
        .Select(h => h.GetProperty("stockouts").GetInt32())
        .DefaultIfEmpty(0)
        .Single();

    [Fact]
    public async Task An_exception_raised_through_the_API_appears_and_is_retried_and_resolved_with_clicks()
    {
        // A pick for an order that does not exist: accepted, then dead-lettered when applied.
        var eventId = $"ops-{Guid.NewGuid():N}";
        await PostEventsAsync(new { eventId, warehouseId = "BER", type = "Picked", sku = "SKU-002", quantity = 1, orderId = $"missing-{eventId}", lineId = "1", occurredAt = DateTimeOffset.UtcNow });
        var exceptionId = $"event:{eventId}";
        await WaitForAsync($"/v1/exceptions/{exceptionId}", x => x.GetProperty("status").GetString() == "open");

        var (page, errors) = await hub.OpenAsync();
        var row = page.Locator($"#exception-list tr[data-exception='{exceptionId}']");
        await Expect(row).ToContainTextAsync("dead letter");
        await row.GetByRole(AriaRole.Button, new() { Name = $"Details of {exceptionId}" }).ClickAsync();

        var detail = page.Locator("#exception-detail");
        await Expect(detail.Locator("[data-field='Reason']")).ToContainTextAsync($"missing-{eventId}");
        await Expect(detail.Locator("#exception-payload")).ToContainTextAsync(eventId);
        await Expect(detail.Locator("[data-field='Correlation id']")).Not.ToHaveTextAsync("—");

        // Retrying re-drives the event; the order still does not exist, so it dead-letters again.
        await page.GetByRole(AriaRole.Button, new() { Name = "Retry", Exact = true }).ClickAsync();
        await Expect(page.Locator("#exception-message")).ToContainTextAsync("Retry started");
        await WaitForAsync($"/v1/exceptions/{exceptionId}", x => x.GetProperty("retries").GetInt32() == 1 && x.GetProperty("status").GetString() == "open");

        await page.GetByLabel("Resolution note").FillAsync("order was never placed; WMS told");
        await page.GetByRole(AriaRole.Button, new() { Name = "Resolve", Exact = true }).ClickAsync();
        await Expect(detail.Locator("[data-field='Status']")).ToHaveTextAsync("resolved");
        await Expect(detail.Locator("[data-field='Resolution note']")).ToHaveTextAsync("order was never placed; WMS told");
        var stored = await hub.Api.GetFromJsonAsync<JsonElement>($"/v1/exceptions/{exceptionId}");
        Assert.Equal("resolved", stored.GetProperty("status").GetString());
        Assert.Equal(1, stored.GetProperty("retries").GetInt32());
        Assert.Empty(errors);
    }

    [Fact]
    public async Task The_workbench_pages_through_more_exceptions_than_one_page_keeping_its_filters()
    {
        // More dead letters (events of SKUs that do not exist) than one page holds, at a warehouse the other tests leave alone.
        const int count = 55;
        var run = Guid.NewGuid().ToString("N")[..8];
        var events = Enumerable.Range(0, count).Select(i => new
        {
            eventId = $"ops-page-{run}-{i:D2}",
            warehouseId = "MAD",
            type = "Received",
            sku = $"NO-SUCH-SKU-{run}-{i:D2}",
            quantity = 1,
            occurredAt = DateTimeOffset.UtcNow,
        }).ToArray();
        using (var posted = await hub.Api.PostAsJsonAsync("/v1/events", new { events }))
        {
            Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        }

        try
        {
            var open = await WaitForAsync("/v1/exceptions?kind=deadLetter&status=open&warehouseId=MAD&limit=1", x => x.GetProperty("total").GetInt32() >= count);
            var total = open.GetProperty("total").GetInt32();
            Assert.True(total > 50, $"{total} open dead letters at MAD fit one page");

            var (page, errors) = await hub.OpenAsync();
            await page.GetByLabel("Kind").SelectOptionAsync("deadLetter");
            await page.GetByLabel("Warehouse", new() { Exact = true }).FillAsync("MAD");
            await page.GetByRole(AriaRole.Button, new() { Name = "Apply filters" }).ClickAsync();
            await Expect(page.Locator("#exception-range")).ToHaveTextAsync($"Showing 1–50 of {total}");
            var previous = page.GetByRole(AriaRole.Button, new() { Name = "Previous page" });
            var next = page.GetByRole(AriaRole.Button, new() { Name = "Next page" });
            await Expect(previous).ToBeDisabledAsync();
            var firstPage = await RowIdsAsync(page);

            // To the last page by clicks; the filters hold on every page.
            var lastStart = ((total - 1) / 50 * 50) + 1;
            for (var start = 51; start <= lastStart; start += 50)
            {
                await next.ClickAsync();
                await Expect(page.Locator("#exception-range")).ToHaveTextAsync($"Showing {start}–{Math.Min(start + 49, total)} of {total}");
            }

            await Expect(next).ToBeDisabledAsync();
            await Expect(previous).ToBeEnabledAsync();
            var rows = page.Locator("#exception-list tbody tr");
            await Expect(rows).ToHaveCountAsync(total - lastStart + 1);
            foreach (var cell in await page.Locator("#exception-list tbody tr td:nth-child(3)").AllTextContentsAsync())
            {
                Assert.Equal("MAD", cell);
            }

            var lastId = await rows.Last.GetAttributeAsync("data-exception");
            Assert.NotNull(lastId);
            Assert.DoesNotContain(lastId, firstPage);
            await rows.Last.GetByRole(AriaRole.Button, new() { Name = $"Details of {lastId}" }).ClickAsync();
            await Expect(page.Locator("#exception-detail [data-field='Reason']")).ToContainTextAsync("unknown SKU");

            // Retry re-drives it (the SKU is still unknown: it dead-letters again), then resolve.
            await page.GetByRole(AriaRole.Button, new() { Name = "Retry", Exact = true }).ClickAsync();
            await Expect(page.Locator("#exception-message")).ToContainTextAsync("Retry started");
            await WaitForAsync($"/v1/exceptions/{Uri.EscapeDataString(lastId)}", x => x.GetProperty("retries").GetInt32() == 1 && x.GetProperty("status").GetString() == "open");
            await page.GetByLabel("Resolution note").FillAsync("SKU retired; WMS told");
            await page.GetByRole(AriaRole.Button, new() { Name = "Resolve", Exact = true }).ClickAsync();
            await Expect(page.Locator("#exception-detail [data-field='Status']")).ToHaveTextAsync("resolved");
            var stored = await hub.Api.GetFromJsonAsync<JsonElement>($"/v1/exceptions/{Uri.EscapeDataString(lastId)}");
            Assert.Equal(("resolved", "SKU retired; WMS told"), (stored.GetProperty("status").GetString(), stored.GetProperty("resolutionNote").GetString()));

            // The open queue is one shorter, still filtered.
            await Expect(page.Locator("#exception-count")).ToHaveTextAsync($"Exceptions ({total - 1})");
            Assert.Empty(errors);
        }
        finally
        {
            // The other tests share the queue (and tab through its rows): leave none of these open.
            foreach (var e in events)
            {
                using var resolved = await hub.Api.PostAsJsonAsync($"/v1/exceptions/event:{e.eventId}/resolve", new { note = "test done" });
            }
        }
    }

    private static async Task<IReadOnlyList<string?>> RowIdsAsync(IPage page)
    {
        var ids = new List<string?>();
        foreach (var row in await page.Locator("#exception-list tbody tr").AllAsync())
        {
            ids.Add(await row.GetAttributeAsync("data-exception"));
        }

        return ids;
    }

    [Fact]
    public async Task Order_lookup_shows_the_allocation_and_the_timeline_with_the_correlation_id()
    {
        var orderId = $"ops-order-{Guid.NewGuid():N}";
        var correlationId = $"corr-{Guid.NewGuid():N}";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/orders")
        {
            Content = JsonContent.Create(new
            {
                orderId,
                channel = "web",
                shipTo = new { latitude = 50.11, longitude = 8.68 },
                lines = new[] { new { lineId = "1", sku = "SKU-005", quantity = 1 } },
                allowSplit = true,
                allowBackorder = true,
            }),
        };
        request.Headers.Add("X-Correlation-Id", correlationId);
        using var placed = await hub.Api.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, placed.StatusCode);

        var (page, errors) = await hub.OpenAsync();
        // Keyboard only: the field is labelled, Enter submits.
        await page.GetByLabel("Order id").FocusAsync();
        await page.Keyboard.TypeAsync(orderId);
        await page.Keyboard.PressAsync("Enter");

        var timeline = page.Locator("#order-timeline li");
        await Expect(timeline.First).ToContainTextAsync("allocating");
        await Expect(timeline.Last).ToContainTextAsync(correlationId);
        await Expect(page.Locator("#order-lines tbody tr")).ToHaveCountAsync(1);
        await Expect(page.Locator("#order-lines tbody tr td").Nth(0)).ToHaveTextAsync("SKU-005");
        await Expect(page.Locator("#order-result")).Not.ToContainTextAsync("null");
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Sku_lookup_shows_availability_per_warehouse_with_inbound()
    {
        var transferId = await ShipTransferAsync("MAD", "BER", "SKU-007");
        var (page, errors) = await hub.OpenAsync();

        await page.GetByLabel("SKU", new() { Exact = true }).FillAsync("SKU-007");
        await page.GetByRole(AriaRole.Button, new() { Name = "Look up SKU" }).ClickAsync();

        await Expect(page.Locator("#sku-locations tbody tr")).ToHaveCountAsync(5);
        await Expect(page.Locator("#sku-locations tbody tr", new() { HasText = "BER" })).ToContainTextAsync($"transfer {transferId} × 1");
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Every_control_has_a_label_and_the_page_is_keyboard_navigable()
    {
        var (page, errors) = await hub.OpenAsync();
        await Expect(page.Locator("#exception-count")).ToContainTextAsync("Exceptions (");

        // Every visible form control and button has an accessible name.
        var unnamed = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('button, input, select, textarea, a[href]')]
              .filter(e => e.offsetParent !== null)
              .filter(e => {
                const labelled = (e.labels && [...e.labels].some(l => l.textContent.trim())) || e.getAttribute('aria-label') || e.getAttribute('aria-labelledby');
                const text = e.textContent.trim();
                return !(labelled || ((e.tagName === 'BUTTON' || e.tagName === 'A') && text));
              })
              .map(e => e.outerHTML.slice(0, 120))
            """);
        Assert.Empty(unnamed);

        // The first Tab reaches the skip link, and following it lands in the main content.
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("Skip to content", await page.EvaluateAsync<string>("() => document.activeElement.textContent"));
        var reached = new HashSet<string>();
        for (var i = 0; i < 40; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            reached.Add(await page.EvaluateAsync<string>("() => document.activeElement.id || document.activeElement.textContent.trim()"));
        }

        Assert.Contains("run-review", reached);
        Assert.Contains("filter-kind", reached);
        Assert.Contains("order-id", reached);
        Assert.Contains("sku-id", reached);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Telemetry_charts_count_orders_placed_through_the_API()
    {
        for (var i = 0; i < 3; i++)
        {
            using var placed = await hub.Api.PostAsJsonAsync("/v1/orders", new
            {
                orderId = $"ops-tel-{Guid.NewGuid():N}",
                channel = "web",
                shipTo = new { latitude = 52.37, longitude = 4.9 },
                lines = new[] { new { lineId = "1", sku = "SKU-020", quantity = 3 } },
                allowSplit = true,
                allowBackorder = true,
            });
            Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
        }

        // The collector pushes every second in these tests; the series then holds the orders.
        var series = await WaitForAsync("/v1/operations/telemetry", s => s.GetProperty("minutes").EnumerateArray().Sum(m => m.GetProperty("orders").GetInt64()) >= 3);
        Assert.True(series.GetProperty("minutes").EnumerateArray().Sum(m => m.GetProperty("backorderedUnits").GetInt64()) > 0);

        var (page, errors) = await hub.OpenAsync();
        await Expect(page.Locator("#chart-orders rect").First).ToBeVisibleAsync();
        await Expect(page.Locator("#chart-backorders rect").First).ToBeVisibleAsync();
        await Expect(page.Locator("#chart-latency svg")).ToHaveAttributeAsync("aria-label", new System.Text.RegularExpressions.Regex("latest \\d"));
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Without_a_key_the_page_sends_the_browser_to_the_login_form_and_back()
    {
        var (page, _) = await hub.OpenAsync(signedIn: false);
        Assert.Contains("/login", page.Url, StringComparison.Ordinal);

        await page.GetByLabel("Admin API key").FillAsync(OpsHub.AdminKey);
        await page.Keyboard.PressAsync("Enter");

        await Expect(page.Locator("#warehouses tbody tr")).ToHaveCountAsync(5);
        Assert.EndsWith("/ops", new Uri(page.Url).AbsolutePath.TrimEnd('/'), StringComparison.Ordinal);
        await page.CloseAsync();
    }

    [Fact]
    public async Task A_401_asks_for_an_API_key_once_and_sends_it_as_X_Api_Key()
    {
        // A key that stops working (revoked, expired cookie) answers 401: stood in for by the route below.
        var page = await hub.NewPageAsync();
        var keys = new List<string?>();
        await page.RouteAsync("**/v1/warehouses", async route =>
        {
            var key = route.Request.Headers.GetValueOrDefault("x-api-key");
            keys.Add(key);
            if (key != OpsHub.AdminKey)
            {
                await route.FulfillAsync(new() { Status = 401, ContentType = "application/problem+json", Body = """{"title":"Unauthorized","status":401}""" });
                return;
            }

            await route.ContinueAsync();
        });
        await page.GotoAsync(new Uri(hub.BaseAddress, "/ops").ToString());

        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "API key needed" });
        await Expect(dialog).ToBeVisibleAsync();
        await dialog.GetByLabel("API key").FillAsync(OpsHub.AdminKey);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Use key" }).ClickAsync();

        await Expect(page.Locator("#warehouses tbody tr")).ToHaveCountAsync(5);
        Assert.Equal(OpsHub.AdminKey, await page.EvaluateAsync<string>("() => sessionStorage.getItem('distribution.apiKey')"));
        Assert.Contains(OpsHub.AdminKey, keys);
        await page.CloseAsync();
    }

    /// <summary>
    /// The README's pictures: a busy page after some activity. Written to the test's output folder,
    /// and to DISTRIBUTION_OPS_SCREENSHOTS when set (scripts/ops-screenshots.sh sets docs/ops).
    /// </summary>
    [Fact]
    public async Task Screenshots_of_a_busy_page()
    {
        await ShipTransferAsync("BER", "WAW", "SKU-011");
        await ShipTransferAsync("MAD", "MIL", "SKU-012");
        var orderId = $"ops-shot-{Guid.NewGuid():N}"[..18];
        for (var i = 0; i < 6; i++)
        {
            using var placed = await hub.Api.PostAsJsonAsync("/v1/orders", new
            {
                orderId = i == 0 ? orderId : $"{orderId}-{i}",
                channel = "web",
                shipTo = new { latitude = 48.14, longitude = 11.58 },
                lines = new[] { new { lineId = "1", sku = "SKU-020", quantity = 2 }, new { lineId = "2", sku = $"SKU-00{i + 1}", quantity = 2 } },
                allowSplit = true,
                allowBackorder = true,
            });
            Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
        }

        var eventId = $"ops-shot-{Guid.NewGuid():N}";
        await PostEventsAsync(new { eventId, warehouseId = "AMS", type = "Shipped", sku = "SKU-004", quantity = 2, orderId = "unknown-order-77", lineId = "1", occurredAt = DateTimeOffset.UtcNow });
        await WaitForAsync($"/v1/exceptions/event:{eventId}", x => x.GetProperty("status").GetString() == "open");
        using var review = await hub.Api.PostAsync("/v1/replenishment/review", null);
        Assert.True(review.IsSuccessStatusCode);
        await WaitForAsync("/v1/operations/telemetry", s => s.GetProperty("minutes").EnumerateArray().Sum(m => m.GetProperty("orders").GetInt64()) >= 6);

        var (page, errors) = await hub.OpenAsync();
        await Expect(page.Locator("#health-as-of")).ToContainTextAsync("as of the replenishment pass at");
        await Expect(page.Locator("#map [data-transfer]")).Not.ToHaveCountAsync(0);
        await Expect(page.Locator("#chart-orders rect").First).ToBeVisibleAsync();
        await page.Locator($"#exception-list tr[data-exception='event:{eventId}'] button").ClickAsync();
        await Expect(page.Locator("#exception-payload")).ToContainTextAsync(eventId);
        await page.GetByLabel("Order id").FillAsync(orderId);
        await page.GetByRole(AriaRole.Button, new() { Name = "Look up order" }).ClickAsync();
        await Expect(page.Locator("#order-timeline li").Last).ToContainTextAsync("allocated");
        await page.GetByLabel("SKU", new() { Exact = true }).FillAsync("SKU-011");
        await page.GetByRole(AriaRole.Button, new() { Name = "Look up SKU" }).ClickAsync();
        await Expect(page.Locator("#sku-locations tbody tr")).ToHaveCountAsync(5);

        var folders = new[] { Path.Combine(AppContext.BaseDirectory, "screenshots"), Environment.GetEnvironmentVariable("DISTRIBUTION_OPS_SCREENSHOTS") }
            .Where(f => !string.IsNullOrWhiteSpace(f)).Select(f => f!).ToList();
        foreach (var folder in folders)
        {
            Directory.CreateDirectory(folder);
            await page.ScreenshotAsync(new() { Path = Path.Combine(folder, "ops-page.png"), FullPage = true });
            await page.Locator("#network").ScreenshotAsync(new() { Path = Path.Combine(folder, "network.png") });
            await page.Locator("#telemetry").ScreenshotAsync(new() { Path = Path.Combine(folder, "telemetry.png") });
            await page.Locator("#exceptions").ScreenshotAsync(new() { Path = Path.Combine(folder, "exceptions.png") });
            Assert.True(new FileInfo(Path.Combine(folder, "ops-page.png")).Length > 10_000);
        }

        Assert.Empty(errors);
    }

    private async Task<string> ShipTransferAsync(string from, string to, string sku)
    {
        using var lane = await hub.Api.PutAsJsonAsync($"/v1/lanes/{from}/{to}", new { transitDays = 2, costPerUnit = 0.5 });
        Assert.True(lane.IsSuccessStatusCode, await lane.Content.ReadAsStringAsync());
        var transferId = $"ops-tr-{Guid.NewGuid():N}";
        var stock = await hub.Api.GetFromJsonAsync<JsonElement>($"/v1/availability/{sku}");
        var available = stock.GetProperty("locations").EnumerateArray().Single(l => l.GetProperty("warehouseId").GetString() == from).GetProperty("available").GetInt32();
        if (available < 1)
        {
            using var received = await PostEventsRawAsync(new { eventId = $"{transferId}-stock", warehouseId = from, type = "Received", sku, quantity = 5, occurredAt = DateTimeOffset.UtcNow });
            await WaitForAsync($"/v1/availability/{sku}", a => a.GetProperty("locations").EnumerateArray().Any(l => l.GetProperty("warehouseId").GetString() == from && l.GetProperty("available").GetInt32() > 0));
        }

        using var created = await hub.Api.PostAsJsonAsync("/v1/transfers", new { transferId, fromWarehouseId = from, toWarehouseId = to, lines = new[] { new { sku, quantity = 1 } } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        await PostEventsAsync(new { eventId = $"{transferId}-shipped", warehouseId = from, type = "TransferShipped", sku, quantity = 1, transferId, occurredAt = DateTimeOffset.UtcNow });
        await WaitForAsync("/v1/operations/transfers-in-transit", list => list.EnumerateArray().Any(t => t.GetProperty("transferId").GetString() == transferId));
        return transferId;
    }

    private async Task PostEventsAsync(object e)
    {
        using var response = await PostEventsRawAsync(e);
    }

    private async Task<HttpResponseMessage> PostEventsRawAsync(object e)
    {
        var response = await hub.Api.PostAsJsonAsync("/v1/events", new { events = new[] { e } });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted && body.GetProperty("accepted").GetInt32() == 1, body.ToString());
        return response;
    }

    /// <summary>Polls a GET until its JSON satisfies the condition (events apply asynchronously).</summary>
    private async Task<JsonElement> WaitForAsync(string path, Func<JsonElement, bool> condition)
    {
        JsonElement last = default;
        for (var attempt = 0; attempt < 200; attempt++)
        {
            using var response = await hub.Api.GetAsync(path);
            if (response.IsSuccessStatusCode)
            {
                last = await response.Content.ReadFromJsonAsync<JsonElement>();
                if (condition(last))
                {
                    return last;
                }
            }

            await Task.Delay(100);
        }

        throw new Xunit.Sdk.XunitException($"{path} never satisfied the condition; last: {last}");
    }
}
