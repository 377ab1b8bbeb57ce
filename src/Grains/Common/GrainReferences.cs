using Distribution.Inventory;
using Distribution.Network;

namespace Distribution.Common;

/// <summary>
/// Grain references the order path asks for on every order, without the reflection of
/// <c>GetGrain&lt;T&gt;(string)</c> (see <see cref="KeyedGrains"/>).
/// </summary>
public sealed class GrainReferences(IGrainFactory grains)
{
    private INetworkGrain? _network;

    public INetworkGrain Network => _network ??= grains.Keyed<INetworkGrain>(INetworkGrain.Key);

    public ISkuGrain Sku(string sku) => grains.Keyed<ISkuGrain>(sku);
}
