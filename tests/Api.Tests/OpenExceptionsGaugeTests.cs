using static Distribution.Tests.Api.ApiTestClient;
using static Distribution.Tests.Api.EventTestClient;

namespace Distribution.Tests.Api;

/// <summary>
/// The open-exceptions gauge on /metrics. Two hosts in one process (as in these tests) share one
/// instrument per name: every host's scrape carries its own counts, not only the first host's.
/// </summary>
public sealed class OpenExceptionsGaugeTests(HubFactory factory) : IClassFixture<HubFactory>
{
    private const string Metric = "distribution_exceptions_open";

    private readonly HttpClient _first = factory.CreateClient();

    [Fact]
    public async Task The_second_host_in_a_process_exports_its_own_open_dead_letters()
    {
        // The first host exports the gauge before the second host starts.
        Assert.Contains(Metric, await _first.ScrapeUntilAsync(t => t.Contains(Metric, StringComparison.Ordinal), timeoutMs: 25_000), StringComparison.Ordinal);

        await using var second = new HubFactory();
        using var client = second.CreateClient();
        var (sku, warehouse) = await client.SeedOneSkuAsync(Now(), 5);
        var unknownTransfers = Enumerable.Range(0, 3).Select(_ => Event("TransferReceived", warehouse, sku, 1, transferId: Unique("TR"))).ToList();
        await client.PostEventsAsync(unknownTransfers);
        foreach (var e in unknownTransfers)
        {
            await client.GetExceptionUntilAsync(EventExceptionId(e.Id()));
        }

        var open = (await client.ListExceptionsAsync("kind=deadLetter&status=open&limit=1")).Int("total");
        Assert.True(open >= 3);

        // The gauge polls the queue every 10 s.
        var scrape = await client.ScrapeUntilAsync(t => DeadLetters(t) >= open, timeoutMs: 25_000);
        Assert.True(DeadLetters(scrape) >= open, $"{Metric}{{kind=\"deadLetter\"}} was {DeadLetters(scrape)}, expected at least {open}");
    }

    private static int DeadLetters(string scrape) => scrape.Split('\n')
        .Where(l => l.StartsWith(Metric + "{", StringComparison.Ordinal) && l.Contains("kind=\"deadLetter\"", StringComparison.Ordinal))
        .Select(l => int.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture))
        .DefaultIfEmpty(-1)
        .Max();
}
