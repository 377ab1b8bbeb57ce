using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using static Distribution.Tests.Api.ApiTestClient;

namespace Distribution.Tests.Api;

/// <summary>
/// EDI X12 through HTTP: trading partners as master data, POST /v1/edi/x12 round trips per
/// document (850 → order, 856 → ship notice, 945 → shipped, 944 → receipt, 846 → snapshot), broken
/// documents answered with a 997 pointing at the segment and element and changing nothing, unknown
/// partners and unreadable envelopes refused, and a repeated interchange answered with the same 997.
/// </summary>
public sealed class EdiTests(HubFactory factory) : IClassFixture<HubFactory>
{
    private static int s_control = 100;

    private readonly HttpClient _client = factory.CreateClient();

    private static string Today => DateTime.UtcNow.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    /// <summary>A partner with a fresh ISA id, sending to the hub as DISTHUB.</summary>
    private async Task<(string PartnerId, string SenderId)> PutPartnerAsync(string role, string[] documents, string? warehouseId = null, string? supplierId = null, object? defaultShipTo = null)
    {
        var partnerId = Unique("TP");
        var senderId = "S" + Guid.NewGuid().ToString("N")[..12].ToUpperInvariant();
        using var response = await _client.PutAsJsonAsync($"/v1/trading-partners/{partnerId}", new
        {
            name = "Partner",
            senderId = new { qualifier = "ZZ", id = senderId },
            receiverId = new { qualifier = "ZZ", id = "DISTHUB" },
            role,
            warehouseId,
            supplierId,
            documents,
            defaultShipTo,
        });
        await EnsureAsync(response, HttpStatusCode.Created);
        return (partnerId, senderId);
    }

    /// <summary>An interchange from <paramref name="senderId"/> holding one group of the given sets (segment lines without terminators).</summary>
    private static string Interchange(string senderId, string functionalId, int control, params string[][] sets) =>
        Interchange(senderId, functionalId, control, acknowledgmentRequested: false, sets);

    private static string Interchange(string senderId, string functionalId, int control, bool acknowledgmentRequested, params string[][] sets)
    {
        var isa = string.Join('*', "ISA", "00", new string(' ', 10), "00", new string(' ', 10), "ZZ", senderId.PadRight(15), "ZZ", "DISTHUB".PadRight(15),
            DateTime.UtcNow.ToString("yyMMdd", CultureInfo.InvariantCulture), "1200", "U", "00401", control.ToString("D9", CultureInfo.InvariantCulture),
            acknowledgmentRequested ? "1" : "0", "P", ">");
        string[] lines = [isa, $"GS*{functionalId}*{senderId}*DISTHUB*{Today}*1200*{control}*X*004010", .. sets.SelectMany(s => s), $"GE*{sets.Length}*{control}", $"IEA*1*{control:D9}"];
        return string.Concat(lines.Select(l => l + "~\n"));
    }

    private static string[] Set(string id, string control, params string[] body) => [$"ST*{id}*{control}", .. body, $"SE*{body.Length + 2}*{control}"];

    private static int NextControl() => Interlocked.Increment(ref s_control);

    private async Task<HttpResponseMessage> PostX12Async(string text, string mediaType = "application/edi-x12") =>
        await _client.PostAsync("/v1/edi/x12", new StringContent(text, Encoding.UTF8, mediaType));

    /// <summary>Posts an interchange expecting a 997; its segments without terminators.</summary>
    private async Task<string[]> AcknowledgeAsync(string text)
    {
        using var response = await PostX12Async(text);
        await EnsureAsync(response, HttpStatusCode.OK);
        Assert.Equal("application/edi-x12", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("ISA*", body);
        return [.. body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('~'))];
    }

    private static string[] Acks(string[] lines) => [.. lines.Where(l => l.StartsWith("AK", StringComparison.Ordinal))];

    private async Task<(string Warehouse, string Sku)> StockAsync(int onHand)
    {
        var (sku, warehouse) = await _client.SeedOneSkuAsync(DateTimeOffset.UtcNow.AddMinutes(-5), onHand);
        return (warehouse, sku);
    }

    [Fact]
    public async Task A_trading_partner_is_master_data_checked_against_the_network()
    {
        var (partnerId, senderId) = await PutPartnerAsync("customer", ["850", "855"], defaultShipTo: new { latitude = 50.1, longitude = 8.7 });

        var partner = await _client.GetJsonAsync($"/v1/trading-partners/{partnerId}");
        Assert.Equal("customer", partner.Str("role"));
        Assert.Equal(senderId, partner.GetProperty("senderId").Str("id"));

        using var unknownWarehouse = await _client.PutAsJsonAsync($"/v1/trading-partners/{Unique("TP")}", new
        {
            senderId = new { qualifier = "ZZ", id = "X1" },
            receiverId = new { qualifier = "ZZ", id = "DISTHUB" },
            role = "warehouse3pl",
            warehouseId = Unique("WH"),
            documents = new[] { "945" },
        });
        await AssertProblemAsync(unknownWarehouse, HttpStatusCode.UnprocessableEntity, "warehouseId");

        using var wrongDocument = await _client.PutAsJsonAsync($"/v1/trading-partners/{Unique("TP")}", new
        {
            senderId = new { qualifier = "ZZ", id = "X2" },
            receiverId = new { qualifier = "ZZ", id = "DISTHUB" },
            role = "customer",
            documents = new[] { "945" },
        });
        await AssertProblemAsync(wrongDocument, HttpStatusCode.UnprocessableEntity, "documents[0]");

        using var sameSender = await _client.PutAsJsonAsync($"/v1/trading-partners/{Unique("TP")}", new
        {
            senderId = new { qualifier = "ZZ", id = senderId },
            receiverId = new { qualifier = "ZZ", id = "DISTHUB" },
            role = "customer",
            documents = new[] { "850" },
        });
        await AssertProblemAsync(sameSender, HttpStatusCode.Conflict, "senderId");
    }

    [Fact]
    public async Task An_850_places_the_order_and_the_same_interchange_again_gets_the_same_997_and_no_second_order()
    {
        var (warehouse, sku) = await StockAsync(10);
        var (partnerId, senderId) = await PutPartnerAsync("customer", ["850", "855"]);
        var (threePl, _) = await PutPartnerAsync("warehouse3pl", ["940", "945"], warehouseId: warehouse);
        var po = Unique("PO");
        var control = NextControl();
        var text = Interchange(senderId, "PO", control, Set("850", "0001",
            $"BEG*00*SA*{po}**{Today}", "N1*ST*Frankfurt", "REF*GEO*50.11*8.68", $"PO1*1*4*EA***SK*{sku}", "CTT*1"));

        var first = await AcknowledgeAsync(text);

        Assert.Equal(["AK1*PO*" + control, "AK2*850*0001", "AK5*A", "AK9*A*1*1*1"], Acks(first));
        Assert.Contains($"*ZZ*DISTHUB        *ZZ*{senderId.PadRight(15)}*", first[0]);
        var order = await _client.GetJsonAsync($"/v1/orders/{partnerId}:{po}");
        Assert.Equal("allocated", order.Str("status"));
        Assert.Equal($"edi:{partnerId}", order.Str("channel"));
        var allocation = order.GetProperty("lines")[0].GetProperty("allocations")[0];
        Assert.Equal((warehouse, 4), (allocation.Str("warehouseId"), allocation.Int("quantity")));

        var again = await AcknowledgeAsync(text);

        Assert.Equal(first, again);
        var availability = await _client.GetAvailabilityAsync(sku);
        Assert.Equal(4, availability.Location(warehouse).Int("reserved"));
        // The customer's outbox holds the 855 and the 997 (once each); the 3PL's the 940 of what it ships.
        var outbox = await _client.GetJsonAsync($"/v1/edi/outbox/{partnerId}");
        Assert.Equal(["855", "997"], outbox.EnumerateArray().Select(d => d.Str("setId")));
        Assert.Contains($"BAK*00*AD*{po}*", outbox[0].Str("interchange"));
        Assert.Equal(string.Join("~\n", first) + "~\n", outbox[1].Str("interchange"));
        // The 940 follows from the order's allocated event, handed over by the business event bus.
        var threePlOutbox = await EventuallyAsync(() => _client.GetJsonAsync($"/v1/edi/outbox/{threePl}"), o => o.GetArrayLength() > 0);
        var shippingOrder = Assert.Single(threePlOutbox.EnumerateArray());
        Assert.Equal("940", shippingOrder.Str("setId"));
        Assert.Contains($"W01*4*EA**SK*{sku}~", shippingOrder.Str("interchange"));

        // The same control number with other content is not the same interchange.
        using var conflict = await PostX12Async(text.Replace("PO1*1*4*", "PO1*1*5*", StringComparison.Ordinal));
        await AssertProblemAsync(conflict, HttpStatusCode.Conflict, "ISA13");
    }

    [Fact]
    public async Task A_broken_850_is_rejected_at_its_segment_and_element_and_changes_nothing()
    {
        var (warehouse, sku) = await StockAsync(10);
        var (partnerId, senderId) = await PutPartnerAsync("customer", ["850"], defaultShipTo: new { latitude = 50.1, longitude = 8.7 });
        var missingQuantity = Unique("PO");
        var unknownSku = Unique("PO");
        var wrongCount = Unique("PO");
        var control = NextControl();
        var text = Interchange(senderId, "PO", control,
            Set("850", "0001", $"BEG*00*SA*{missingQuantity}**{Today}", $"PO1*1*3*EA***SK*{sku}", $"PO1*2**EA***SK*{sku}"),
            Set("850", "0002", $"BEG*00*SA*{unknownSku}**{Today}", $"PO1*1*3*EA***SK*{sku}", "PO1*2*1*EA***SK*NO-SUCH-SKU"),
            [.. Set("850", "0003", $"BEG*00*SA*{wrongCount}**{Today}", $"PO1*1*3*EA***SK*{sku}").SkipLast(1), "SE*9*0003"]);

        var acks = Acks(await AcknowledgeAsync(text));

        Assert.Equal(
        [
            $"AK1*PO*{control}",
            "AK2*850*0001", "AK3*PO1*4**8", "AK4*2**1", "AK5*R*5",
            "AK2*850*0002", "AK3*PO1*4**8", "AK4*7**7*NO-SUCH-SKU", "AK5*R*5",
            "AK2*850*0003", "AK5*R*4",
            "AK9*R*3*3*0",
        ], acks);
        foreach (var po in new[] { missingQuantity, unknownSku, wrongCount })
        {
            using var response = await _client.GetAsync($"/v1/orders/{partnerId}:{po}");
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        Assert.Equal(0, (await _client.GetAvailabilityAsync(sku)).Location(warehouse).Int("reserved"));
    }

    [Fact]
    public async Task A_set_the_partner_does_not_exchange_is_rejected_as_not_supported()
    {
        var (_, senderId) = await PutPartnerAsync("customer", ["850"]);

        var acks = Acks(await AcknowledgeAsync(Interchange(senderId, "SH", NextControl(), Set("856", "0001", $"BSN*00*S1*{Today}*1200"))));

        Assert.Equal(["AK2*856*0001", "AK5*R*1", "AK9*R*1*1*0"], acks[1..]);
    }

    [Fact]
    public async Task Unknown_partners_and_unreadable_envelopes_are_refused_naming_the_element()
    {
        var text = Interchange("NOBODY", "PO", NextControl(), Set("850", "0001", $"BEG*00*SA*PO-1**{Today}", "PO1*1*3*EA***SK*SKU-1"));

        using var unknown = await PostX12Async(text);
        await AssertProblemAsync(unknown, HttpStatusCode.UnprocessableEntity, "ISA06");

        using var truncated = await PostX12Async(text[..90]);
        await AssertProblemAsync(truncated, HttpStatusCode.UnprocessableEntity, "ISA");

        using var badSeparators = await PostX12Async(text[..106] + text[106..].Replace('*', '|'));
        await AssertProblemAsync(badSeparators, HttpStatusCode.UnprocessableEntity, "GS|");

        using var wrongTrailer = await PostX12Async(text.Replace("IEA*1*", "IEA*2*", StringComparison.Ordinal));
        await AssertProblemAsync(wrongTrailer, HttpStatusCode.UnprocessableEntity, "IEA01");

        using var json = await _client.PostAsync("/v1/edi/x12", RawJson("{}"));
        await AssertProblemAsync(json, HttpStatusCode.UnsupportedMediaType, "Content-Type");
    }

    [Fact]
    public async Task A_broken_envelope_from_a_known_partner_gets_a_ta1_rejection_and_a_requested_ta1_rides_with_the_997()
    {
        var (warehouse, sku) = await StockAsync(10);
        var (partnerId, senderId) = await PutPartnerAsync("customer", ["850"], defaultShipTo: new { latitude = 50.1, longitude = 8.7 });
        var po = Unique("PO");
        var control = NextControl();
        var text = Interchange(senderId, "PO", control, acknowledgmentRequested: true, Set("850", "0001", $"BEG*00*SA*{po}**{Today}", $"PO1*1*2*EA***SK*{sku}"));
        var broken = text.Replace($"IEA*1*{control:D9}", $"IEA*1*{control + 1:D9}", StringComparison.Ordinal);

        var rejection = await AcknowledgeAsync(broken);

        Assert.Equal(3, rejection.Length);
        Assert.Contains($"*ZZ*DISTHUB        *ZZ*{senderId.PadRight(15)}*", rejection[0]);
        Assert.Equal($"TA1*{control:D9}*{DateTime.UtcNow:yyMMdd}*1200*R*001", rejection[1]);
        Assert.StartsWith("IEA*0*", rejection[2]);
        using (var notPlaced = await _client.GetAsync($"/v1/orders/{partnerId}:{po}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, notPlaced.StatusCode);
        }

        Assert.Equal(["TA1"], (await _client.GetJsonAsync($"/v1/edi/outbox/{partnerId}")).EnumerateArray().Select(d => d.Str("setId")));

        // Corrected and sent again under the same control number: applied, answered with TA1 (asked for) and 997.
        var accepted = await AcknowledgeAsync(text);

        Assert.Equal($"TA1*{control:D9}*{DateTime.UtcNow:yyMMdd}*1200*A*000", accepted[1]);
        Assert.StartsWith("GS*FA*", accepted[2]);
        Assert.Equal(["AK5*A", "AK9*A*1*1*1"], Acks(accepted)[^2..]);
        Assert.Equal(2, (await _client.GetAvailabilityAsync(sku)).Location(warehouse).Int("reserved"));
    }

    [Fact]
    public async Task An_856_records_the_ship_notice_of_the_suppliers_purchase_order()
    {
        var (warehouse, sku) = await StockAsync(0);
        var supplier = Unique("SUP");
        using (var put = await _client.PutAsJsonAsync($"/v1/suppliers/{supplier}", new { name = "Acme", leadTimeDays = 10, leadTimeStdDevDays = 2 }))
        {
            await EnsureAsync(put, HttpStatusCode.Created);
        }

        var po = Unique("po");
        using (var create = await _client.PostAsJsonAsync("/v1/purchase-orders", new { purchaseOrderId = po, supplierId = supplier, warehouseId = warehouse, lines = new[] { new { sku, quantity = 50 } } }))
        {
            await EnsureAsync(create, HttpStatusCode.Created);
        }

        using (var send = await _client.PostAsync($"/v1/purchase-orders/{po}/send", null))
        {
            await EnsureAsync(send, HttpStatusCode.OK);
        }

        var (_, senderId) = await PutPartnerAsync("supplier", ["850", "856"], supplierId: supplier);
        var eta = DateTime.UtcNow.Date.AddDays(3);
        var text = Interchange(senderId, "SH", NextControl(), Set("856", "0001",
            $"BSN*00*SHIP-1*{Today}*1200", "HL*1**S", $"DTM*017*{eta:yyyyMMdd}*0800", "HL*2*1*O", $"PRF*{po}", "HL*3*2*I", $"LIN**SK*{sku}", "SN1**40*EA"));

        Assert.Equal(["AK5*A", "AK9*A*1*1*1"], Acks(await AcknowledgeAsync(text))[^2..]);

        var view = await _client.GetJsonAsync($"/v1/purchase-orders/{po}");
        Assert.Equal("shipped", view.Str("status"));
        Assert.Equal(40, view.GetProperty("lines")[0].Int("shippedQuantity"));
        Assert.Equal(new DateTimeOffset(eta.AddHours(8), TimeSpan.Zero), view.GetProperty("eta").GetDateTimeOffset());

        // A second, different notice for the same purchase order is refused at its PRF (one per purchase order; sent by a second partner of the same supplier).
        var (_, otherSender) = await PutPartnerAsync("supplier", ["856"], supplierId: supplier);
        var tooMany = Interchange(otherSender, "SH", NextControl(), Set("856", "0001",
            $"BSN*00*SHIP-2*{Today}*1200", "HL*1**S", "HL*2*1*O", $"PRF*{po}", "HL*3*2*I", $"LIN**SK*{sku}", "SN1**60*EA"));
        Assert.Equal(["AK3*PRF*5**8", $"AK4*1**7*{po}", "AK5*R*5"], Acks(await AcknowledgeAsync(tooMany))[2..5]);
        Assert.Equal(40, (await _client.GetJsonAsync($"/v1/purchase-orders/{po}")).GetProperty("lines")[0].Int("shippedQuantity"));

        // More than was ordered is refused at SN102 and changes nothing.
        var open = Unique("po");
        using (var create = await _client.PostAsJsonAsync("/v1/purchase-orders", new { purchaseOrderId = open, supplierId = supplier, warehouseId = warehouse, lines = new[] { new { sku, quantity = 50 } } }))
        {
            await EnsureAsync(create, HttpStatusCode.Created);
        }

        using (var send = await _client.PostAsync($"/v1/purchase-orders/{open}/send", null))
        {
            await EnsureAsync(send, HttpStatusCode.OK);
        }

        var overOrdered = Interchange(otherSender, "SH", NextControl(), Set("856", "0001",
            $"BSN*00*SHIP-3*{Today}*1200", "HL*1**S", "HL*2*1*O", $"PRF*{open}", "HL*3*2*I", $"LIN**SK*{sku}", "SN1**60*EA"));
        Assert.Equal(["AK3*SN1*8**8", "AK4*2**7*60", "AK5*R*5"], Acks(await AcknowledgeAsync(overOrdered))[2..5]);
        Assert.Equal("sent", (await _client.GetJsonAsync($"/v1/purchase-orders/{open}")).Str("status"));
    }

    [Fact]
    public async Task An_856_naming_several_purchase_orders_records_every_notice_or_none()
    {
        var (warehouse, sku) = await StockAsync(0);
        var supplier = Unique("SUP");
        using (var put = await _client.PutAsJsonAsync($"/v1/suppliers/{supplier}", new { name = "Acme", leadTimeDays = 10, leadTimeStdDevDays = 2 }))
        {
            await EnsureAsync(put, HttpStatusCode.Created);
        }

        var (first, second) = (Unique("po"), Unique("po"));
        foreach (var po in new[] { first, second })
        {
            using var create = await _client.PostAsJsonAsync("/v1/purchase-orders", new { purchaseOrderId = po, supplierId = supplier, warehouseId = warehouse, lines = new[] { new { sku, quantity = 50 } } });
            await EnsureAsync(create, HttpStatusCode.Created);
        }

        using (var send = await _client.PostAsync($"/v1/purchase-orders/{first}/send", null))
        {
            await EnsureAsync(send, HttpStatusCode.OK);
        }

        var (_, senderId) = await PutPartnerAsync("supplier", ["856"], supplierId: supplier);
        string[] notice = Set("856", "0001",
            $"BSN*00*SHIP-1*{Today}*1200", "HL*1**S",
            "HL*2*1*O", $"PRF*{first}", "HL*3*2*I", $"LIN**SK*{sku}", "SN1**40*EA",
            "HL*4*1*O", $"PRF*{second}", "HL*5*4*I", $"LIN**SK*{sku}", "SN1**30*EA");

        // The second purchase order was not sent: the set is rejected at its PRF and the first gets no notice either.
        var rejected = Acks(await AcknowledgeAsync(Interchange(senderId, "SH", NextControl(), notice)));

        Assert.Equal(["AK3*PRF*10**8", $"AK4*1**7*{second}", "AK5*R*5"], rejected[2..5]);
        Assert.Equal(("sent", 0), await StatusAndShippedAsync(first));
        Assert.Equal(("created", 0), await StatusAndShippedAsync(second));

        // Once both can take it, the same notice records both.
        using (var send = await _client.PostAsync($"/v1/purchase-orders/{second}/send", null))
        {
            await EnsureAsync(send, HttpStatusCode.OK);
        }

        Assert.Equal(["AK5*A", "AK9*A*1*1*1"], Acks(await AcknowledgeAsync(Interchange(senderId, "SH", NextControl(), notice)))[^2..]);
        Assert.Equal(("shipped", 40), await StatusAndShippedAsync(first));
        Assert.Equal(("shipped", 30), await StatusAndShippedAsync(second));

        // A purchase order named twice in one set is refused there, before anything is recorded.
        var third = Unique("po");
        using (var create = await _client.PostAsJsonAsync("/v1/purchase-orders", new { purchaseOrderId = third, supplierId = supplier, warehouseId = warehouse, lines = new[] { new { sku, quantity = 50 } } }))
        {
            await EnsureAsync(create, HttpStatusCode.Created);
        }

        using (var send = await _client.PostAsync($"/v1/purchase-orders/{third}/send", null))
        {
            await EnsureAsync(send, HttpStatusCode.OK);
        }

        var twice = Acks(await AcknowledgeAsync(Interchange(senderId, "SH", NextControl(), Set("856", "0001",
            $"BSN*00*SHIP-2*{Today}*1200", "HL*1**S",
            "HL*2*1*O", $"PRF*{third}", "HL*3*2*I", $"LIN**SK*{sku}", "SN1**10*EA",
            "HL*4*1*O", $"PRF*{third}", "HL*5*4*I", $"LIN**SK*{sku}", "SN1**20*EA"))));
        Assert.Equal(["AK3*PRF*10**8", $"AK4*1**7*{third}", "AK5*R*5"], twice[2..5]);
        Assert.Equal(("sent", 0), await StatusAndShippedAsync(third));
    }

    private async Task<(string?, int)> StatusAndShippedAsync(string purchaseOrderId)
    {
        var view = await _client.GetJsonAsync($"/v1/purchase-orders/{purchaseOrderId}");
        return (view.Str("status"), view.GetProperty("lines")[0].Int("shippedQuantity"));
    }

    [Fact]
    public async Task A_945_ships_the_order_lines_at_the_3pl_warehouse()
    {
        var (warehouse, sku) = await StockAsync(10);
        var orderId = Unique("ord");
        using (var placed = await _client.PostOrderAsync(Order(orderId, lines: ("1", sku, 3))))
        {
            await EnsureAsync(placed, HttpStatusCode.Created);
        }

        var (_, senderId) = await PutPartnerAsync("warehouse3pl", ["940", "945"], warehouseId: warehouse);
        string[] advice = Set("945", "0001", $"W06*F*{orderId}*{Today}*{Unique("SH")}", "LX*1", "N9*LI*1", $"W12*CC*3*3*0*EA**SK*{sku}");
        var text = Interchange(senderId, "SW", NextControl(), advice);

        Assert.Equal(["AK5*A", "AK9*A*1*1*1"], Acks(await AcknowledgeAsync(text))[^2..]);

        var order = await EventuallyAsync(() => _client.GetJsonAsync($"/v1/orders/{orderId}"), o => o.Str("status") == "shipped");
        Assert.Equal("shipped", order.Str("status"));
        Assert.Equal(3, order.GetProperty("lines")[0].Int("shippedQuantity"));
        var availability = await _client.GetAvailabilityUntilAsync(sku, a => a.Location(warehouse).Int("onHand") == 7);
        Assert.Equal(7, availability.Location(warehouse).Int("onHand"));

        // The same advice resent in a new interchange carries the same event ids: acknowledged, recognised, nothing shipped twice.
        Assert.Equal(["AK5*A", "AK9*A*1*1*1"], Acks(await AcknowledgeAsync(Interchange(senderId, "SW", NextControl(), advice)))[^2..]);
        var position = await _client.GetJsonAsync($"/v1/warehouses/{warehouse}/skus/{sku}");
        Assert.Equal(7, position.Int("onHand"));
    }

    [Fact]
    public async Task A_944_receives_a_purchase_order_and_an_846_sets_stock_at_the_3pl_warehouse()
    {
        var (warehouse, sku) = await StockAsync(0);
        var supplier = Unique("SUP");
        using (var put = await _client.PutAsJsonAsync($"/v1/suppliers/{supplier}", new { name = "Acme", leadTimeDays = 10, leadTimeStdDevDays = 2 }))
        {
            await EnsureAsync(put, HttpStatusCode.Created);
        }

        var po = Unique("po");
        using (var create = await _client.PostAsJsonAsync("/v1/purchase-orders", new { purchaseOrderId = po, supplierId = supplier, warehouseId = warehouse, lines = new[] { new { sku, quantity = 20 } } }))
        {
            await EnsureAsync(create, HttpStatusCode.Created);
        }

        var (_, senderId) = await PutPartnerAsync("warehouse3pl", ["944", "846"], warehouseId: warehouse);
        var receipt = Interchange(senderId, "AR", NextControl(), Set("944", "0001", $"W17*F*{Today}*{Unique("RCV")}", $"N9*PO*{po}", $"W07*12*EA**SK*{sku}"));

        Assert.Equal(["AK5*A", "AK9*A*1*1*1"], Acks(await AcknowledgeAsync(receipt))[^2..]);
        var view = await EventuallyAsync(() => _client.GetJsonAsync($"/v1/purchase-orders/{po}"), v => v.GetProperty("lines")[0].Int("receivedQuantity") == 12);
        Assert.Equal(12, view.GetProperty("lines")[0].Int("receivedQuantity"));
        await _client.GetAvailabilityUntilAsync(sku, a => a.Location(warehouse).Int("onHand") == 12);

        var time = DateTime.UtcNow.AddMinutes(1).ToString("HHmm", CultureInfo.InvariantCulture);
        var advice = Interchange(senderId, "IB", NextControl(), Set("846", "0001", $"BIA*00*DD*INV-1*{Today}*{time}", $"LIN**SK*{sku}", "QTY*17*30*EA"));

        Assert.Equal(["AK5*A", "AK9*A*1*1*1"], Acks(await AcknowledgeAsync(advice))[^2..]);
        var availability = await _client.GetAvailabilityUntilAsync(sku, a => a.Location(warehouse).Int("onHand") == 30);
        Assert.Equal(30, availability.Location(warehouse).Int("onHand"));
    }
}
