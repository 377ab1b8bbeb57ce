namespace Distribution.Inventory.Tests;

/// <summary>
/// A silo remembers the SKUs it found in the item master (items are never deleted), and asks again
/// for a SKU it did not find, since the item may be created meanwhile.
/// </summary>
public sealed class KnownItemsTests
{
    private readonly HashSet<string> _master = new(StringComparer.Ordinal) { "SKU-1", "SKU-2" };
    private readonly List<string> _asked = [];

    private KnownItems Create() => new(sku =>
    {
        lock (_asked)
        {
            _asked.Add(sku);
        }

        return Task.FromResult(_master.Contains(sku));
    });

    [Fact]
    public async Task A_sku_found_once_is_not_asked_again()
    {
        var items = Create();

        Assert.True(await items.IsKnownAsync("SKU-1"));
        Assert.True(await items.IsKnownAsync("SKU-1"));
        var both = await items.AreKnownAsync(["SKU-1", "SKU-1"]);
        Assert.Equal([true, true], both);

        Assert.Equal(["SKU-1"], _asked);
    }

    [Fact]
    public async Task A_sku_not_found_is_asked_again_and_known_once_its_item_exists()
    {
        var items = Create();
        Assert.False(await items.IsKnownAsync("SKU-9"));

        _master.Add("SKU-9");

        Assert.True(await items.IsKnownAsync("SKU-9"));
        Assert.True(await items.IsKnownAsync("SKU-9"));
        Assert.Equal(["SKU-9", "SKU-9"], _asked);
    }

    [Fact]
    public async Task Unknown_skus_are_named_by_their_line_and_only_skus_not_known_yet_are_asked()
    {
        var items = Create();
        await items.IsKnownAsync("SKU-2");
        _asked.Clear();

        var errors = await items.UnknownSkusAsync(["SKU-1", "SKU-2", "NOPE", "SKU-1"], "items");

        var error = Assert.Single(errors);
        Assert.Equal("items[2].sku", error.Field);
        Assert.Equal("unknown SKU 'NOPE'", error.Message);
        Assert.Equal(["NOPE", "SKU-1"], _asked.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Many_skus_are_asked_in_waves_and_answered_in_order()
    {
        var items = Create();
        var skus = Enumerable.Range(0, 1_300).Select(i => i % 3 == 0 ? "SKU-1" : $"X-{i}").ToList();

        var known = await items.AreKnownAsync(skus);

        Assert.Equal(skus.Select(s => s == "SKU-1"), known);
        Assert.Equal(skus.Distinct().Count(), _asked.Count);
    }

    [Fact]
    public async Task A_sku_remembered_from_its_item_record_is_known_without_asking()
    {
        var items = Create();
        Assert.False(items.Knows("SKU-2"));

        items.Remember("SKU-2");

        Assert.True(items.Knows("SKU-2"));
        Assert.True(await items.IsKnownAsync("SKU-2"));
        var known = await items.AreKnownAsync(["SKU-2", "NOPE"]);
        Assert.Equal([true, false], known);
        Assert.Equal(["NOPE"], _asked);
    }
}
