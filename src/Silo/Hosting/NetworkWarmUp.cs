using System.Diagnostics;
using Distribution.Common;
using Distribution.Integration.BusinessEvents;
using Distribution.Inventory;
using Distribution.Persistence;
using Microsoft.Extensions.Options;
using Orleans.Storage;

namespace Distribution.Silo.Hosting;

/// <summary>
/// With <see cref="WarmUpOptions.OnStart"/>, brings the stored network live once the silo is
/// active: every SKU-location's and SKU view's state read in bulk and held by
/// <see cref="IGrainStatePreloader"/>, then each SKU view called once (it activates its locations),
/// then each SKU-location whose held state is still untaken, with about
/// <see cref="WarmUpOptions.MaxInFlight"/> activations in flight. The finance feed is brought live
/// meanwhile: its activation takes up to a second (it learns the ids of its kept entries), and every
/// warehouse's event consumer waits for the feed, so left to the first events it stalls them all.
/// It runs in the background: the silo serves requests meanwhile (a grain
/// asked for before its turn activates and reads its state as usual). Progress and the result are
/// logged.
/// </summary>
public sealed partial class NetworkWarmUp(
    IGrainFactory grains,
    IServiceProvider services,
    IOptions<WarmUpOptions> options,
    ILogger<NetworkWarmUp> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(5);
    private readonly CancellationTokenSource _stopping = new();
    private Task _run = Task.CompletedTask;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(NetworkWarmUp), ServiceLifecycleStage.Active, Start, StopAsync);

    private Task Start(CancellationToken cancellationToken)
    {
        if (options.Value.OnStart)
        {
            _run = Task.Run(() => RunAsync(_stopping.Token), CancellationToken.None);
        }

        return Task.CompletedTask;
    }

    private async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _run.WaitAsync(cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        if (services.GetKeyedService<IGrainStorage>(GrainStorage.Name) is not IGrainStatePreloader storage)
        {
            LogNothingStored(logger);
            return;
        }

        try
        {
            var clock = Stopwatch.StartNew();
            var financeFeed = WarmFinanceFeedAsync();
            // Both kinds held before any activation: a SKU-location's first report activates its
            // SKU view, which asks all of that SKU's locations (in other warehouses, so in other
            // chunks of the key order) for theirs.
            using var views = await HoldAsync(storage, "SKU views", grains.GetGrain<ISkuGrain>("_").GetGrainId().Type, "sku", cancellationToken);
            using var locations = await HoldAsync(storage, "SKU-locations", grains.GetGrain<ISkuLocationGrain>("_").GetGrainId().Type, "skuLocation", cancellationToken);
            var read = clock.Elapsed;
            // Views first: a view's activation asks each of its SKU's locations for a report, which
            // activates them, so a view costs about (locations / views) activations and fewer views
            // go in flight. Then the SKU-locations no view brought live (after a crash a view's
            // stored list can lag its locations): those whose held state no activation has taken.
            var perView = Math.Max(1, locations.Grains.Count / Math.Max(1, views.Grains.Count));
            var live = await ActivateAsync("SKU views", views.Grains, id => grains.GetGrain<ISkuGrain>(id).GetAvailability(), Math.Max(1, options.Value.MaxInFlight / perView), cancellationToken);
            var rest = locations.Grains.Where(locations.IsHeld).ToList();
            live += locations.Grains.Count - rest.Count;
            live += await ActivateAsync("SKU-locations", rest, id => grains.GetGrain<ISkuLocationGrain>(id).GetReport(), options.Value.MaxInFlight, cancellationToken);
            await financeFeed;
            LogDone(logger, locations.Grains.Count, views.Grains.Count, clock.Elapsed.TotalSeconds, read.TotalSeconds, locations.Grains.Count + views.Grains.Count - live);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            LogStopped(logger);
        }
        catch (Exception e)
        {
            // Nothing is lost: grains not brought live activate on their first call instead.
            LogFailed(logger, e);
        }
    }

    /// <summary>A read of nothing: the activation is what is wanted. On failure the feed activates on the first events instead.</summary>
    private async Task WarmFinanceFeedAsync()
    {
        var feed = grains.GetGrain<IFinanceFeedGrain>(0);
        try
        {
            await feed.Read(after: 0, limit: 0);
        }
        catch (Exception e)
        {
            LogActivationFailed(logger, e, feed.GetGrainId());
        }
    }

    private async Task<GrainStateHold> HoldAsync(IGrainStatePreloader storage, string what, GrainType grainType, string stateName, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var nextReport = ProgressInterval;
        var progress = new Progress<int>(read =>
        {
            if (clock.Elapsed >= nextReport)
            {
                nextReport = clock.Elapsed + ProgressInterval;
                LogReading(logger, what, read);
            }
        });
        var hold = await storage.HoldAsync(grainType, stateName, Math.Max(1, options.Value.ChunkSize), progress, cancellationToken);
        LogRead(logger, hold.Grains.Count, what, clock.Elapsed.TotalSeconds);
        return hold;
    }

    /// <summary>Calls each grain once, at most <paramref name="inFlight"/> at a time; returns how many answered.</summary>
    private async Task<long> ActivateAsync(string what, IReadOnlyList<GrainId> ids, Func<GrainId, Task> activate, int inFlight, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var nextReport = ProgressInterval;
        long live = 0, failed = 0;
        using var window = new SemaphoreSlim(Math.Max(1, inFlight));
        var calls = new List<Task>(ids.Count);
        foreach (var id in ids)
        {
            await window.WaitAsync(cancellationToken);
            calls.Add(CallAsync(id));
            if (clock.Elapsed >= nextReport)
            {
                nextReport = clock.Elapsed + ProgressInterval;
                LogProgress(logger, what, Interlocked.Read(ref live), ids.Count, live / clock.Elapsed.TotalSeconds);
            }
        }

        await Task.WhenAll(calls);
        return live;

        async Task CallAsync(GrainId id)
        {
            try
            {
                await activate(id);
                Interlocked.Increment(ref live);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                // One grain that cannot activate now (it will on its first call) does not stop the rest.
                if (Interlocked.Increment(ref failed) <= 10)
                {
                    LogActivationFailed(logger, e, id);
                }
            }
            finally
            {
                window.Release();
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Warm-up: the grain storage is in memory; nothing to bring live")]
    private static partial void LogNothingStored(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Warm-up: {Read:N0} {What} read so far")]
    private static partial void LogReading(ILogger logger, string what, int read);

    [LoggerMessage(Level = LogLevel.Information, Message = "Warm-up: read {Count:N0} {What} in {Seconds:N1} s")]
    private static partial void LogRead(ILogger logger, int count, string what, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Warm-up: {What} {Live:N0}/{Total:N0} live ({Rate:N0}/s)")]
    private static partial void LogProgress(ILogger logger, string what, long live, long total, double rate);

    [LoggerMessage(Level = LogLevel.Information, Message = "Warm-up: brought {Locations:N0} SKU-locations and {Views:N0} SKU views live in {Seconds:N1} s (reading them: {ReadSeconds:N1} s); {Failed} could not be activated now")]
    private static partial void LogDone(ILogger logger, int locations, int views, double seconds, double readSeconds, long failed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Warm-up: {Grain} could not be activated; it will be on its first call")]
    private static partial void LogActivationFailed(ILogger logger, Exception exception, GrainId grain);

    [LoggerMessage(Level = LogLevel.Information, Message = "Warm-up stopped with the silo")]
    private static partial void LogStopped(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "Warm-up failed; grains not yet live activate on their first call")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
