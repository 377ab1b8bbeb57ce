using Distribution.Common;

namespace Distribution.Replenishment;

/// <summary>One shard of the item master's SKU list (a pass walks the shards in parallel).</summary>
public sealed class ItemCatalogGrain(
    [PersistentState("itemCatalog", GrainStorage.Name)] IPersistentState<ItemCatalogState> state) : Grain, IItemCatalogGrain
{
    private IReadOnlyList<string>? _list;

    public async Task Add(string sku)
    {
        if (state.State.Skus.Add(sku))
        {
            _list = null;
            await state.WriteStateAsync();
        }
    }

    public Task<IReadOnlyList<string>> List() =>
        Task.FromResult(_list ??= [.. state.State.Skus.Order(StringComparer.Ordinal)]);

    /// <summary>The shard of a SKU (a stable hash: string hashes differ per process).</summary>
    public static int ShardOf(string sku) => (int)(StableStringHash.Of(sku) % IItemCatalogGrain.Shards);
}
