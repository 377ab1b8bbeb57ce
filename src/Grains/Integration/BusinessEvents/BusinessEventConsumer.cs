using Microsoft.Extensions.DependencyInjection;

namespace Distribution.Integration.BusinessEvents;

/// <summary>
/// A consumer inside the hub (the EDI outbound writer): the bus hands it every
/// event of <paramref name="EventTypes"/> at least once, in order per entity, like a webhook
/// subscription but by grain call. Register with <see cref="BusinessEventServices.AddBusinessEventConsumer"/>.
/// </summary>
/// <param name="CurrentTypes">
/// Optional: which of <paramref name="EventTypes"/> it wants right now, asked when a bus shard
/// activates and when told with <see cref="IBusinessEventBusGrain.RefreshConsumers"/>; so a consumer
/// with nothing to do (no trading partner needing outbound EDI) costs the publishers no write.
/// </param>
public sealed record BusinessEventConsumer(
    string Name,
    IReadOnlyCollection<string> EventTypes,
    Func<IGrainFactory, IBusinessEventConsumer> Resolve,
    Func<IGrainFactory, Task<IReadOnlyCollection<string>>>? CurrentTypes = null);

public static class BusinessEventServices
{
    public static IServiceCollection AddBusinessEventConsumer(
        this IServiceCollection services,
        string name,
        IReadOnlyCollection<string> eventTypes,
        Func<IGrainFactory, IBusinessEventConsumer> resolve,
        Func<IGrainFactory, Task<IReadOnlyCollection<string>>>? currentTypes = null) =>
        services.AddSingleton(new BusinessEventConsumer(name, eventTypes, resolve, currentTypes));
}
