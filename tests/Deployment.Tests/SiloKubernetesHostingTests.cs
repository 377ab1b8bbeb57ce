using System.Net;
using Distribution.Silo.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Hosting.Kubernetes;

namespace Distribution.Tests.Deployment;

/// <summary>
/// What Hub:Kubernetes changes in a silo, read from the options the silo would start with (built,
/// not started: nothing here needs PostgreSQL or a Kubernetes API).
/// </summary>
public sealed class SiloKubernetesHostingTests
{
    private const string Durable = "Host=127.0.0.1;Port=1;Database=never-opened;Username=nobody";

    [Fact]
    public void A_silo_in_a_pod_advertises_the_pod_IP_and_listens_on_every_address()
    {
        using var app = Build(new()
        {
            ["ConnectionStrings:Distribution"] = Durable,
            ["Hub:Kubernetes"] = "true",
            [KubernetesHostingOptions.PodIPEnvironmentVariable] = "10.244.1.17",
        });

        var endpoints = app.Services.GetRequiredService<IOptions<EndpointOptions>>().Value;
        Assert.Equal(IPAddress.Parse("10.244.1.17"), endpoints.AdvertisedIPAddress);
        Assert.Equal(new IPEndPoint(IPAddress.Any, 11111), endpoints.SiloListeningEndpoint);
        Assert.Equal(new IPEndPoint(IPAddress.Any, 30000), endpoints.GatewayListeningEndpoint);
        Assert.True(UsesKubernetesHosting(app));
    }

    [Fact]
    public void A_durable_silo_outside_Kubernetes_keeps_its_configured_address_and_no_hosting()
    {
        using var app = Build(new()
        {
            ["ConnectionStrings:Distribution"] = Durable,
            ["Hub:AdvertisedAddress"] = "127.0.0.1",
            ["Hub:SiloPort"] = "11112",
            [KubernetesHostingOptions.PodIPEnvironmentVariable] = "10.244.1.17",
        });

        var endpoints = app.Services.GetRequiredService<IOptions<EndpointOptions>>().Value;
        Assert.Equal(IPAddress.Loopback, endpoints.AdvertisedIPAddress);
        Assert.Equal(11112, endpoints.SiloPort);
        Assert.Null(endpoints.SiloListeningEndpoint);
        Assert.False(UsesKubernetesHosting(app));
    }

    [Fact]
    public void Kubernetes_mode_without_a_pod_IP_is_refused()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Build(new()
        {
            ["ConnectionStrings:Distribution"] = Durable,
            ["Hub:Kubernetes"] = "true",
            [KubernetesHostingOptions.PodIPEnvironmentVariable] = "",
        }).Services.GetRequiredService<IOptions<EndpointOptions>>().Value);
        Assert.Contains(KubernetesHostingOptions.PodIPEnvironmentVariable, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Kubernetes_mode_without_PostgreSQL_is_refused()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Build(new()
        {
            ["ConnectionStrings:Distribution"] = "",
            ["Hub:Kubernetes"] = "true",
            [KubernetesHostingOptions.PodIPEnvironmentVariable] = "10.244.1.17",
        }));
        Assert.Contains("ConnectionStrings:Distribution", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_shutdown_timeout_is_the_configured_one_and_the_host_default_otherwise()
    {
        using var configured = Build(new() { ["Hub:ShutdownTimeout"] = "00:01:30" });
        using var unset = Build([]);
        Assert.Equal(TimeSpan.FromSeconds(90), configured.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout);
        Assert.Equal(new HostOptions().ShutdownTimeout, unset.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout);
    }

    private static WebApplication Build(Dictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddDistributionSilo();
        return builder.Build();
    }

    // The agent is built only when the silo starts (it needs the in-cluster API), so its registration is what can be seen.
    private static bool UsesKubernetesHosting(WebApplication app) =>
        app.Services.GetServices<IConfigureOptions<KubernetesHostingOptions>>().Any();
}
