using System.Net;
using System.Text.Json;
using static Distribution.Tests.Api.ApiTestClient;
using static Distribution.Tests.Api.EventTestClient;

namespace Distribution.Tests.Api;

/// <summary>
/// POST /v1/events: each event is accepted once, recognised as a duplicate after that, or rejected
/// on its own with a reason; accepted events change on-hand exactly once.
/// </summary>
public sealed class EventTests(HubFactory factory) : IClassFixture<HubFactory>
{
    private static readonly DateTimeOffset AsOf = new(2025, 3, 3, 8, 0, 0, TimeSpan.Zero);

    private readonly HttpClient _client = factory.CreateClient();

    private Task<(string Sku, string Warehouse)> SeedAsync(int onHand = 10) => _client.SeedOneSkuAsync(AsOf, onHand);

    [Fact]
    public async Task Accepted_receipt_changes_on_hand_exactly_once_and_is_recorded_as_a_movement()
    {
        var (sku, warehouse) = await SeedAsync(onHand: 10);
        var occurredAt = Now().AddMinutes(-2);
        var received = Event("Received", warehouse, sku, 5, occurredAt: occurredAt, sequence: 7);

        var result = await _client.PostEventsAsync(received);

        Assert.Equal((1, 0, 0), (result.Int("accepted"), result.Int("duplicates"), result.Int("rejected")));
        var verdict = Assert.Single(result.GetProperty("results").EnumerateArray());
        Assert.Equal((0, received.Id(), "accepted"), (verdict.Int("index"), verdict.Str("eventId"), verdict.Str("status")));
        Assert.Equal(0, verdict.GetProperty("errors").GetArrayLength());

        var position = await _client.GetSkuLocationAfterAsync(warehouse, sku, received.Id());
        Assert.Equal((15, 0, 15), (position.Int("onHand"), position.Int("reserved"), position.Int("available")));
        Assert.True(position.GetProperty("lastEventSequence").GetInt64() > 0);
        var movement = Assert.Single(position.MovementsOf(received.Id()));
        Assert.Equal(("received", 5, 15), (movement.Str("type"), movement.Int("delta"), movement.Int("onHandAfter")));
        Assert.Equal(occurredAt, movement.GetProperty("occurredAt").GetDateTimeOffset());

        position = await _client.SettleAsync(warehouse, sku);
        Assert.Equal(16, position.Int("onHand"));
        Assert.Single(position.MovementsOf(received.Id()));
        var availability = await _client.GetAvailabilityUntilAsync(sku, v => v.Location(warehouse).Int("onHand") == 16, TimeoutMs);
        Assert.Equal(16, availability.Location(warehouse).Int("onHand"));
    }

    [Fact]
    public async Task Same_batch_posted_twice_is_accepted_then_duplicate_and_applied_once()
    {
        var (sku, warehouse) = await SeedAsync(onHand: 10);
        var events = new[]
        {
            Event("Received", warehouse, sku, 2),
            Event("Adjusted", warehouse, sku, -1, reasonCode: "DAMAGE"),
            Event("Received", warehouse, sku, 4),
        };

        var first = await _client.PostEventsAsync(events);
        var second = await _client.PostEventsAsync(events);

        Assert.Equal(["accepted", "accepted", "accepted"], first.Verdicts());
        Assert.Equal((3, 0, 0), (first.Int("accepted"), first.Int("duplicates"), first.Int("rejected")));
        Assert.Equal(["duplicate", "duplicate", "duplicate"], second.Verdicts());
        Assert.Equal((0, 3, 0), (second.Int("accepted"), second.Int("duplicates"), second.Int("rejected")));
        Assert.Equal(events.Select(e => e.Id()), second.GetProperty("results").EnumerateArray().Select(r => r.Str("eventId")));
        Assert.All(second.GetProperty("results").EnumerateArray(), r => Assert.Equal(0, r.GetProperty("errors").GetArrayLength()));

        var position = await _client.SettleAsync(warehouse, sku);
        Assert.Equal(10 + 2 - 1 + 4 + 1, position.Int("onHand"));
        Assert.All(events, e => Assert.Single(position.MovementsOf(e.Id())));
    }

    [Fact]
    public async Task Same_batch_posted_concurrently_is_accepted_exactly_once_and_applied_once()
    {
        var (sku, warehouse) = await SeedAsync(onHand: 10);
        var events = new[] { Event("Received", warehouse, sku, 3), Event("Adjusted", warehouse, sku, 2, reasonCode: "FOUND") };

        var results = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => _client.PostEventsAsync(events)));

        for (var i = 0; i < events.Length; i++)
        {
            var verdicts = results.Select(r => r.GetProperty("results")[i].Str("status")).ToList();
            Assert.Equal(1, verdicts.Count(v => v == "accepted"));
            Assert.Equal(4, verdicts.Count(v => v == "duplicate"));
        }

        Assert.Equal(2, results.Sum(r => r.Int("accepted")));
        Assert.Equal(8, results.Sum(r => r.Int("duplicates")));
        Assert.All(results, r => Assert.Equal(0, r.Int("rejected")));
        var position = await _client.SettleAsync(warehouse, sku);
        Assert.Equal(10 + 3 + 2 + 1, position.Int("onHand"));
        Assert.All(events, e => Assert.Single(position.MovementsOf(e.Id())));
    }

    [Fact]
    public async Task Same_eventId_with_a_different_body_is_rejected_naming_eventId_and_changes_nothing()
    {
        var (sku, warehouse) = await SeedAsync(onHand: 10);
        var original = Event("Received", warehouse, sku, 5);
        Assert.Equal(["accepted"], (await _client.PostEventsAsync(original)).Verdicts());
        await _client.GetSkuLocationAfterAsync(warehouse, sku, original.Id());
        var changed = Event("Received", warehouse, sku, 6, eventId: original.Id(), occurredAt: (DateTimeOffset)original["occurredAt"]!);

        var result = await _client.PostEventsAsync(changed);

        Assert.Equal((0, 0, 1), (result.Int("accepted"), result.Int("duplicates"), result.Int("rejected")));
        var verdict = Assert.Single(result.GetProperty("results").EnumerateArray());
        Assert.Equal(("rejected", original.Id()), (verdict.Str("status"), verdict.Str("eventId")));
        var error = Assert.Single(verdict.GetProperty("errors").EnumerateArray());
        Assert.Equal("events[0].eventId", error.Str("field"));
        Assert.False(string.IsNullOrWhiteSpace(error.Str("message")));
        var position = await _client.SettleAsync(warehouse, sku);
        Assert.Equal(10 + 5 + 1, position.Int("onHand"));
        Assert.Equal(5, Assert.Single(position.MovementsOf(original.Id())).Int("delta"));
    }

    [Fact]
    public async Task Repeated_eventId_within_one_batch_is_a_duplicate_when_identical_and_rejected_when_different()
    {
        var (sku, warehouse) = await SeedAsync(onHand: 10);
        var e = Event("Received", warehouse, sku, 5);
        var different = Event("Received", warehouse, sku, 9, eventId: e.Id(), occurredAt: (DateTimeOffset)e["occurredAt"]!);

        var result = await _client.PostEventsAsync(e, e, different);

        Assert.Equal(["accepted", "duplicate", "rejected"], result.Verdicts());
        Assert.Equal("events[2].eventId", result.GetProperty("results")[2].GetProperty("errors")[0].Str("field"));
        var position = await _client.SettleAsync(warehouse, sku);
        Assert.Equal(10 + 5 + 1, position.Int("onHand"));
        Assert.Single(position.MovementsOf(e.Id()));
    }

    [Fact]
    public async Task Invalid_events_are_rejected_one_by_one_and_the_valid_ones_in_the_batch_are_accepted()
    {
        var (sku, warehouse) = await SeedAsync(onHand: 10);
        var good1 = Event("Received", warehouse, sku, 4);
        var unknownType = Event("Teleported", warehouse, sku, 1);
        var negativeReceipt = Event("Received", warehouse, sku, -2);
        var noOccurredAt = Event("Received", warehouse, sku, 1);
        noOccurredAt.Remove("occurredAt");
        var good2 = Event("Adjusted", warehouse, sku, -3, reasonCode: "DAMAGE");

        var result = await _client.PostEventsAsync(good1, unknownType, negativeReceipt, noOccurredAt, good2);

        Assert.Equal((2, 0, 3), (result.Int("accepted"), result.Int("duplicates"), result.Int("rejected")));
        Assert.Equal(["accepted", "rejected", "rejected", "rejected", "accepted"], result.Verdicts());
        var results = result.GetProperty("results");
        Assert.Equal([0, 1, 2, 3, 4], results.EnumerateArray().Select(r => r.Int("index")));
        Assert.Equal(
            new[] { good1, unknownType, negativeReceipt, noOccurredAt, good2 }.Select(e => e.Id()),
            results.EnumerateArray().Select(r => r.Str("eventId")));
        AssertRejectedNaming(results[1], "events[1].type", "Teleported");
        AssertRejectedNaming(results[2], "events[2].quantity");
        AssertRejectedNaming(results[3], "events[3].occurredAt");

        var position = await _client.SettleAsync(warehouse, sku);
        Assert.Equal(10 + 4 - 3 + 1, position.Int("onHand"));
        Assert.Single(position.MovementsOf(good1.Id()));
        Assert.Single(position.MovementsOf(good2.Id()));
        Assert.Empty(position.MovementsOf(unknownType.Id()));
        Assert.Empty(position.MovementsOf(negativeReceipt.Id()));
        Assert.Empty(position.MovementsOf(noOccurredAt.Id()));
    }

    [Fact]
    public async Task Event_references_and_reason_rules_are_checked_per_event()
    {
        var (sku, warehouse) = await SeedAsync(onHand: 10);
        var events = new[]
        {
            Event("Adjusted", warehouse, sku, -2),                                      // no reason code
            Event("Adjusted", warehouse, sku, 0, reasonCode: "DAMAGE"),                 // zero change
            Event("Picked", warehouse, sku, 1, lineId: "1"),                            // no order
            Event("Shipped", warehouse, sku, 1, orderId: Unique("ORD")),                // no line
            Event("TransferReceived", warehouse, sku, 1),                               // no transfer
            Event("PurchaseReceived", warehouse, sku, 1),                               // no purchase order
            Event("Counted", warehouse, sku, -1),                                       // negative count
            Event("Received", warehouse, sku, 1, occurredAt: Now().AddDays(3)),         // in the future
            Event("Received", warehouse, sku, 1, occurredAt: Now().AddDays(-30)),       // older than the duplicate window
            Event("Received", warehouse, sku, 1, eventId: "has space"),                 // bad id
            Event("Received", warehouse, sku, 1, reasonCode: new string('x', 51)),      // reason too long
        };

        var result = await _client.PostEventsAsync(events);

        Assert.Equal((0, 0, events.Length), (result.Int("accepted"), result.Int("duplicates"), result.Int("rejected")));
        var results = result.GetProperty("results");
        AssertRejectedNaming(results[0], "events[0].reasonCode");
        AssertRejectedNaming(results[1], "events[1].quantity");
        AssertRejectedNaming(results[2], "events[2].orderId");
        AssertRejectedNaming(results[3], "events[3].lineId");
        AssertRejectedNaming(results[4], "events[4].transferId");
        AssertRejectedNaming(results[5], "events[5].purchaseOrderId");
        AssertRejectedNaming(results[6], "events[6].quantity");
        AssertRejectedNaming(results[7], "events[7].occurredAt");
        AssertRejectedNaming(results[8], "events[8].occurredAt");
        AssertRejectedNaming(results[9], "events[9].eventId");
        AssertRejectedNaming(results[10], "events[10].reasonCode");
        var position = await _client.SettleAsync(warehouse, sku);
        Assert.Equal(11, position.Int("onHand"));
        Assert.Single(position.GetProperty("recentMovements").EnumerateArray());
    }

    [Fact]
    public async Task Batch_of_1001_events_is_422_naming_events_and_nothing_is_accepted()
    {
        var (sku, warehouse) = await SeedAsync(onHand: 10);
        var events = Enumerable.Range(0, 1001).Select(_ => Event("Received", warehouse, sku, 1)).ToArray();

        using var response = await _client.SendEventsAsync(Batch(events));

        await AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "events");
        var position = await _client.SettleAsync(warehouse, sku);
        Assert.Equal(11, position.Int("onHand"));
        Assert.Empty(position.MovementsOf(events[0].Id()));
    }

    [Fact]
    public async Task Batch_of_exactly_1000_events_is_accepted()
    {
        var (sku, warehouse) = await SeedAsync(onHand: 0);
        var events = Enumerable.Range(0, 1000).Select(_ => Event("Received", warehouse, sku, 1)).ToArray();

        var result = await _client.PostEventsAsync(events);

        Assert.Equal(1000, result.Int("accepted"));
        var position = await _client.GetSkuLocationUntilAsync(warehouse, sku, p => p.Int("onHand") >= 1000);
        Assert.Equal(1000, position.Int("onHand"));
    }

    [Theory]
    [InlineData("""{"events":[]}""")]
    [InlineData("""{}""")]
    [InlineData("""{"events":null}""")]
    public async Task Empty_or_missing_batch_is_422_naming_events(string body)
    {
        using var response = await _client.PostAsync("/v1/events", RawJson(body));

        await AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "events");
    }

    [Fact]
    public async Task Unknown_field_is_400_and_nothing_is_accepted()
    {
        var (sku, warehouse) = await SeedAsync(onHand: 10);
        var e = Event("Received", warehouse, sku, 5);
        e["colour"] = "red";

        using var response = await _client.SendEventsAsync(Batch(e));

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("colour", problem.GetRawText(), StringComparison.Ordinal);
        var position = await _client.SettleAsync(warehouse, sku);
        Assert.Equal(11, position.Int("onHand"));
        Assert.Empty(position.MovementsOf(e.Id()));
        // Not accepted before, so the well-formed event is accepted now.
        e.Remove("colour");
        Assert.Equal(["accepted"], (await _client.PostEventsAsync(e)).Verdicts());
    }

    [Fact]
    public async Task Malformed_json_is_400()
    {
        var (sku, warehouse) = await SeedAsync(onHand: 10);
        var body = $$"""{"events":[{"eventId":"{{Unique("EV")}}","warehouseId":"{{warehouse}}","type":"Received","sku":"{{sku}}","quantity":5""";

        using var response = await _client.PostAsync("/v1/events", RawJson(body));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(11, (await _client.SettleAsync(warehouse, sku)).Int("onHand"));
    }

    [Fact]
    public async Task Counted_sets_the_absolute_on_hand_and_records_the_implied_adjustment()
    {
        var (sku, warehouse) = await SeedAsync(onHand: 10);
        var countDown = Event("Counted", warehouse, sku, 7);
        var countUp = Event("Counted", warehouse, sku, 12, reasonCode: "CYCLE");
        var countSame = Event("Counted", warehouse, sku, 12);

        Assert.Equal(["accepted", "accepted", "accepted"], (await _client.PostEventsAsync(countDown, countUp, countSame)).Verdicts());

        var position = await _client.GetSkuLocationAfterAsync(warehouse, sku, countSame.Id());
        Assert.Equal((12, 12), (position.Int("onHand"), position.Int("available")));
        var down = Assert.Single(position.MovementsOf(countDown.Id()));
        Assert.Equal(("counted", -3, 7, "COUNT"), (down.Str("type"), down.Int("delta"), down.Int("onHandAfter"), down.Str("reasonCode")));
        var up = Assert.Single(position.MovementsOf(countUp.Id()));
        Assert.Equal(("counted", 5, 12, "CYCLE"), (up.Str("type"), up.Int("delta"), up.Int("onHandAfter"), up.Str("reasonCode")));
        var same = Assert.Single(position.MovementsOf(countSame.Id()));
        Assert.Equal((0, 12), (same.Int("delta"), same.Int("onHandAfter")));
        // Newest first.
        Assert.Equal(
            [countSame.Id(), countUp.Id(), countDown.Id()],
            position.GetProperty("recentMovements").EnumerateArray().Take(3).Select(m => m.Str("eventId")));
        var availability = await _client.GetAvailabilityUntilAsync(sku, v => v.Location(warehouse).Int("onHand") == 12, TimeoutMs);
        Assert.Equal(12, availability.Location(warehouse).Int("onHand"));
    }

    [Fact]
    public async Task Adjusted_applies_its_signed_delta_with_its_reason_code()
    {
        var (sku, warehouse) = await SeedAsync(onHand: 10);
        var damage = Event("Adjusted", warehouse, sku, -4, reasonCode: "DAMAGE");
        var found = Event("Adjusted", warehouse, sku, 1, reasonCode: "FOUND");

        await _client.PostEventsAsync(damage, found);

        var position = await _client.GetSkuLocationAfterAsync(warehouse, sku, found.Id());
        Assert.Equal(7, position.Int("onHand"));
        var d = Assert.Single(position.MovementsOf(damage.Id()));
        Assert.Equal(("adjusted", -4, 6, "DAMAGE"), (d.Str("type"), d.Int("delta"), d.Int("onHandAfter"), d.Str("reasonCode")));
        var f = Assert.Single(position.MovementsOf(found.Id()));
        Assert.Equal(("adjusted", 1, 7, "FOUND"), (f.Str("type"), f.Int("delta"), f.Int("onHandAfter"), f.Str("reasonCode")));
    }

    [Fact]
    public async Task Event_types_are_accepted_in_any_case()
    {
        var (sku, warehouse) = await SeedAsync(onHand: 10);
        var lower = Event("received", warehouse, sku, 2);
        var upper = Event("RECEIVED", warehouse, sku, 3);
        var numeric = Event("2", warehouse, sku, 3);

        var result = await _client.PostEventsAsync(lower, upper, numeric);

        Assert.Equal(["accepted", "accepted", "rejected"], result.Verdicts());
        AssertRejectedNaming(result.GetProperty("results")[2], "events[2].type");
        var position = await _client.GetSkuLocationAfterAsync(warehouse, sku, upper.Id());
        Assert.Equal(15, position.Int("onHand"));
    }

    private static void AssertRejectedNaming(JsonElement verdict, string field, string? messageContains = null)
    {
        Assert.Equal("rejected", verdict.Str("status"));
        var errors = verdict.GetProperty("errors").EnumerateArray().ToList();
        var error = errors.FirstOrDefault(e => e.Str("field") == field);
        Assert.True(error.ValueKind == JsonValueKind.Object, $"expected an error naming '{field}': {verdict}");
        Assert.False(string.IsNullOrWhiteSpace(error.Str("message")));
        if (messageContains is not null)
        {
            Assert.Contains(messageContains, error.Str("message"), StringComparison.Ordinal);
        }
    }
}
