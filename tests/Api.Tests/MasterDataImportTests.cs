using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using static Distribution.Tests.Api.ApiTestClient;

namespace Distribution.Tests.Api;

/// <summary>POST /v1/master-data/import: JSON and CSV files applied row by row, bad rows reported with their field.</summary>
public sealed class MasterDataImportTests(HubFactory factory) : IClassFixture<HubFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task A_json_file_applies_every_good_row_in_dependency_order_and_reports_each_bad_one()
    {
        var (north, south, supplier, sku, other) = (Unique("WH"), Unique("WH"), Unique("SUP"), Unique("SKU"), Unique("SKU"));
        // Policies before items and items before warehouses in the file: the import applies them in dependency order.
        var file = new
        {
            policies = new object[]
            {
                new { warehouseId = north, sku, kind = "reorderPoint", reorderPoint = 10, orderQuantity = 40 },
                new { warehouseId = Unique("WH"), sku, kind = "reorderPoint", reorderPoint = 10, orderQuantity = 40 },
            },
            items = new object[]
            {
                new { sku, description = "Pallet jack", defaultSupplierId = supplier },
                new { description = "no sku" },
                new { sku = other, colour = "red" },
            },
            lanes = new object[] { new { fromWarehouseId = south, toWarehouseId = north, transitDays = 2, costPerUnit = 0.3 } },
            suppliers = new object[] { new { supplierId = supplier, name = "Acme", leadTimeDays = 7, leadTimeStdDevDays = 1.5 } },
            warehouses = new object[]
            {
                new { warehouseId = north, name = "North", latitude = 53.5, longitude = 10.0 },
                new { warehouseId = south, name = "South", latitude = 48.1, longitude = 11.6 },
                new { warehouseId = Unique("WH"), name = "Nowhere", latitude = 200.0, longitude = 10.0 },
            },
        };

        using var response = await _client.PostAsJsonAsync("/v1/master-data/import", file);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = await ReadJsonAsync(response);
        var applied = report.GetProperty("applied");
        Assert.Equal((2, 1, 1, 1, 1), (applied.Int("warehouses"), applied.Int("suppliers"), applied.Int("lanes"), applied.Int("items"), applied.Int("policies")));
        Assert.Equal(4, report.Int("rejectedRows"));
        var rejected = report.GetProperty("rejected").EnumerateArray().Select(r => (r.Str("kind"), r.Int("row"), r.Str("field"))).ToList();
        Assert.Contains(("warehouses", 3, "latitude"), rejected);
        Assert.Contains(("items", 2, "sku"), rejected);
        Assert.Contains(("items", 3, "colour"), rejected);
        Assert.Contains(("policies", 2, "warehouseId"), rejected);

        Assert.Equal("North", (await _client.GetJsonAsync($"/v1/warehouses/{north}")).Str("name"));
        Assert.Equal(2, (await _client.GetJsonAsync($"/v1/lanes/{south}/{north}")).GetProperty("transitDays").GetDouble());
        Assert.Equal(supplier, (await _client.GetJsonAsync($"/v1/items/{sku}")).Str("defaultSupplierId"));
        using var unknownItem = await _client.GetAsync($"/v1/items/{other}");
        Assert.Equal(HttpStatusCode.NotFound, unknownItem.StatusCode);
    }

    [Fact]
    public async Task A_csv_file_of_one_kind_binds_its_columns_like_the_json_api()
    {
        var warehouse = Unique("WH");
        await _client.PutWarehouseAsync(warehouse, 50.0, 8.0);
        var (first, second, third) = (Unique("SKU"), Unique("SKU"), Unique("SKU"));
        var items = $"sku,description,unitOfMeasure\n{first},\"Bolts, M8\",BOX\n{second},Nuts,\n{third},Washers,EA\n";
        var imported = await ImportCsvAsync("items", items);
        Assert.Equal((3, 0), (imported.GetProperty("applied").Int("items"), imported.Int("rejectedRows")));
        var bolts = await _client.GetJsonAsync($"/v1/items/{first}");
        Assert.Equal(("Bolts, M8", "BOX"), (bolts.Str("description"), bolts.Str("unitOfMeasure")));
        Assert.Equal("EA", (await _client.GetJsonAsync($"/v1/items/{second}")).Str("unitOfMeasure"));

        var policies = $"warehouseId,sku,kind,reorderPoint,orderQuantity,mode\n{warehouse},{first},reorderPoint,5,20,recommend\n{warehouse},{second},reorderPoint,lots,20,recommend\n{warehouse},{third},sometimes,5,20,recommend\n";
        var report = await ImportCsvAsync("policies", policies);

        Assert.Equal((1, 2), (report.GetProperty("applied").Int("policies"), report.Int("rejectedRows")));
        var rejected = report.GetProperty("rejected").EnumerateArray().Select(r => (r.Int("row"), r.Str("field"))).ToList();
        Assert.Equal([(2, "reorderPoint"), (3, "kind")], rejected);
        await _client.GetAvailabilityUntilAsync(first, a => a.GetProperty("locations").GetArrayLength() > 0);
    }

    [Fact]
    public async Task A_file_that_cannot_be_read_is_a_problem_and_applies_nothing()
    {
        using (var noKind = await _client.PostAsync("/v1/master-data/import", new StringContent("sku\nX\n", Encoding.UTF8, "text/csv")))
        {
            await AssertProblemAsync(noKind, HttpStatusCode.UnprocessableEntity, "kind");
        }

        using (var empty = await _client.PostAsync("/v1/master-data/import?kind=items", new StringContent("", Encoding.UTF8, "text/csv")))
        {
            await AssertProblemAsync(empty, HttpStatusCode.UnprocessableEntity, "body");
        }

        var sku = Unique("SKU");
        using (var unknownKind = await _client.PostAsync("/v1/master-data/import", RawJson($$"""{"items":[{"sku":"{{sku}}"}],"customers":[]}""")))
        {
            await AssertProblemAsync(unknownKind, HttpStatusCode.UnprocessableEntity, "customers");
        }

        using (var item = await _client.GetAsync($"/v1/items/{sku}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, item.StatusCode);
        }

        using var notJson = await _client.PostAsync("/v1/master-data/import", RawJson("{\"items\": ["));
        await AssertProblemAsync(notJson, HttpStatusCode.UnprocessableEntity, "body");
    }

    private async Task<JsonElement> ImportCsvAsync(string kind, string csv)
    {
        using var response = await _client.PostAsync($"/v1/master-data/import?kind={kind}", new StringContent(csv, Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await ReadJsonAsync(response);
    }
}
