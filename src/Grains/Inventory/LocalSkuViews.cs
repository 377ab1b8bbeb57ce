using System.Collections.Concurrent;

namespace Distribution.Inventory;

/// <summary>
/// The SKUs whose availability view (<see cref="SkuGrain"/>) is active on this silo, so that when
/// another silo dies this one can ask them to re-read their SKU-locations (a silo-wide singleton).
/// </summary>
public sealed class LocalSkuViews
{
    private readonly ConcurrentDictionary<string, byte> _skus = new(StringComparer.Ordinal);

    public void Add(string sku) => _skus.TryAdd(sku, 0);

    public void Remove(string sku) => _skus.TryRemove(sku, out _);

    public IReadOnlyList<string> Snapshot() => [.. _skus.Keys];
}
