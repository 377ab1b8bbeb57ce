using System.Net;
using System.Net.Http.Json;
using Distribution.Events.Streaming;
using Microsoft.AspNetCore.Hosting;
using static Distribution.Tests.Api.ApiTestClient;
using static Distribution.Tests.Api.EventTestClient;

namespace Distribution.Tests.Api;

/// <summary>
/// The hub as shipped, except that its journal queues are read only once an hour (so accepted
/// events stay pending) and a queue may hold only 3 pending events.
/// </summary>
public sealed class StalledPipelineHubFactory : HubFactory
{
    public const int MaxPending = 3;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Events:PollInterval", "01:00:00");
        builder.UseSetting("Events:MaxPendingPerQueue", MaxPending.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}

/// <summary>POST /v1/events pushes back with 429 when the journal queue a batch goes to is too far behind.</summary>
public sealed class EventBackpressureTests(StalledPipelineHubFactory factory) : IClassFixture<StalledPipelineHubFactory>
{
    private static readonly DateTimeOffset AsOf = new(2025, 3, 3, 8, 0, 0, TimeSpan.Zero);

    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task A_queue_at_its_backlog_limit_gets_429_with_retry_after_taking_nothing_while_other_queues_go_on()
    {
        var streams = new EventStreams(new EventStreamOptions().QueueCount);
        var (sku, behind) = await _client.SeedOneSkuAsync(AsOf, 10);
        var other = Enumerable.Range(0, 100).Select(_ => Unique("WH")).First(w => streams.QueueOf(w) != streams.QueueOf(behind));
        await _client.PutWarehouseAsync(other, 48.1, 11.6);
        var accepted = new List<string>();

        // Fill the queue past its limit; the backlog count is re-read every 200 ms, so a few more may get in first.
        HttpResponseMessage? refused = null;
        Dictionary<string, object?>? refusedEvent = null;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (refused is null && DateTime.UtcNow < deadline)
        {
            var e = Event("Received", behind, sku, 1);
            var response = await _client.SendEventsAsync(Batch(e));
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                (refused, refusedEvent) = (response, e);
                break;
            }

            await EnsureAsync(response, HttpStatusCode.Accepted);
            accepted.Add(e.Id());
            response.Dispose();
        }

        Assert.NotNull(refused);
        Assert.True(accepted.Count >= StalledPipelineHubFactory.MaxPending, $"refused after {accepted.Count} accepted");
        Assert.True(refused!.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), $"Retry-After: {refused.Headers.RetryAfter}");
        await AssertProblemAsync(refused, HttpStatusCode.TooManyRequests, "events");

        // Another queue is not held up by this one.
        var elsewhere = Event("Received", other, sku, 1);
        Assert.Equal(["accepted"], (await _client.PostEventsAsync(elsewhere)).Verdicts());

        // Re-driving the journal applies exactly what was accepted: the refused event was never journaled.
        using var replay = await _client.PostAsJsonAsync("/v1/events/replay", new { from = DateTimeOffset.UtcNow.AddMinutes(-5), to = DateTimeOffset.UtcNow.AddMinutes(1), warehouseId = behind });
        await EnsureAsync(replay, HttpStatusCode.OK);
        var position = await _client.GetSkuLocationUntilAsync(behind, sku, p => p.Int("onHand") == 10 + accepted.Count);
        Assert.Equal(10 + accepted.Count, position.Int("onHand"));
        Assert.Empty(position.MovementsOf(refusedEvent!.Id()));
    }
}
