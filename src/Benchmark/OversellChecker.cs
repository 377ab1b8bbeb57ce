using System.Collections.Concurrent;

namespace Distribution.Benchmark;

/// <summary>Outcome of the end-of-run stock check.</summary>
internal sealed record OversellReport(
    int SkusChecked,
    int SkusUnreadable,
    string? FirstFailure,
    long OversoldUnits,
    int OversoldLocations,
    bool CrossChecked,
    long AcknowledgedUnits,
    long AcknowledgedNotReserved,
    long ReservedNotAcknowledged,
    IReadOnlyList<string> Examples,
    StoredOrders? Orders = null,
    ViewConvergence? View = null)
{
    public bool Passed => OversoldUnits == 0 && AcknowledgedNotReserved == 0 && Orders is not { Missing: > 0 } && View is not { UnitsStillBehind: > 0 };
}

/// <summary>
/// Acknowledged units the SKU-locations hold but their SKU's availability view did not show at the
/// first reading (a view heals asynchronously, e.g. after a silo crash), and how it went after.
/// </summary>
internal sealed record ViewConvergence(long UnitsBehind, long UnitsStillBehind, TimeSpan Waited);

/// <summary>Acknowledged orders (distinct ids) and how many of them the store does not hold.</summary>
internal sealed record StoredOrders(long Acknowledged, long Missing);

/// <summary>
/// Reads GET /v1/availability/{sku} for every SKU any order touched and counts oversold units:
/// at each location, reserved beyond on-hand. With <c>crossCheck</c> (only valid when this run
/// seeded a fresh network) it also compares with the units the acknowledged responses allocated
/// per SKU-location: they must all show up as reserved, and must not exceed on-hand either.
/// </summary>
internal sealed class OversellChecker(ApiClient api, Network network, AllocationLedger ledger, int parallelism)
{
    private const int MaxExamples = 5;

    public async Task<OversellReport> RunAsync(bool crossCheck, CancellationToken ct)
    {
        var skus = ledger.TouchedSkus();
        var warehouses = network.Warehouses.Count;
        long oversold = 0, acknowledged = 0, notReserved = 0, notAcknowledged = 0, viewBehind = 0;
        var behind = new ConcurrentBag<(int SkuIndex, int Warehouse, long Acknowledged)>();
        int oversoldLocations = 0, unreadable = 0;
        string? firstFailure = null;
        var examples = new ConcurrentQueue<string>();

        void Oversold(string sku, string? warehouse, long units, string detail)
        {
            Interlocked.Add(ref oversold, units);
            Interlocked.Increment(ref oversoldLocations);
            if (examples.Count < MaxExamples)
                examples.Enqueue($"{sku} @ {warehouse}: {detail}");
        }

        await ParallelWork.RunAsync("availability checked (SKUs)", skus, skus.Count, parallelism, async (skuIndex, token) =>
        {
            var sku = network.Skus[skuIndex];
            var (availability, failure) = await api.GetAvailabilityAsync(sku, token);
            if (availability is null)
            {
                Interlocked.Increment(ref unreadable);
                Interlocked.CompareExchange(ref firstFailure, $"{sku}: {failure}", null);
                return 1;
            }

            var reserved = new long[warehouses];
            var onHand = new long[warehouses];
            foreach (var location in availability.Locations ?? [])
            {
                var w = network.IndexOfWarehouse(location.WarehouseId);
                if (crossCheck && w >= 0)
                {
                    reserved[w] += location.Reserved;
                    onHand[w] += location.OnHand;
                }
                else if (location.Reserved > location.OnHand)
                {
                    Oversold(sku, location.WarehouseId, location.Reserved - location.OnHand,
                        $"reserved {location.Reserved} > on hand {location.OnHand}");
                }
            }

            if (!crossCheck)
                return 1;

            for (var w = 0; w < warehouses; w++)
            {
                var ack = ledger.Allocated(skuIndex, w);
                Interlocked.Add(ref acknowledged, ack);
                if (ack > reserved[w])
                {
                    // Tell a stale availability view from a lost reservation: ask the SKU-location itself.
                    var (position, _) = await api.GetSkuLocationAsync(network.Warehouses[w].Id, sku, token);
                    if (position is not null && position.Reserved >= ack)
                    {
                        Interlocked.Add(ref viewBehind, ack - reserved[w]);
                        behind.Add((skuIndex, w, ack));
                    }
                    else
                    {
                        Interlocked.Add(ref notReserved, ack - reserved[w]);
                    }

                    if (examples.Count < MaxExamples)
                        examples.Enqueue($"{sku} @ {network.Warehouses[w].Id}: acknowledged {ack}, view reserved {reserved[w]}, "
                            + $"SKU-location reserved {(position is null ? "unreadable" : position.Reserved.ToString(System.Globalization.CultureInfo.InvariantCulture))}");
                }
                else
                    Interlocked.Add(ref notAcknowledged, reserved[w] - ack);

                var committed = Math.Max(ack, reserved[w]);
                if (committed > onHand[w])
                {
                    Oversold(sku, network.Warehouses[w].Id, committed - onHand[w],
                        $"reserved {reserved[w]}, acknowledged {ack} > on hand {onHand[w]}");
                }
            }

            return 1;
        }, ct);

        var view = behind.IsEmpty ? null : await AwaitViewsAsync([.. behind], viewBehind, ct);
        return new OversellReport(
            skus.Count, unreadable, firstFailure, oversold, oversoldLocations,
            crossCheck, acknowledged, notReserved, notAcknowledged, examples.ToArray(), View: view);
    }

    /// <summary>Re-reads the views that were behind every 5 s until they show what their SKU-locations hold, for up to 2 minutes.</summary>
    private async Task<ViewConvergence> AwaitViewsAsync(List<(int SkuIndex, int Warehouse, long Acknowledged)> behind, long units, CancellationToken ct)
    {
        var limit = TimeSpan.FromMinutes(2);
        var started = System.Diagnostics.Stopwatch.StartNew();
        long stillBehind = units;
        while (behind.Count > 0 && started.Elapsed < limit)
        {
            ConsoleStatus.Update($"  waiting for {behind.Count:N0} availability view(s) to catch up ({started.Elapsed.TotalSeconds:0} s)");
            await Task.Delay(TimeSpan.FromSeconds(5), ct);
            var next = new List<(int SkuIndex, int Warehouse, long Acknowledged)>();
            stillBehind = 0;
            foreach (var b in behind)
            {
                var (availability, _) = await api.GetAvailabilityAsync(network.Skus[b.SkuIndex], ct);
                var shown = availability?.Locations?.Where(l => l.WarehouseId == network.Warehouses[b.Warehouse].Id).Sum(l => (long)l.Reserved) ?? 0;
                if (shown < b.Acknowledged)
                {
                    next.Add(b);
                    stillBehind += b.Acknowledged - shown;
                }
            }

            behind = next;
        }

        return new ViewConvergence(units, behind.Count == 0 ? 0 : stillBehind, started.Elapsed);
    }
}
