using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Distribution.Tests.Api;

public sealed class OperationsTests(HubFactory factory) : IClassFixture<HubFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Health_probes_answer_200(string path)
    {
        using var response = await _client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task OpenApi_document_is_json_and_lists_the_orders_resource()
    {
        using var response = await _client.GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var document = await ApiTestClient.ReadJsonAsync(response);
        Assert.StartsWith("3.", document.Str("openapi"));
        Assert.Equal("Distribution.Orleans API", document.GetProperty("info").Str("title"));
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains(paths, p => p.TrimEnd('/') == "/v1/orders");
        var orders = document.GetProperty("paths").EnumerateObject().First(p => p.Name.TrimEnd('/') == "/v1/orders").Value;
        Assert.True(orders.TryGetProperty("post", out _), "POST /v1/orders is documented");
        Assert.Contains("/v1/orders/{orderId}", paths);
        Assert.Contains("/v1/availability/{sku}", paths);
        Assert.Contains("/v1/inventory/snapshots", paths);
    }

    [Fact]
    public async Task OpenApi_document_describes_the_public_api_only()
    {
        var document = await _client.GetJsonAsync("/openapi/v1.json");

        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.All(paths, p => Assert.StartsWith("/v1/", p, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Api_reference_page_is_html()
    {
        using var response = await _client.GetAsync("/api-reference");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<html", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Dashboard_answers_200()
    {
        using var response = await _client.GetAsync("/dashboard");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task The_dashboard_shows_silo_counters_but_never_reads_the_ones_that_walk_every_activation()
    {
        var dashboard = await ApiTestClient.EventuallyAsync(
            () => _client.GetJsonAsync("/dashboard/DashboardCounters"), d => d.GetProperty("hosts").GetArrayLength() > 0, timeoutMs: 30_000);
        var silo = dashboard.GetProperty("hosts")[0].Str("siloAddress");

        // Counters arrive every Dashboard:CounterUpdateIntervalMs (5 s).
        var counters = await ApiTestClient.EventuallyAsync(
            () => _client.GetJsonAsync($"/dashboard/SiloCounters/{silo}"),
            c => c.ValueKind == System.Text.Json.JsonValueKind.Array && c.GetArrayLength() > 0,
            timeoutMs: 30_000);

        var names = counters.EnumerateArray().Select(c => c.Str("name")).ToList();
        Assert.Contains("orleans-catalog-activations", names);
        Assert.DoesNotContain("orleans-messaging-processing-activation-data", names);
        Assert.DoesNotContain("orleans-directory-cache-size", names);
    }

    [Fact]
    public void Each_factory_runs_its_own_silo_with_the_configured_ports_and_ids()
    {
        var cluster = factory.Services.GetRequiredService<IOptions<ClusterOptions>>().Value;
        var endpoints = factory.Services.GetRequiredService<IOptions<EndpointOptions>>().Value;

        Assert.Equal(factory.ServiceId, cluster.ServiceId);
        Assert.Equal(factory.ServiceId, cluster.ClusterId);
        Assert.Equal(factory.SiloPort, endpoints.SiloPort);
        Assert.Equal(factory.GatewayPort, endpoints.GatewayPort);
    }

    [Fact]
    public async Task Root_redirects_to_the_api_reference()
    {
        using var client = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var response = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/api-reference", response.Headers.Location?.OriginalString);
    }
}
