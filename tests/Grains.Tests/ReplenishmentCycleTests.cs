using System.Diagnostics.Metrics;
using Distribution.Common;
using Distribution.Events;
using Distribution.Replenishment;
using static Distribution.Tests.OrderTestData;

namespace Distribution.Tests;

/// <summary>
/// Replenishment over time: a stock change is reviewed without waiting for the pass, a cycle is
/// measured from signal to receipt, and decided recommendations are forgotten after their
/// retention. Its own cluster: these tests move the business clock by weeks.
/// </summary>
public sealed class ReplenishmentCycleTests(HubCluster hub) : IClassFixture<HubCluster>
{
    [Fact]
    public async Task Stock_falling_to_the_reorder_point_is_reviewed_without_waiting_for_a_pass()
    {
        var (destination, source, sku) = await ReplenishmentNetwork.CreateAsync(hub, destinationStock: 30, sourceStock: 100);
        Assert.Empty(await OpenAsync(destination, sku));

        await hub.StockAsync(destination, sku, 7); // a count finds less: at or below s=10

        await HubCluster.EventuallyAsync(async () => (await OpenAsync(destination, sku)).Count == 1, "the change is reviewed");
        var recommendation = Assert.Single(await OpenAsync(destination, sku));
        Assert.Equal((RecommendationKind.Transfer, source, 20), (recommendation.Kind, recommendation.SourceId, recommendation.Quantity));
    }

    [Fact]
    public async Task A_replenishment_transfer_received_in_full_closes_its_cycle_and_measures_it()
    {
        var (destination, source, sku) = await ReplenishmentNetwork.CreateAsync(hub, destinationStock: 5, sourceStock: 100);
        await RunPassAsync();
        var recommendation = Assert.Single(await OpenAsync(destination, sku));
        var board = hub.Grains.GetGrain<IReplenishmentBoardGrain>(destination);
        Assert.Equal(CommandOutcome.Updated, (await board.Approve(recommendation.RecommendationId)).Outcome);
        var cycles = new List<(double Days, string? Warehouse, string? Kind)>();
        using var listener = CycleTimeListener(cycles);

        hub.Time.Advance(TimeSpan.FromHours(6));
        await hub.IngestAsync(hub.Event("TransferShipped", source, sku, 20, recommendation.RecommendationId));
        hub.Time.Advance(TimeSpan.FromHours(30));
        var receivedAt = hub.Time.GetUtcNow();
        await hub.IngestAsync(hub.Event("TransferReceived", destination, sku, 20, recommendation.RecommendationId));

        await HubCluster.EventuallyAsync(
            async () => (await board.List(RecommendationStatus.Approved)).Any(r => r.RecommendationId == recommendation.RecommendationId && r.ReceivedAt is not null),
            "the board hears of the receipt");
        var closed = (await board.List(RecommendationStatus.Approved)).Single(r => r.RecommendationId == recommendation.RecommendationId);
        Assert.Equal(receivedAt, closed.ReceivedAt);
        var expectedDays = (receivedAt - recommendation.CreatedAt).TotalDays;
        lock (cycles)
        {
            var cycle = Assert.Single(cycles, c => c.Warehouse == destination);
            Assert.Equal((expectedDays, "transfer"), (cycle.Days, cycle.Kind));
        }
    }

    [Fact]
    public async Task A_dismissed_recommendation_is_forgotten_after_the_retention_and_the_need_proposed_afresh()
    {
        var (destination, _, sku) = await ReplenishmentNetwork.CreateAsync(hub, destinationStock: 5, sourceStock: 5);
        await RunPassAsync();
        var dismissed = Assert.Single(await OpenAsync(destination, sku));
        var board = hub.Grains.GetGrain<IReplenishmentBoardGrain>(destination);
        await board.Dismiss(dismissed.RecommendationId, "not now");

        hub.Time.Advance(TimeSpan.FromDays(29));
        await RunPassAsync();
        Assert.Contains(await board.List(RecommendationStatus.Dismissed), r => r.RecommendationId == dismissed.RecommendationId);

        hub.Time.Advance(TimeSpan.FromDays(2)); // 31 days after the decision: past the default 30
        await RunPassAsync();
        var left = (await board.List(null)).Where(r => r.Sku == sku).ToList();
        Assert.DoesNotContain(left, r => r.RecommendationId == dismissed.RecommendationId);
        Assert.Contains(left, r => r.Status == RecommendationStatus.Open);
    }

    private static MeterListener CycleTimeListener(List<(double Days, string? Warehouse, string? Kind)> cycles)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == HubMetrics.MeterName && instrument.Name == "distribution.replenishment.cycle_time")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            string? warehouse = null, kind = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "warehouse") warehouse = tag.Value as string;
                if (tag.Key == "kind") kind = tag.Value as string;
            }

            lock (cycles)
            {
                cycles.Add((value, warehouse, kind));
            }
        });
        listener.Start();
        return listener;
    }



    private Task<ReviewSummary> RunPassAsync() => hub.Grains.GetGrain<IReplenishmentReviewGrain>(IReplenishmentReviewGrain.Key).RunPass();

    private async Task<IReadOnlyList<Recommendation>> OpenAsync(string warehouseId, string sku) =>
        [.. (await hub.Grains.GetGrain<IReplenishmentBoardGrain>(warehouseId).List(RecommendationStatus.Open)).Where(r => r.Sku == sku)];
}
