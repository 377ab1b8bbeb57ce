using System.Net;
using static Distribution.Tests.Api.ApiTestClient;
using static Distribution.Tests.Api.EventTestClient;

namespace Distribution.Tests.Api;

/// <summary>GET /metrics: the Prometheus scrape carries the event pipeline's business metrics.</summary>
public sealed class MetricsTests(HubFactory factory) : IClassFixture<HubFactory>
{
    private static readonly DateTimeOffset AsOf = new(2025, 3, 3, 8, 0, 0, TimeSpan.Zero);

    private readonly HttpClient _client = factory.CreateClient();

    private Task<string> ScrapeUntilAsync(params string[] names) =>
        _client.ScrapeUntilAsync(text => names.All(n => text.Contains(n, StringComparison.Ordinal)), TimeoutMs);

    [Fact]
    public async Task Metrics_show_ingested_events_apply_lag_and_latency_after_an_event_is_applied()
    {
        var (sku, warehouse) = await _client.SeedOneSkuAsync(AsOf, 10);
        var receipt = Event("Received", warehouse, sku, 1);
        await _client.PostEventsAsync(receipt);
        await _client.GetSkuLocationAfterAsync(warehouse, sku, receipt.Id());

        var text = await ScrapeUntilAsync(
            "distribution_events_ingested_total",
            "distribution_events_apply_lag_seconds_bucket",
            "distribution_events_latency_seconds",
            warehouse);

        Assert.Contains("distribution_events_ingested_total", text, StringComparison.Ordinal);
        Assert.Contains("distribution_events_apply_lag_seconds_bucket", text, StringComparison.Ordinal);
        Assert.Contains("distribution_events_latency_seconds", text, StringComparison.Ordinal);
        var ingested = text.Split('\n').Where(l => l.StartsWith("distribution_events_ingested_total{", StringComparison.Ordinal)).ToList();
        Assert.Contains(ingested, l => l.Contains($"warehouse=\"{warehouse}\"", StringComparison.Ordinal) && l.Contains("verdict=\"accepted\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Metrics_count_dead_lettered_events()
    {
        var (sku, warehouse) = await _client.SeedOneSkuAsync(AsOf, 10);
        var transfer = Event("TransferReceived", warehouse, sku, 1, transferId: Unique("TR"));
        await _client.PostEventsAsync(transfer);
        await _client.GetExceptionUntilAsync(EventExceptionId(transfer.Id()));

        var text = await ScrapeUntilAsync("distribution_events_dead_lettered_total", warehouse);

        Assert.Contains(
            text.Split('\n'),
            l => l.StartsWith("distribution_events_dead_lettered_total{", StringComparison.Ordinal) && l.Contains($"warehouse=\"{warehouse}\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_location_whose_available_falls_to_zero_counts_a_stockout()
    {
        var (sku, warehouse) = await _client.SeedOneSkuAsync(AsOf, 3);
        var before = await _client.ScrapeUntilAsync(_ => true);
        Assert.Empty(MetricLines(before, "distribution_stockouts_total", warehouse));

        await _client.PostSnapshotAsync(warehouse, AsOf.AddHours(1), (sku, 0));

        var text = await _client.ScrapeUntilAsync(t => MetricLines(t, "distribution_stockouts_total", warehouse).Any(), TimeoutMs);
        Assert.EndsWith(" 1", Assert.Single(MetricLines(text, "distribution_stockouts_total", warehouse)), StringComparison.Ordinal);
    }
}
