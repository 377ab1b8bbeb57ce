using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;

namespace Distribution.Tests;

/// <summary>
/// Warehouse events in durable mode with real silo processes on PostgreSQL: duplicates across a
/// restart, a silo killed while events flow, and PostgreSQL restarted mid-ingest. Every event
/// that got a 202 must be applied exactly once: on-hand at every SKU-location ends at its
/// starting figure plus exactly the accepted receipts.
/// </summary>
public sealed class DurableEventTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    private const int StartOnHand = 10;
    private static readonly (string, double, double)[] Warehouses = [("E1", 51.0, 9.0), ("E2", 48.1, 11.6)];
    private static readonly string[] Skus = [.. Enumerable.Range(1, 8).Select(i => $"K{i:00}")];

    [Fact]
    public async Task The_same_batch_posted_twice_at_once_and_again_after_a_restart_is_applied_once()
    {
        var cluster = $"evdup-{Guid.NewGuid():N}"[..14];
        var batch = Batch("dup", 0, 100);
        await using (var silo = await SiloProcess.StartAsync(database.ConnectionString, cluster))
        {
            await HubApi.SeedAsync(silo.Http, Warehouses, Skus, StartOnHand);
            var answers = await Task.WhenAll(PostAsync(silo.Http, batch), PostAsync(silo.Http, batch));

            Assert.Equal(100, answers.Sum(a => a!.Accepted));
            Assert.Equal(100, answers.Sum(a => a!.Duplicates));
            await AssertOnHandAsync(silo.Http, Expected(batch));
            silo.Kill();
        }

        await using var restarted = await SiloProcess.StartAsync(database.ConnectionString, cluster);
        var again = await PostAsync(restarted.Http, batch);
        Assert.Equal((0, 100), (again!.Accepted, again.Duplicates));
        await Task.Delay(TimeSpan.FromSeconds(2)); // time for a wrongly re-applied event to show
        await AssertOnHandAsync(restarted.Http, Expected(batch));
    }

    [Fact]
    public async Task Killing_a_silo_while_events_flow_applies_every_accepted_event_exactly_once()
    {
        var cluster = $"evkill-{Guid.NewGuid():N}"[..15];
        await using var a = await SiloProcess.StartAsync(database.ConnectionString, cluster);
        await using var b = await SiloProcess.StartAsync(database.ConnectionString, cluster);
        await HubApi.SeedAsync(a.Http, Warehouses, Skus, StartOnHand);

        var bKilled = false;
        var outcome = await DriveAsync(w => w % 2 == 0 || Volatile.Read(ref bKilled) ? a.Http : b.Http, async () =>
        {
            await Task.Delay(TimeSpan.FromSeconds(3));
            b.Kill();
            Volatile.Write(ref bKilled, true);
            await Task.Delay(TimeSpan.FromSeconds(5));
        });

        // A post that failed may or may not have been accepted: the sender retries it (as a WMS would).
        var accepted = await ResendUntilAnsweredAsync(a.Http, outcome);
        await AssertOnHandAsync(a.Http, Expected(accepted), a.Output);
    }

    [Fact]
    public async Task PostgreSQL_restarted_mid_ingest_gives_503s_while_down_and_loses_nothing_accepted()
    {
        await using var postgres = new PrivatePostgres("distribution_outage", 55433);
        var connectionString = await postgres.StartAsync();
        var cluster = $"evpg-{Guid.NewGuid():N}"[..13];
        await using var silo = await SiloProcess.StartAsync(connectionString, cluster);
        await HubApi.SeedAsync(silo.Http, Warehouses, Skus, StartOnHand);

        var outcome = await DriveAsync(_ => silo.Http, async () =>
        {
            await Task.Delay(TimeSpan.FromSeconds(2));
            await postgres.StopAsync();
            await Task.Delay(TimeSpan.FromSeconds(4));
            await postgres.StartAsync();
            await Task.Delay(TimeSpan.FromSeconds(4));
        });

        Assert.Contains(HttpStatusCode.ServiceUnavailable, outcome.FailedStatuses);
        // Besides 503 (journal unreachable), only 429: the backlog that piled up while nothing could
        // be applied pushes back until it drains. Both take nothing; the sender retries.
        Assert.All(outcome.FailedStatuses, s => Assert.Contains(s, new[] { HttpStatusCode.ServiceUnavailable, HttpStatusCode.TooManyRequests }));
        Assert.True(outcome.AcceptedAfterFailures, "ingest did not recover after PostgreSQL came back\n" + silo.Output);
        var accepted = await ResendUntilAnsweredAsync(silo.Http, outcome);
        await AssertOnHandAsync(silo.Http, Expected(accepted), silo.Output);
    }

    [Fact]
    public async Task Bad_events_are_rejected_or_dead_lettered_one_by_one_and_change_nothing_else()
    {
        var cluster = $"evbad-{Guid.NewGuid():N}"[..14];
        await using var silo = await SiloProcess.StartAsync(database.ConnectionString, cluster);
        await HubApi.SeedAsync(silo.Http, Warehouses, Skus, StartOnHand);
        var now = DateTimeOffset.UtcNow;
        object[] events =
        [
            new { eventId = "bad-type", warehouseId = "E1", type = "Teleported", sku = "K01", quantity = 1, occurredAt = now },
            new { eventId = "bad-qty", warehouseId = "E1", type = "Received", sku = "K01", quantity = -4, occurredAt = now },
            new { eventId = "no-wh", warehouseId = "NOWHERE", type = "Received", sku = "K01", quantity = 5, occurredAt = now },
            new { eventId = "no-sku", warehouseId = "E1", type = "Received", sku = "NOSUCH", quantity = 5, occurredAt = now },
            new { eventId = "no-order", warehouseId = "E1", type = "Shipped", sku = "K02", quantity = 1, orderId = "never-placed", lineId = "1", occurredAt = now },
            new { eventId = "good", warehouseId = "E1", type = "Received", sku = "K03", quantity = 2, occurredAt = now },
        ];

        using var response = await silo.Http.PostAsJsonAsync("/v1/events", new { events });
        var answer = (await response.Content.ReadFromJsonAsync<BatchAnswer>())!;
        using var malformed = await silo.Http.PostAsync("/v1/events", new StringContent("{\"events\": [", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(["rejected", "rejected", "accepted", "accepted", "accepted", "accepted"], answer.Results.Select(r => r.Status));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        await AssertOnHandAsync(silo.Http, new() { [("E1", "K03")] = 2 }, silo.Output);
        foreach (var id in new[] { "no-wh", "no-sku", "no-order" })
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (!(await silo.Http.GetAsync($"/v1/exceptions/event:{id}")).IsSuccessStatusCode)
            {
                Assert.True(DateTime.UtcNow < deadline, $"no dead letter for {id}\n{silo.Output}");
                await Task.Delay(250);
            }
        }
    }

    private sealed record DriveOutcome(
        ConcurrentBag<Event> Accepted,
        ConcurrentBag<Event[]> Unanswered,
        ConcurrentBag<HttpStatusCode> FailedStatuses,
        bool AcceptedAfterFailures);

    /// <summary>Eight senders post batches of 10 receipts until <paramref name="during"/> completes.</summary>
    private static async Task<DriveOutcome> DriveAsync(Func<int, HttpClient> http, Func<Task> during)
    {
        var accepted = new ConcurrentBag<Event>();
        var unanswered = new ConcurrentBag<Event[]>();
        var failed = new ConcurrentBag<HttpStatusCode>();
        var acceptedAfterFailure = 0;
        using var stop = new CancellationTokenSource();
        var senders = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var batch = Batch($"w{w}", n, 10);
                try
                {
                    using var response = await http(w).PostAsJsonAsync("/v1/events", new { events = batch });
                    if (response.StatusCode == HttpStatusCode.Accepted)
                    {
                        var answer = (await response.Content.ReadFromJsonAsync<BatchAnswer>())!;
                        foreach (var r in answer.Results.Where(r => r.Status == "accepted"))
                        {
                            accepted.Add(batch[r.Index]);
                        }

                        if (!failed.IsEmpty)
                        {
                            Interlocked.Exchange(ref acceptedAfterFailure, 1);
                        }
                    }
                    else
                    {
                        failed.Add(response.StatusCode);
                        unanswered.Add(batch);
                        await Task.Delay(100);
                    }
                }
                catch (Exception) when (!stop.IsCancellationRequested)
                {
                    unanswered.Add(batch);
                    await Task.Delay(100);
                }
            }
        })).ToList();

        await during();
        await stop.CancelAsync();
        await Task.WhenAll(senders);
        return new DriveOutcome(accepted, unanswered, failed, acceptedAfterFailure == 1);
    }

    private static async Task<List<Event>> ResendUntilAnsweredAsync(HttpClient http, DriveOutcome outcome)
    {
        var accepted = outcome.Accepted.ToList();
        foreach (var batch in outcome.Unanswered)
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (true)
            {
                var answer = await PostAsync(http, batch);
                if (answer is not null)
                {
                    // A duplicate here was accepted by the attempt whose answer never arrived.
                    accepted.AddRange(answer.Results.Where(r => r.Status is "accepted" or "duplicate").Select(r => batch[r.Index]));
                    break;
                }

                Assert.True(DateTime.UtcNow < deadline, "a batch could not be posted again within 60 s");
                await Task.Delay(500);
            }
        }

        Assert.Equal(accepted.Count, accepted.Select(e => e.EventId).Distinct().Count());
        return accepted;
    }

    /// <summary>Polls until on-hand matches everywhere (processing is asynchronous), then checks it stays so.</summary>
    private static async Task AssertOnHandAsync(HttpClient http, Dictionary<(string, string), int> expected, string? output = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        string mismatch;
        while (true)
        {
            mismatch = await FirstMismatchAsync(http, expected);
            if (mismatch.Length == 0 || DateTime.UtcNow > deadline)
            {
                break;
            }

            await Task.Delay(500);
        }

        Assert.True(mismatch.Length == 0, mismatch + "\n" + output);
        await Task.Delay(TimeSpan.FromSeconds(1));
        mismatch = await FirstMismatchAsync(http, expected);
        Assert.True(mismatch.Length == 0, "after settling: " + mismatch);
    }

    private static async Task<string> FirstMismatchAsync(HttpClient http, Dictionary<(string, string), int> expected)
    {
        foreach (var (wh, _, _) in Warehouses)
        {
            foreach (var sku in Skus)
            {
                try
                {
                    var position = await http.GetFromJsonAsync<PositionDto>($"/v1/warehouses/{wh}/skus/{sku}");
                    var want = StartOnHand + expected.GetValueOrDefault((wh, sku));
                    if (position!.OnHand != want)
                    {
                        return $"{wh}/{sku}: on-hand {position.OnHand}, expected {want}";
                    }
                }
                catch (HttpRequestException e)
                {
                    return $"{wh}/{sku}: {e.Message}";
                }
            }
        }

        return "";
    }

    private static Dictionary<(string, string), int> Expected(IEnumerable<Event> accepted) =>
        accepted.GroupBy(e => (e.WarehouseId, e.Sku)).ToDictionary(g => g.Key, g => g.Sum(e => e.Quantity));

    /// <summary>The 202 answer, or null when the post failed (the caller may retry).</summary>
    private static async Task<BatchAnswer?> PostAsync(HttpClient http, Event[] batch)
    {
        try
        {
            using var response = await http.PostAsJsonAsync("/v1/events", new { events = batch });
            return response.StatusCode == HttpStatusCode.Accepted ? await response.Content.ReadFromJsonAsync<BatchAnswer>() : null;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    private static Event[] Batch(string sender, int n, int size)
    {
        var random = new Random(HashCode.Combine(sender, n));
        return [.. Enumerable.Range(0, size).Select(i => new Event(
            $"{sender}-{n}-{i}",
            Warehouses[random.Next(Warehouses.Length)].Item1,
            "Received",
            Skus[random.Next(Skus.Length)],
            random.Next(1, 4),
            DateTimeOffset.UtcNow))];
    }

    private sealed record Event(string EventId, string WarehouseId, string Type, string Sku, int Quantity, DateTimeOffset OccurredAt);

    private sealed record BatchAnswer(int Accepted, int Duplicates, int Rejected, IReadOnlyList<Verdict> Results);

    private sealed record Verdict(int Index, string? EventId, string Status);

    private sealed record PositionDto(int OnHand, int Reserved);
}
