using Distribution.Common;

namespace Distribution.Replenishment.Tests;

/// <summary>An item catalog shard stores each SKU as an entry, so adding one writes only that one.</summary>
public sealed class ItemCatalogEntriesTests
{
    [Fact]
    public void Only_the_skus_added_since_the_last_write_are_changed_entries()
    {
        var state = new ItemCatalogState();
        state.Skus["SKU-1"] = "SKU-1";
        state.Skus["SKU-2"] = "SKU-2";
        var stored = (IHasStoredEntries)state;
        stored.TakeChangedEntries();

        state.Skus["SKU-3"] = "SKU-3";

        Assert.Equal("SKU-3", Assert.Single(stored.TakeChangedEntries()).Key);
        Assert.Equal(["SKU-1", "SKU-2", "SKU-3"], stored.StoredEntries.Select(e => e.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_shard_stored_with_its_skus_in_the_body_loads_them_as_entries_to_be_written_as_such()
    {
        var state = new ItemCatalogState { InlineSkus = new(StringComparer.Ordinal) { "SKU-1", "SKU-2" } };
        var stored = (IHasStoredEntries)state;

        stored.LoadEntries([new("SKU-0", "SKU-0")]);

        Assert.Null(state.InlineSkus);
        Assert.Equal(["SKU-0", "SKU-1", "SKU-2"], stored.StoredEntries.Select(e => e.Key).Order(StringComparer.Ordinal));
        Assert.Equal(["SKU-1", "SKU-2"], stored.TakeChangedEntries().Select(e => e.Key).Order(StringComparer.Ordinal));
    }
}
