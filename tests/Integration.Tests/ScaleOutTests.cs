using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using static Distribution.Tests.OrderChecks;

namespace Distribution.Tests;

/// <summary>
/// Scale-out under load, durable mode, real processes: the load goes through a standalone gateway
/// process (the front door, which survives the crash); silos 2 and 3 join while orders flow and
/// take grains; then silo 1, which hosted every grain until they came, is killed. Clients retry a
/// 503 with the same order id, as the API asks them to.
/// </summary>
public sealed class ScaleOutTests(Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    private const int Clients = 16;
    private static readonly (string, double, double)[] Warehouses = [("N1", 51.0, 9.0), ("N2", 48.1, 11.6), ("N3", 52.5, 13.4)];

    // Hot SKUs run out early, so no-oversell is checked at exhausted locations too.
    private static readonly string[] HotSkus = [.. Enumerable.Range(1, 4).Select(i => $"H{i:00}")];
    private static readonly string[] ColdSkus = [.. Enumerable.Range(1, 20).Select(i => $"C{i:00}")];

    private string? _database;
    private string _connectionString = "";

    public async Task InitializeAsync() => (_database, _connectionString) = await TestPostgres.CreateDatabaseAsync("scale_out");

    public async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await TestPostgres.DropDatabaseAsync(_database);
        }
    }

    [Fact]
    public async Task Silos_joining_under_load_take_grains_and_a_killed_silo_costs_only_retriable_503s_and_no_acknowledged_order()
    {
        var cluster = $"scale-{Guid.NewGuid():N}"[..14];
        await using var silo1 = await SiloProcess.StartAsync(_connectionString, cluster);
        await using var gateway = await GatewayProcess.StartAsync(_connectionString, cluster);
        await HubApi.SeedAsync(gateway.Http, Warehouses, HotSkus, onHand: 10);
        await HubApi.SeedAsync(gateway.Http, Warehouses, ColdSkus, onHand: 1000);

        // Clients wait 25 s for an answer: a request stuck behind the killed silo until Orleans' 30 s
        // response timeout would show as a transport failure instead of a prompt, retriable 503.
        using var loadHttp = gateway.NewClient(TimeSpan.FromSeconds(25));
        await using var load = OrderLoad.Start(loadHttp, Clients);
        await load.WaitForAcknowledgementsAsync(since: 0, count: 50, "before any silo joined");

        await using var silo2 = await SiloProcess.StartAsync(_connectionString, cluster);
        await using var silo3 = await SiloProcess.StartAsync(_connectionString, cluster);
        await WaitUntilEachHostsOrderGrainsAsync(gateway.Http, silo2, silo3);
        output.WriteLine($"{load.Now} ms: silos 2 and 3 host grains: {await gateway.Http.GetStringAsync("/v1/operations/silos")}");

        silo1.Kill();
        var killedAt = load.Now;
        await WaitUntilNotActiveAsync(gateway.Http, silo1);
        output.WriteLine($"{load.Now} ms: silo 1 (killed at {killedAt} ms) no longer active");
        await load.WaitForAcknowledgementsAsync(since: load.Now, count: 30, "after the killed silo was declared dead");
        var run = await load.StopAsync();
        output.WriteLine($"{load.Now} ms: load stopped; {run.Acknowledged.Count} orders acknowledged, failed attempts by status: "
            + string.Join(", ", run.Failures.GroupBy(f => f.Status).Select(g => $"{g.Key}: {g.Count()}")));

        Assert.True(run.TransportFailures.IsEmpty, "the gateway must answer every request; transport failures: " + string.Join("; ", run.TransportFailures.Take(5)));
        var notRetriable = run.Failures.Where(f => f.Status != 503 || !f.RetryAfter || f.ContentType != "application/problem+json").ToList();
        Assert.True(notRetriable.Count == 0, $"{run.Failures.Count} failed attempts, not retriable 503 problems: "
            + string.Join("\n", notRetriable.Take(5).Select(f => $"{f.Status} retry-after={f.RetryAfter} {f.ContentType}: {f.Body}")));

        // Every order was retried until acknowledged: what is stored is exactly what was acknowledged.
        var stored = await SettledOrdersAsync(gateway.Http, [.. run.Attempted]);
        Assert.Equal(run.Acknowledged.Keys.Order(StringComparer.Ordinal), stored.Keys.Order(StringComparer.Ordinal));
        foreach (var (id, acknowledged) in run.Acknowledged)
        {
            AssertStillHolds(acknowledged, stored[id]);
        }

        // Reserved ≤ on-hand everywhere, and reserved is exactly what the acknowledged answers allocated.
        await AssertReservationsMatchOrdersAsync(gateway.Http, [.. HotSkus, .. ColdSkus], run.Acknowledged.Values);
    }

    /// <summary>Until each of <paramref name="silos"/> is active and hosts grains of this product (placed orders come and go everywhere).</summary>
    private static Task WaitUntilEachHostsOrderGrainsAsync(HttpClient gateway, params HubProcess[] silos)
    {
        var pending = silos.Select(s => $"127.0.0.1:{s.Ports.Silo}").ToHashSet(StringComparer.Ordinal);
        return PollSilosUntilAsync(gateway, () => $"silos {string.Join(", ", pending)} host no grains of ours after 90 s", listed =>
        {
            foreach (var silo in listed)
            {
                if (silo.GetProperty("status").GetString() == "active"
                    && silo.GetProperty("activationsByGrainType") is { ValueKind: JsonValueKind.Object } byType
                    && byType.EnumerateObject().Any(t => t.Name.StartsWith("Distribution.", StringComparison.Ordinal) && t.Value.GetInt64() > 0))
                {
                    pending.Remove(silo.GetProperty("address").GetString()!);
                }
            }

            return pending.Count == 0;
        });
    }

    /// <summary>Until the cluster no longer lists <paramref name="silo"/> as active (it was declared dead).</summary>
    private static Task WaitUntilNotActiveAsync(HttpClient gateway, HubProcess silo)
    {
        var address = $"127.0.0.1:{silo.Ports.Silo}";
        return PollSilosUntilAsync(gateway, () => $"{address} still listed as active 90 s after it was killed", listed =>
            !listed.Any(s => s.GetProperty("address").GetString() == address && s.GetProperty("status").GetString() == "active"));
    }

    /// <summary>Reads GET /v1/operations/silos every half second until <paramref name="done"/> holds; fails after 90 s.</summary>
    private static async Task PollSilosUntilAsync(HttpClient gateway, Func<string> failure, Func<IEnumerable<JsonElement>, bool> done)
    {
        var last = "";
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{failure()}; last answer: {last}");
            await Task.Delay(500);
            using var response = await gateway.GetAsync("/v1/operations/silos");
            last = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode)
            {
                continue;
            }

            using var silos = JsonDocument.Parse(last);
            if (done(silos.RootElement.EnumerateArray()))
            {
                return;
            }
        }
    }

    /// <summary>One failed attempt as the client saw it.</summary>
    private sealed record Failure(int Status, bool RetryAfter, string? ContentType, string Body);

    private sealed record LoadRun(
        IReadOnlyDictionary<string, OrderDto> Acknowledged,
        IReadOnlyCollection<string> Attempted,
        IReadOnlyList<Failure> Failures,
        ConcurrentQueue<string> TransportFailures);

    /// <summary>
    /// Closed-loop clients placing orders through the gateway; each order is resent (same id)
    /// after a failure until it is acknowledged. Stopping lets every client finish its order.
    /// </summary>
    private sealed class OrderLoad : IAsyncDisposable
    {
        private readonly HttpClient _http;
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly ConcurrentDictionary<string, OrderDto> _acknowledged = new();
        private readonly ConcurrentBag<string> _attempted = [];
        private readonly ConcurrentQueue<Failure> _failures = new();
        private readonly ConcurrentQueue<string> _transport = new();
        private readonly ConcurrentQueue<(long FirstSentAt, string Id)> _acknowledgedAt = new();
        private readonly CancellationTokenSource _stop = new();
        private readonly CancellationTokenSource _abort = new();
        private readonly List<Task> _clients = [];

        private OrderLoad(HttpClient http) => _http = http;

        /// <summary>Milliseconds since the load started.</summary>
        public long Now => _clock.ElapsedMilliseconds;

        public static OrderLoad Start(HttpClient gateway, int clients)
        {
            var load = new OrderLoad(gateway);
            for (var c = 0; c < clients; c++)
            {
                var client = c;
                load._clients.Add(Task.Run(() => load.RunClientAsync(client)));
            }

            return load;
        }

        /// <summary>Until <paramref name="count"/> orders first sent at or after <paramref name="since"/> are acknowledged.</summary>
        public async Task WaitForAcknowledgementsAsync(long since, int count, string when)
        {
            var deadline = DateTime.UtcNow.AddSeconds(120);
            while (_acknowledgedAt.Count(a => a.FirstSentAt >= since) < count)
            {
                Assert.True(DateTime.UtcNow < deadline,
                    $"fewer than {count} orders acknowledged {when} within 120 s; failures: {_failures.Count} ({string.Join(", ", _failures.GroupBy(f => f.Status).Select(g => $"{g.Key}: {g.Count()}"))}), "
                    + $"transport failures: {_transport.Count} {_transport.FirstOrDefault()}");
                await Task.Delay(250);
            }
        }

        public async Task<LoadRun> StopAsync()
        {
            await _stop.CancelAsync();
            var all = Task.WhenAll(_clients);
            if (await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(90))) != all)
            {
                await _abort.CancelAsync();
                Assert.Fail($"orders still unacknowledged 90 s after the load stopped; last failures: {string.Join("; ", _failures.TakeLast(3))}");
            }

            await all;
            return new LoadRun(_acknowledged, _attempted.ToList(), _failures.ToList(), _transport);
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _abort.CancelAsync();
            await Task.WhenAll(_clients.Select(c => c.ContinueWith(_ => { }, TaskScheduler.Default)));
            _stop.Dispose();
            _abort.Dispose();
        }

        private async Task RunClientAsync(int client)
        {
            var random = new Random(client);
            for (var n = 0; !_stop.IsCancellationRequested; n++)
            {
                var id = $"s-{client}-{n}";
                var order = NewOrder(id, random);
                var firstSentAt = Now;
                _attempted.Add(id);
                while (!_abort.IsCancellationRequested)
                {
                    try
                    {
                        using var response = await _http.PostAsJsonAsync("/v1/orders", order, _abort.Token);
                        if (response.IsSuccessStatusCode)
                        {
                            _acknowledged[id] = (await response.Content.ReadFromJsonAsync<OrderDto>(_abort.Token))!;
                            _acknowledgedAt.Enqueue((firstSentAt, id));
                            break;
                        }

                        _failures.Enqueue(new Failure(
                            (int)response.StatusCode,
                            response.Headers.RetryAfter is not null,
                            response.Content.Headers.ContentType?.MediaType,
                            await response.Content.ReadAsStringAsync(_abort.Token)));
                    }
                    catch (Exception e) when (!_abort.IsCancellationRequested)
                    {
                        _transport.Enqueue($"{e.GetType().Name}: {e.Message}");
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }

                    await Task.Delay(200, CancellationToken.None);
                }
            }
        }

        private static object NewOrder(string id, Random random)
        {
            var skus = new HashSet<string>(StringComparer.Ordinal);
            var lines = random.Next(1, 4);
            while (skus.Count < lines)
            {
                skus.Add(random.NextDouble() < 0.15 ? HotSkus[random.Next(HotSkus.Length)] : ColdSkus[random.Next(ColdSkus.Length)]);
            }

            return new
            {
                orderId = id,
                channel = "test",
                shipTo = new { latitude = 45 + random.NextDouble() * 10, longitude = 5 + random.NextDouble() * 10 },
                // Materialised: a retry must send the very same body.
                lines = skus.Select((s, i) => new { lineId = $"{i + 1}", sku = s, quantity = random.Next(1, 4) }).ToArray(),
                allowSplit = true,
                // Without backorders nothing changes an order after its answer: the answers alone account for every reservation.
                allowBackorder = false,
            };
        }
    }
}
