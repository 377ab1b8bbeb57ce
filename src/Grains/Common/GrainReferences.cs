using System.Collections.Concurrent;
using Distribution.Inventory;
using Distribution.Network;

namespace Distribution.Common;

/// <summary>
/// Per-silo cache of grain references the order path asks for on every order. Resolving a
/// reference by string key reflects over the interface each time; these sets are bounded by the
/// master data (one per SKU), so they are kept.
/// </summary>
public sealed class GrainReferences(IGrainFactory grains)
{
    private readonly ConcurrentDictionary<string, ISkuGrain> _skus = new(StringComparer.Ordinal);
    private INetworkGrain? _network;

    public INetworkGrain Network => _network ??= grains.GetGrain<INetworkGrain>(INetworkGrain.Key);

    public ISkuGrain Sku(string sku) => _skus.GetOrAdd(sku, static (key, factory) => factory.GetGrain<ISkuGrain>(key), grains);
}
