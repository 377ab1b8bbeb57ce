using Distribution.Common;

namespace Distribution.Replenishment;

/// <summary>
/// One shard of the item master's SKU list (a pass walks the shards in parallel). Reentrant with
/// one write outstanding: items added while a write is in flight share the next one.
/// </summary>
[Reentrant]
public sealed class ItemCatalogGrain : Grain, IItemCatalogGrain
{
    private readonly IPersistentState<ItemCatalogState> _state;
    private readonly CoalescedWriter _writer;
    private IReadOnlyList<string>? _list;
    // The write that holds the latest added SKU: a repeated add answers once its SKU is durable.
    private Task _lastWrite = Task.CompletedTask;

    public ItemCatalogGrain(
        [PersistentState("itemCatalog", GrainStorage.Name)] IPersistentState<ItemCatalogState> state,
        ILogger<ItemCatalogGrain> logger)
    {
        _state = state;
        _writer = CoalescedWriter.ForState(this, state, logger);
    }

    public Task Add(string sku)
    {
        if (_state.State.Skus.ContainsKey(sku))
        {
            return _lastWrite;
        }

        _state.State.Skus[sku] = sku;
        _list = null;
        return _lastWrite = _writer.WriteAsync();
    }

    public Task<IReadOnlyList<string>> List() =>
        Task.FromResult(_list ??= [.. _state.State.Skus.Pairs.Select(p => p.Key).Order(StringComparer.Ordinal)]);

    /// <summary>The shard of a SKU (a stable hash: string hashes differ per process).</summary>
    public static int ShardOf(string sku) => (int)(StableStringHash.Of(sku) % IItemCatalogGrain.Shards);
}
