using System.Collections.Concurrent;
using Distribution.Inventory;

namespace Distribution.Tests;

/// <summary>
/// Fails the network view's <c>ReportLocation</c> for chosen SKUs, as when the view's silo dies
/// with the report queued. Keyed by SKU so test classes running in parallel are not affected.
/// </summary>
public sealed class LostReports : IIncomingGrainCallFilter
{
    private static readonly ConcurrentDictionary<string, int> Dropped = new(StringComparer.Ordinal);

    public static void Drop(string sku) => Dropped[sku] = 0;

    public static void Deliver(string sku) => Dropped.TryRemove(sku, out _);

    /// <summary>How many reports for the SKU were lost while it was dropped.</summary>
    public static int LostCount(string sku) => Dropped.GetValueOrDefault(sku);

    public Task Invoke(IIncomingGrainCallContext context)
    {
        if (context.Grain is ISkuGrain
            && context.InterfaceMethod.Name == nameof(ISkuGrain.ReportLocation)
            && context.TargetId.Key.ToString() is { } sku
            && Dropped.ContainsKey(sku))
        {
            Dropped.AddOrUpdate(sku, 1, (_, n) => n + 1);
            throw new InvalidOperationException($"Report for {sku} lost (simulated silo failure)");
        }

        return context.Invoke();
    }
}
