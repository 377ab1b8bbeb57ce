using Distribution.Common;
using Distribution.Events;
using Distribution.Events.Streaming;
using Distribution.Inventory;
using Distribution.Network;
using Distribution.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Runtime;
using Orleans.TestingHost;

namespace Distribution.Tests;

/// <summary>
/// A 2-silo in-process cluster with the hub's grains, the shared in-process storage and a fake
/// business clock, plus helpers to lay out a network. One per test class.
/// </summary>
public sealed class HubCluster : IAsyncLifetime
{
    // Business time starts on a Tuesday morning, before every warehouse's cutoff.
    public static readonly DateTimeOffset Start = new(2026, 11, 24, 8, 0, 0, TimeSpan.Zero);

    public FakeTimeProvider Time { get; } = new(Start);

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(2);
        var time = Time;
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddLocalMemoryGrainStorage(GrainStorage.Name, o => o.WakeAtSelector = s => (s as IHasWakeTime)?.WakeAt);
            // The fake clock is business time only (see AddBusinessClock).
            silo.Services.AddBusinessClock(time);
            silo.Services.AddDistributionGrains();
            silo.Services.Configure<AllocationOptions>(o => o.ReportRetryDelay = TimeSpan.FromMilliseconds(100));
            silo.Services.Configure<Replenishment.ReplenishmentOptions>(o => o.ChangeReviewDelay = TimeSpan.FromMilliseconds(100));
            silo.AddIncomingGrainCallFilter<LostReports>();
            silo.AddWarehouseEventPipeline();
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();

    public async Task AddWarehouseAsync(
        string id, double latitude, double longitude,
        WarehouseStatus status = WarehouseStatus.Active, int? dailyOrderCapacity = null)
    {
        var result = await Grains.GetGrain<INetworkGrain>(INetworkGrain.Key).UpsertWarehouse(new WarehouseInfo
        {
            WarehouseId = id,
            Name = id,
            Location = new GeoPoint(latitude, longitude),
            Status = status,
            DailyOrderCapacity = dailyOrderCapacity,
            CutoffLocalTime = new TimeOnly(23, 59, 59),
            TimeZone = "UTC",
        });
        Assert.Empty(result.Errors);
    }

    public async Task AddItemAsync(string sku)
    {
        var result = await Grains.GetGrain<ISkuGrain>(sku).UpsertItem(new ItemInfo { Sku = sku, Description = sku });
        Assert.Empty(result.Errors);
    }

    public async Task StockAsync(string warehouseId, string sku, int onHand, DateTimeOffset? asOf = null, bool waitForView = true)
    {
        var result = await Grains.GetGrain<IInventorySyncGrain>(0).ApplySnapshot(new InventorySnapshot
        {
            WarehouseId = warehouseId,
            AsOf = asOf ?? Time.GetUtcNow(),
            Items = [new SnapshotLine(sku, onHand)],
        });
        Assert.Empty(result.Errors);
        Time.Advance(TimeSpan.FromMilliseconds(1));

        // Orders source from the SKU's view, which hears of the new count asynchronously: wait
        // for it, so a test's next order sees the stock it just put there.
        if (!waitForView)
        {
            return;
        }

        var view = Grains.GetGrain<ISkuGrain>(sku);
        await EventuallyAsync(
            async () => await view.GetAvailability() is not { } a || a.Locations.Any(l => l.WarehouseId == warehouseId && l.OnHand == onHand),
            $"the view of {sku} shows {onHand} at {warehouseId}");
    }

    public async Task AddLaneAsync(string from, string to, double transitDays)
    {
        var result = await Grains.GetGrain<INetworkGrain>(INetworkGrain.Key).UpsertLane(new LaneInfo
        {
            FromWarehouseId = from,
            ToWarehouseId = to,
            TransitDays = transitDays,
        });
        Assert.Empty(result.Errors);
    }

    /// <summary>
    /// One tick of the silo's recovery sweep at the fake clock's time: wakes every grain whose
    /// stored wake-up time has come (the sweep itself is a host service, not part of this cluster).
    /// </summary>
    public async Task<IReadOnlyList<GrainId>> SweepAsync()
    {
        var queue = Cluster.Silos[0].ServiceProvider.GetRequiredService<IGrainWakeQueue>();
        var due = await queue.GetDueAsync(Time.GetUtcNow(), 100_000);
        await Task.WhenAll(due.Select(id => Grains.GetGrain<IRecoverableGrain>(id).Wake()));
        return due;
    }

    /// <summary>A warehouse event at the current business time, with a fresh event id.</summary>
    public WarehouseEventRequest Event(
        string type, string warehouseId, string sku, int quantity,
        string? transferId = null, string? purchaseOrderId = null, string? orderId = null, string? lineId = null) => new()
        {
            EventId = $"ev-{Guid.NewGuid():N}",
            WarehouseId = warehouseId,
            Type = type,
            Sku = sku,
            Quantity = quantity,
            TransferId = transferId,
            PurchaseOrderId = purchaseOrderId,
            OrderId = orderId,
            LineId = lineId,
            OccurredAt = Time.GetUtcNow(),
        };

    /// <summary>Ingests <paramref name="events"/>, none of which may be rejected.</summary>
    public async Task<EventBatchResult> IngestAsync(params WarehouseEventRequest[] events)
    {
        var result = await Grains.GetGrain<IEventIngestGrain>(0).Ingest(events);
        Assert.Equal(0, result.Rejected);
        return result;
    }

    public Task<SkuLocationPosition> PositionAsync(string warehouseId, string sku) =>
        Grains.GetGrain<ISkuLocationGrain>(SkuLocationKey.Format(warehouseId, sku)).GetPosition();

    /// <summary>The grains the recovery sweep would wake now (the shared store's wake queue).</summary>
    public async Task<IReadOnlyList<GrainId>> DueForWakeAsync()
    {
        var queue = ((InProcessSiloHandle)Cluster.Silos[0]).SiloHost.Services.GetRequiredService<IGrainWakeQueue>();
        return await queue.GetDueAsync(Time.GetUtcNow(), 100_000);
    }

    /// <summary>Polls until the condition holds (the network view and backorder wake-ups are asynchronous).</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string because)
    {
        for (var i = 0; i < 100; i++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(50);
        }

        Assert.Fail($"Timed out waiting until {because}");
    }

    /// <summary>Reads until what it reads satisfies <paramref name="until"/>, and returns that.</summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> until, string because)
    {
        T value = default!;
        await EventuallyAsync(async () => until(value = await read()), because);
        return value;
    }
}
