using Distribution.Network;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Distribution.Gateway.Operations;

/// <summary>Health endpoints for probes: live = the process answers; ready = the cluster answers.</summary>
public static class OperationsApi
{
    /// <summary>Liveness probe path (deploy/k8s and deploy/compose point here).</summary>
    public const string LivePath = "/health/live";

    /// <summary>Readiness probe path: 200 once a grain call through the cluster succeeds.</summary>
    public const string ReadyPath = "/health/ready";

    public static IServiceCollection AddClusterHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck<ClusterReadyCheck>("cluster", tags: ["ready"]);
        return services;
    }

    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        // Probes carry no key.
        app.MapHealthChecks(LivePath, new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks(ReadyPath, new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") }).AllowAnonymous();
        return app;
    }

    private sealed class ClusterReadyCheck(IGrainFactory grains) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                await grains.GetGrain<INetworkGrain>(INetworkGrain.Key).GetView().WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
                return HealthCheckResult.Healthy();
            }
            catch (Exception e)
            {
                return HealthCheckResult.Unhealthy("the cluster does not answer", e);
            }
        }
    }
}
