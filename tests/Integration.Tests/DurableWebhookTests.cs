using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

using static Distribution.Tests.HubApi;

namespace Distribution.Tests;

/// <summary>
/// Durable mode: a webhook delivery still pending (its subscriber down) when the silo is killed is
/// delivered by the restarted silo once the subscriber is back; the finance feed and its cursors
/// are the same after the restart.
/// </summary>
public sealed class DurableWebhookTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    private static readonly (string, double, double)[] Warehouses = [("W1", 51.0, 9.0)];
    private static readonly string[] Skus = ["S01"];

    [Fact]
    public async Task A_pending_delivery_and_the_finance_feed_survive_a_silo_restart()
    {
        var cluster = $"webhook-{Guid.NewGuid():N}"[..17];
        using var receiver = WebhookReceiver.Start();
        receiver.Up = false;
        string feedBefore;
        await using (var silo = await SiloProcess.StartAsync(database.ConnectionString, cluster))
        {
            var http = silo.Http;
            await SeedAsync(http, Warehouses, Skus, onHand: 10);
            using (var subscribed = await http.PostAsJsonAsync("/v1/subscriptions", new { url = receiver.Url, eventTypes = new[] { "order.allocated" }, secret = "whsec-durable-0123456789" }))
            {
                Assert.True(subscribed.StatusCode == HttpStatusCode.Created, await subscribed.Content.ReadAsStringAsync());
            }

            using (var placed = await http.PostAsJsonAsync("/v1/orders", new
            {
                orderId = "o-durable",
                channel = "web",
                shipTo = new { latitude = 50.1, longitude = 8.7 },
                lines = new[] { new { lineId = "1", sku = "S01", quantity = 2 } },
            }))
            {
                Assert.True(placed.StatusCode == HttpStatusCode.Created, await placed.Content.ReadAsStringAsync());
            }

            await PostEventsAsync(http,
                new { eventId = "rcv-durable-1", warehouseId = "W1", type = "Received", sku = "S01", quantity = 5, occurredAt = DateTimeOffset.UtcNow.AddMinutes(-1) },
                new { eventId = "adj-durable-1", warehouseId = "W1", type = "Adjusted", sku = "S01", quantity = -1, reasonCode = "DAMAGE", occurredAt = DateTimeOffset.UtcNow.AddMinutes(-1) });
            var feed = await UntilAsync(() => GetAsync(http, "/v1/finance/feed"), f => f.GetProperty("items").GetArrayLength() == 2, silo);
            feedBefore = feed.ToString();

            // The subscriber is down: the delivery was tried and failed, and is waiting for its next attempt.
            await UntilAsync(() => Task.FromResult(JsonSerializer.SerializeToElement(receiver.Attempts.Count)), n => n.GetInt32() >= 1, silo);
            Assert.Empty(receiver.Delivered);
            silo.Kill();
        }

        receiver.Up = true;
        await using var restarted = await SiloProcess.StartAsync(database.ConnectionString, cluster);
        // Nothing calls the subscription's queue: the recovery sweep wakes it at its stored next attempt.
        var delivered = await UntilAsync(
            () => Task.FromResult(JsonSerializer.SerializeToElement(receiver.Delivered.Select(d => d.EventId).ToList())),
            ids => ids.GetArrayLength() >= 1,
            restarted);
        Assert.Equal(["order.allocated:o-durable:1"], delivered.EnumerateArray().Select(e => e.GetString()));
        Assert.All(receiver.Attempts, a => Assert.Equal("order.allocated:o-durable:1", a.EventId));

        Assert.Equal(feedBefore, (await GetAsync(restarted.Http, "/v1/finance/feed")).ToString());
    }
}
