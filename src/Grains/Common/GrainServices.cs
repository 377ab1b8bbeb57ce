using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Distribution.Common;

/// <summary>What the grains need from a silo's container, for hosts and test clusters alike.</summary>
public static class GrainServices
{
    public static IServiceCollection AddDistributionGrains(this IServiceCollection services, IConfiguration? allocation = null)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<GrainReferences>();
        var options = services.AddOptions<AllocationOptions>();
        if (allocation is not null)
        {
            options.Bind(allocation);
        }

        return services;
    }
}
