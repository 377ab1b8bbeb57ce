using System.Net;
using System.Net.Http.Json;
using static Distribution.Tests.Api.ApiTestClient;

namespace Distribution.Tests.Api;

public sealed class MasterDataTests(HubFactory factory) : IClassFixture<HubFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Warehouse_upsert_is_201_then_200_and_reads_back()
    {
        var id = Unique("WH");

        using (var created = await _client.PutAsJsonAsync($"/v1/warehouses/{id}", Warehouse(50.5, 8.5, dailyOrderCapacity: 500, name: "Frankfurt DC")))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            Assert.Equal($"/v1/warehouses/{id}", created.Headers.Location?.OriginalString);
            var body = await ReadJsonAsync(created);
            Assert.Equal(id, body.Str("warehouseId"));
            Assert.Equal("Frankfurt DC", body.Str("name"));
        }

        using (var again = await _client.PutAsJsonAsync($"/v1/warehouses/{id}", Warehouse(50.5, 8.5, dailyOrderCapacity: 500, name: "Frankfurt DC")))
        {
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        }

        using (var updated = await _client.PutAsJsonAsync($"/v1/warehouses/{id}", Warehouse(50.5, 8.5, dailyOrderCapacity: 800, name: "Frankfurt DC 2")))
        {
            Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        }

        var read = await _client.GetJsonAsync($"/v1/warehouses/{id}");
        Assert.Equal(id, read.Str("warehouseId"));
        Assert.Equal("Frankfurt DC 2", read.Str("name"));
        Assert.Equal(50.5, read.GetProperty("latitude").GetDouble());
        Assert.Equal(8.5, read.GetProperty("longitude").GetDouble());
        Assert.Equal("active", read.Str("status"));
        Assert.Equal(800, read.Int("dailyOrderCapacity"));
        Assert.Equal("23:59:59", read.Str("cutoffLocalTime"));
        Assert.Equal("UTC", read.Str("timeZone"));

        var list = await _client.GetJsonAsync("/v1/warehouses");
        Assert.Contains(list.EnumerateArray(), w => w.Str("warehouseId") == id);
    }

    [Fact]
    public async Task Unknown_warehouse_is_404_problem()
    {
        using var response = await _client.GetAsync($"/v1/warehouses/{Unique("NOPE")}");

        await AssertProblemAsync(response, HttpStatusCode.NotFound, "warehouseId");
    }

    [Fact]
    public async Task Invalid_warehouse_is_422_naming_each_field_and_changes_nothing()
    {
        var id = Unique("WH");
        var body = new
        {
            name = "Broken",
            latitude = 200.0,
            longitude = 8.0,
            status = "active",
            dailyOrderCapacity = -1,
            cutoffLocalTime = "23:59:59",
            timeZone = "Mars/Olympus_Mons",
        };

        using var response = await _client.PutAsJsonAsync($"/v1/warehouses/{id}", body);

        var problem = await AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "timeZone", "dailyOrderCapacity");
        var fields = problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).ToList();
        Assert.Contains(fields, f => f.EndsWith("latitude", StringComparison.Ordinal));
        Assert.DoesNotContain(fields, f => f.EndsWith("longitude", StringComparison.Ordinal));
        using var read = await _client.GetAsync($"/v1/warehouses/{id}");
        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
    }

    [Fact]
    public async Task Invalid_warehouse_latitude_is_named_as_the_body_field()
    {
        using var response = await _client.PutAsJsonAsync($"/v1/warehouses/{Unique("WH")}", Warehouse(200.0, 8.0));

        await AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "latitude");
    }

    [Fact]
    public async Task Lane_to_an_unknown_warehouse_is_404_and_not_created()
    {
        var from = Unique("WH");
        var to = Unique("NOPE");
        await _client.PutWarehouseAsync(from, 50, 8);

        using var response = await _client.PutAsJsonAsync($"/v1/lanes/{from}/{to}", new { transitDays = 2.0, costPerUnit = 0.5m });

        await AssertProblemAsync(response, HttpStatusCode.NotFound, "toWarehouseId");
        using var read = await _client.GetAsync($"/v1/lanes/{from}/{to}");
        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
    }

    [Fact]
    public async Task Lane_between_known_warehouses_is_created_and_read()
    {
        var from = Unique("WH");
        var to = Unique("WH");
        await _client.PutWarehouseAsync(from, 50, 8);
        await _client.PutWarehouseAsync(to, 52, 13);

        using var response = await _client.PutAsJsonAsync($"/v1/lanes/{from}/{to}", new { transitDays = 2.0, costPerUnit = 0.5m });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var lane = await _client.GetJsonAsync($"/v1/lanes/{from}/{to}");
        Assert.Equal(2.0, lane.GetProperty("transitDays").GetDouble());
        Assert.Equal(0.5m, lane.GetProperty("costPerUnit").GetDecimal());
    }

    [Fact]
    public async Task Policy_for_an_unknown_sku_is_404()
    {
        var warehouse = Unique("WH");
        await _client.PutWarehouseAsync(warehouse, 50, 8);

        using var response = await _client.PutAsJsonAsync(
            $"/v1/warehouses/{warehouse}/skus/{Unique("NOPE")}/policy",
            new { kind = "reorderPoint", safetyStock = 5, reorderPoint = 10, orderUpTo = 50 });

        await AssertProblemAsync(response, HttpStatusCode.NotFound, "sku");
    }

    [Fact]
    public async Task Policy_at_an_unknown_warehouse_is_404()
    {
        var sku = Unique("SKU");
        await _client.PutItemAsync(sku);

        using var response = await _client.PutAsJsonAsync(
            $"/v1/warehouses/{Unique("NOPE")}/skus/{sku}/policy",
            new { kind = "reorderPoint", safetyStock = 5 });

        await AssertProblemAsync(response, HttpStatusCode.NotFound, "warehouseId");
    }

    [Fact]
    public async Task Item_upsert_is_201_then_200_and_reads_back()
    {
        var sku = Unique("SKU");

        using (var created = await _client.PutAsJsonAsync($"/v1/items/{sku}", new { description = "Blue widget", unitOfMeasure = "EA" }))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            Assert.Equal($"/v1/items/{sku}", created.Headers.Location?.OriginalString);
        }

        using (var updated = await _client.PutAsJsonAsync($"/v1/items/{sku}", new { description = "Blue widget, boxed", unitOfMeasure = "BOX" }))
        {
            Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        }

        var item = await _client.GetJsonAsync($"/v1/items/{sku}");
        Assert.Equal(sku, item.Str("sku"));
        Assert.Equal("Blue widget, boxed", item.Str("description"));
        Assert.Equal("BOX", item.Str("unitOfMeasure"));

        using var unknown = await _client.GetAsync($"/v1/items/{Unique("NOPE")}");
        await AssertProblemAsync(unknown, HttpStatusCode.NotFound, "sku");
    }
}
