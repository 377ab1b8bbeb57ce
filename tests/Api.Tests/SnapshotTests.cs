using System.Net;
using System.Net.Http.Json;
using static Distribution.Tests.Api.ApiTestClient;

namespace Distribution.Tests.Api;

public sealed class SnapshotTests(HubFactory factory) : IClassFixture<HubFactory>
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 3, 8, 0, 0, TimeSpan.Zero);

    private readonly HttpClient _client = factory.CreateClient();

    private async Task<(string Warehouse, string SkuA, string SkuB)> SeedAsync()
    {
        var warehouse = Unique("WH");
        var a = Unique("SKU");
        var b = Unique("SKU");
        await _client.PutWarehouseAsync(warehouse, 50, 8);
        await _client.PutItemAsync(a);
        await _client.PutItemAsync(b);
        return (warehouse, a, b);
    }

    [Fact]
    public async Task Snapshot_reports_applied_lines_and_sets_on_hand()
    {
        var (warehouse, a, b) = await SeedAsync();

        var report = await _client.PostSnapshotAsync(warehouse, T0, (a, 10), (b, 0));

        Assert.Equal(2, report.Int("applied"));
        Assert.Equal(0, report.Int("stale"));
        Assert.Equal(0, report.GetProperty("staleSkus").GetArrayLength());
        var availability = await _client.GetAvailabilityUntilAsync(a, v => v.GetProperty("locations").GetArrayLength() == 1);
        var location = availability.Location(warehouse);
        Assert.Equal(10, location.Int("onHand"));
        Assert.Equal(0, location.Int("reserved"));
        Assert.Equal(10, location.Int("available"));
        Assert.Equal(T0, location.GetProperty("lastSnapshotAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task Snapshot_with_zero_on_hand_shows_the_location_as_counted()
    {
        var (warehouse, _, b) = await SeedAsync();

        var report = await _client.PostSnapshotAsync(warehouse, T0, (b, 0));

        Assert.Equal(1, report.Int("applied"));
        var availability = await _client.GetAvailabilityUntilAsync(b, v => v.GetProperty("locations").GetArrayLength() == 1, timeoutMs: 2000);
        var location = availability.Location(warehouse);
        Assert.Equal(0, location.Int("onHand"));
        Assert.Equal(T0, location.GetProperty("lastSnapshotAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task Newer_snapshot_with_an_unchanged_balance_advances_lastSnapshotAt()
    {
        var (warehouse, a, _) = await SeedAsync();
        await _client.PostSnapshotAsync(warehouse, T0, (a, 10));

        var report = await _client.PostSnapshotAsync(warehouse, T0.AddHours(1), (a, 10));

        Assert.Equal(1, report.Int("applied"));
        var availability = await _client.GetAvailabilityUntilAsync(
            a, v => v.Location(warehouse).GetProperty("lastSnapshotAt").GetDateTimeOffset() == T0.AddHours(1), timeoutMs: 2000);
        Assert.Equal(T0.AddHours(1), availability.Location(warehouse).GetProperty("lastSnapshotAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task Older_snapshot_for_the_same_sku_location_is_stale_and_changes_nothing()
    {
        var (warehouse, a, b) = await SeedAsync();
        await _client.PostSnapshotAsync(warehouse, T0, (a, 10));

        var report = await _client.PostSnapshotAsync(warehouse, T0.AddMinutes(-5), (a, 99), (b, 7));

        Assert.Equal(1, report.Int("applied"));
        Assert.Equal(1, report.Int("stale"));
        Assert.Equal([a], report.GetProperty("staleSkus").EnumerateArray().Select(s => s.GetString()));
        var same = await _client.PostSnapshotAsync(warehouse, T0, (a, 50));
        Assert.Equal(1, same.Int("stale"));
        var availability = await _client.GetAvailabilityUntilAsync(a, v => v.Location(warehouse).Int("onHand") == 10);
        Assert.Equal(10, availability.Location(warehouse).Int("onHand"));
        Assert.Equal(T0, availability.Location(warehouse).GetProperty("lastSnapshotAt").GetDateTimeOffset());
        var other = await _client.GetAvailabilityUntilAsync(b, v => v.GetProperty("locations").GetArrayLength() == 1);
        Assert.Equal(7, other.Location(warehouse).Int("onHand"));
    }

    [Fact]
    public async Task Unknown_warehouse_is_422_naming_warehouseId()
    {
        var (_, a, _) = await SeedAsync();

        using var response = await _client.PostAsJsonAsync("/v1/inventory/snapshots", Snapshot(Unique("NOPE"), T0, (a, 5)));

        await AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "warehouseId");
        var availability = await _client.GetAvailabilityAsync(a);
        Assert.Equal(0, availability.GetProperty("locations").GetArrayLength());
    }

    [Fact]
    public async Task Unknown_sku_line_is_422_naming_it_and_nothing_is_applied()
    {
        var (warehouse, a, b) = await SeedAsync();
        await _client.PostSnapshotAsync(warehouse, T0, (a, 10));

        using var response = await _client.PostAsJsonAsync("/v1/inventory/snapshots",
            Snapshot(warehouse, T0.AddHours(1), (a, 20), (Unique("NOPE"), 5), (b, 3)));

        await AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "items[1].sku");
        await AssertUnchangedAsync(warehouse, a, b);
        // The later good snapshot still applies: the refused one left no stale marker behind.
        var report = await _client.PostSnapshotAsync(warehouse, T0.AddMinutes(30), (a, 11));
        Assert.Equal(1, report.Int("applied"));
    }

    [Fact]
    public async Task Negative_on_hand_is_422_and_nothing_is_applied()
    {
        var (warehouse, a, b) = await SeedAsync();
        await _client.PostSnapshotAsync(warehouse, T0, (a, 10));

        using var response = await _client.PostAsJsonAsync("/v1/inventory/snapshots",
            Snapshot(warehouse, T0.AddHours(1), (a, 20), (b, -1)));

        await AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "items[1].onHand");
        await AssertUnchangedAsync(warehouse, a, b);
    }

    [Fact]
    public async Task Duplicate_sku_in_one_snapshot_is_422_and_nothing_is_applied()
    {
        var (warehouse, a, b) = await SeedAsync();
        await _client.PostSnapshotAsync(warehouse, T0, (a, 10));

        using var response = await _client.PostAsJsonAsync("/v1/inventory/snapshots",
            Snapshot(warehouse, T0.AddHours(1), (b, 4), (a, 20), (a, 30)));

        await AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "items[2].sku");
        await AssertUnchangedAsync(warehouse, a, b);
    }

    [Fact]
    public async Task Empty_snapshot_is_422_naming_items()
    {
        var (warehouse, _, _) = await SeedAsync();

        using var response = await _client.PostAsJsonAsync("/v1/inventory/snapshots", Snapshot(warehouse, T0));

        await AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "items");
    }

    /// <summary>A stays at 10 from T0 and B was never stocked at the warehouse.</summary>
    private async Task AssertUnchangedAsync(string warehouse, string a, string b)
    {
        // Give a wrongly applied line time to reach the view before concluding nothing changed.
        await Task.Delay(200);
        var availabilityA = await _client.GetAvailabilityAsync(a);
        Assert.Equal(10, availabilityA.Location(warehouse).Int("onHand"));
        Assert.Equal(T0, availabilityA.Location(warehouse).GetProperty("lastSnapshotAt").GetDateTimeOffset());
        var availabilityB = await _client.GetAvailabilityAsync(b);
        Assert.Equal(0, availabilityB.GetProperty("locations").GetArrayLength());
    }
}
