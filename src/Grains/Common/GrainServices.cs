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
        services.TryAddSingleton<Inventory.LocalSkuViews>();
        services.TryAddSingleton<Inventory.KnownItems>();
        var options = services.AddOptions<AllocationOptions>();
        if (allocation is not null)
        {
            options.Bind(allocation);
        }

        services.AddOptions<Replenishment.ReplenishmentOptions>();
        return services;
    }

    /// <summary>
    /// Runs the grains on <paramref name="clock"/> as business time (a test's fake clock, the
    /// simulator's days-in-seconds clock) while Orleans' own loops (membership, messaging timeouts,
    /// activation collection, directory caches, grain timers) keep real time: jumping the business
    /// clock by a day must not look like a day of silence to failure detection.
    /// </summary>
    public static IServiceCollection AddBusinessClock(this IServiceCollection services, TimeProvider clock)
    {
        services.Replace(ServiceDescriptor.Singleton(clock));
        foreach (var area in new[]
        {
            TimeProviderNames.Grains, TimeProviderNames.Messaging, TimeProviderNames.SystemTimers,
            TimeProviderNames.Membership, TimeProviderNames.ActivationManagement, TimeProviderNames.GrainDirectory,
        })
        {
            services.AddKeyedSingleton(area, TimeProvider.System);
        }

        return services;
    }
}
