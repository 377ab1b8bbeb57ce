using System.Net;
using static Distribution.Tests.Api.ApiTestClient;

namespace Distribution.Tests.Api;

public sealed class SiloOperationsTests(HubFactory factory) : IClassFixture<HubFactory>
{
    private const string SkuLocationGrain = "Distribution.Inventory.SkuLocationGrain";
    private static readonly DateTimeOffset AsOf = new(2025, 3, 3, 8, 0, 0, TimeSpan.Zero);

    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Silos_lists_the_running_silo_as_active_with_the_activations_it_hosts()
    {
        // Five SKUs stocked at one warehouse: five SKU-location grains live on this silo.
        var warehouse = Unique("WH");
        var skus = Enumerable.Range(0, 5).Select(_ => Unique("SKU")).ToArray();
        await _client.PutWarehouseAsync(warehouse, 50.2, 8.7);
        foreach (var sku in skus)
        {
            await _client.PutItemAsync(sku);
        }

        await _client.PostSnapshotAsync(warehouse, AsOf, [.. skus.Select(s => (s, 10))]);

        using var response = await _client.GetAsync("/v1/operations/silos");

        await EnsureAsync(response, HttpStatusCode.OK);
        var silos = (await ReadJsonAsync(response)).EnumerateArray().ToList();
        var silo = Assert.Single(silos);
        Assert.Equal($"127.0.0.1:{factory.SiloPort}", silo.Str("address"));
        Assert.Equal("active", silo.Str("status"));
        Assert.Equal(factory.GatewayPort, silo.Int("gatewayPort"));
        var byType = silo.GetProperty("activationsByGrainType").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64());
        // Orleans counts activations per process; test classes running in parallel host theirs in this process too.
        Assert.True(byType.GetValueOrDefault(SkuLocationGrain) >= skus.Length, $"SKU-locations: {string.Join(", ", byType)}");
        Assert.Equal(byType.Values.Sum(), silo.GetProperty("activations").GetInt64());
    }

    [Fact]
    public async Task Silos_includeDead_must_be_a_boolean()
    {
        using var response = await _client.GetAsync("/v1/operations/silos?includeDead=maybe");

        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
    }
}
