using System.Collections;
using System.Diagnostics.CodeAnalysis;
using Distribution.Inventory;

namespace Distribution.Orders;

/// <summary>
/// Sourcing's view of what is available per (warehouse, SKU), read straight from the SKUs' network
/// views instead of copied into a dictionary per planning attempt (that copy was a tenth of what the
/// order path allocated). A lookup scans the SKU's locations: a few dozen per SKU.
/// </summary>
internal sealed class AvailableBySkuLocation(IReadOnlyDictionary<string, SkuAvailability?> availability)
    : IReadOnlyDictionary<(string WarehouseId, string Sku), int>
{
    public int Count => Pairs().Count();

    public IEnumerable<(string WarehouseId, string Sku)> Keys => Pairs().Select(p => p.Key);

    public IEnumerable<int> Values => Pairs().Select(p => p.Value);

    public int this[(string WarehouseId, string Sku) key] =>
        TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"{key.WarehouseId}/{key.Sku}");

    public bool ContainsKey((string WarehouseId, string Sku) key) => TryGetValue(key, out _);

    public bool TryGetValue((string WarehouseId, string Sku) key, [MaybeNullWhen(false)] out int value)
    {
        if (availability.GetValueOrDefault(key.Sku) is { } sku)
        {
            foreach (var location in sku.Locations)
            {
                if (string.Equals(location.WarehouseId, key.WarehouseId, StringComparison.Ordinal))
                {
                    value = location.Available;
                    return true;
                }
            }
        }

        value = 0;
        return false;
    }

    public IEnumerator<KeyValuePair<(string WarehouseId, string Sku), int>> GetEnumerator() => Pairs().GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private IEnumerable<KeyValuePair<(string WarehouseId, string Sku), int>> Pairs() =>
        availability.SelectMany(a => (a.Value?.Locations ?? []).Select(l =>
            new KeyValuePair<(string WarehouseId, string Sku), int>((l.WarehouseId, a.Key), l.Available)));
}
