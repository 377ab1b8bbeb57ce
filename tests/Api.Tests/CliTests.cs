using System.Net;
using System.Text.Json;
using Distribution.Cli;
using static Distribution.Tests.Api.ApiTestClient;

namespace Distribution.Tests.Api;

/// <summary>
/// The <c>distribution</c> command line (import, keys create) driven through its parser against
/// the hub's in-memory server: what an operator types, what it prints, how it exits.
/// </summary>
public sealed class CliTests(HubFactory factory) : IClassFixture<HubFactory>, IDisposable
{
    private readonly HttpClient _client = factory.CreateClient();
    private readonly DirectoryInfo _files = Directory.CreateTempSubdirectory("distribution-cli-");
    private readonly StringWriter _output = new();

    public void Dispose()
    {
        _files.Delete(recursive: true);
        _output.Dispose();
    }

    private async Task<int> RunAsync(params string[] args)
    {
        return await DistributionCommands.RunAsync([.. args, "--url", "http://127.0.0.1:8080"], _ =>
        {
            // The tool sends its own --api-key; the test client's default key must not stand in for it.
            var client = factory.CreateClient();
            client.DefaultRequestHeaders.Remove("X-Api-Key");
            return client;
        }, _output);
    }

    private string[] Lines => _output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_files.FullName, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public async Task A_csv_import_goes_in_chunks_numbers_rejected_rows_as_in_the_file_and_exits_1()
    {
        var skus = Enumerable.Range(0, 5).Select(_ => Unique("SKU")).ToArray();
        // Row 2's description holds a comma and a line break (quoted); row 4 has no SKU.
        var file = Write("items.csv",
            "sku,description,unitOfMeasure\n"
            + $"{skus[0]},Bolts,EA\n"
            + $"{skus[1]},\"Nuts, M8\nzinc\",BOX\n"
            + $"{skus[2]},Washers,EA\n"
            + ",No sku,EA\n"
            + $"{skus[4]},Rivets,EA\n");

        var exit = await RunAsync("import", "--kind", "items", "--file", file, "--api-key", HubFactory.AdminKey, "--chunk-size", "2");

        Assert.Equal(1, exit);
        Assert.Equal(
            [
                "items: rows 1-2 sent, 2 applied, 0 rejected",
                "items: rows 3-4 sent, 1 applied, 1 rejected",
                "items: rows 5-5 sent, 1 applied, 0 rejected",
            ],
            Lines.Take(3).Select(l => l[..l.IndexOf(" (", StringComparison.Ordinal)]));
        Assert.Equal("rejected items row 4: sku: is required", Lines[3]);
        Assert.Equal("done: 5 row(s) sent, 4 applied, 1 rejected", Lines[4]);
        Assert.Equal(("Nuts, M8\nzinc", "BOX"), await DescriptionAsync(skus[1]));
        Assert.Equal(("Rivets", "EA"), await DescriptionAsync(skus[4]));
    }

    private async Task<(string?, string?)> DescriptionAsync(string sku)
    {
        var item = await _client.GetJsonAsync($"/v1/items/{sku}");
        return (item.Str("description"), item.Str("unitOfMeasure"));
    }

    [Fact]
    public async Task A_json_import_sends_its_kinds_in_dependency_order_and_exits_0_when_every_row_applied()
    {
        var (warehouse, supplier, sku) = (Unique("WH"), Unique("SUP"), Unique("SKU"));
        // Items first in the file; the tool still sends warehouses and suppliers before them.
        var file = Write("network.json", JsonSerializer.Serialize(new
        {
            items = new[] { new { sku, description = "Pallet jack", defaultSupplierId = supplier } },
            policies = new[] { new { warehouseId = warehouse, sku, kind = "reorderPoint", reorderPoint = 10, orderQuantity = 40 } },
            suppliers = new[] { new { supplierId = supplier, name = "Acme", leadTimeDays = 7, leadTimeStdDevDays = 1.5 } },
            warehouses = new[] { new { warehouseId = warehouse, name = "North", latitude = 53.5, longitude = 10.0 } },
        }));

        var exit = await RunAsync("import", "--file", file, "--api-key", HubFactory.AdminKey);

        Assert.Equal(0, exit);
        Assert.Equal(["warehouses", "suppliers", "items", "policies"], Lines.SkipLast(1).Select(l => l[..l.IndexOf(':', StringComparison.Ordinal)]));
        Assert.Equal("done: 4 row(s) sent, 4 applied, 0 rejected", Lines[^1]);
        Assert.Equal(supplier, (await _client.GetJsonAsync($"/v1/items/{sku}")).Str("defaultSupplierId"));
    }

    [Fact]
    public async Task An_import_the_gateway_refuses_or_without_a_key_exits_2_and_says_why()
    {
        var file = Write("items.csv", $"sku,description\n{Unique("SKU")},Bolts\n");

        Assert.Equal(2, await RunAsync("import", "--kind", "items", "--file", file, "--api-key", "dk_nosuch_key"));
        Assert.StartsWith("error: items rows 1-1: 401", Lines[^1]);

        Assert.Equal(2, await RunAsync("import", "--file", file, "--api-key", HubFactory.AdminKey));
        Assert.Equal("error: a CSV file holds one kind: give --kind", Lines[^1]);

        Assert.Equal(2, await RunAsync("import", "--kind", "pallets", "--file", file, "--api-key", HubFactory.AdminKey));
        Assert.Contains(Lines, l => l.StartsWith("error: ", StringComparison.Ordinal) && l.Contains("pallets", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Keys_create_prints_a_key_that_works_with_exactly_its_scopes()
    {
        var exit = await RunAsync("keys", "create", "--name", "erp", "--scopes", "orders:read,inventory:read", "--api-key", HubFactory.AdminKey);

        Assert.Equal(0, exit);
        Assert.Equal("scopes: orders:read,inventory:read", Lines[1]);
        var key = Lines[2]["key:".Length..].Trim();
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Remove("X-Api-Key");
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        using (var read = await client.GetAsync("/v1/orders/no-such-order"))
        {
            Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
        }

        using (var admin = await client.GetAsync("/v1/api-keys"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, admin.StatusCode);
        }

        // That key cannot create keys: the admin endpoint's 403 is printed, exit 2.
        Assert.Equal(2, await RunAsync("keys", "create", "--scopes", "admin", "--api-key", key));
        Assert.StartsWith("error: 403", Lines[^1]);
    }
}
