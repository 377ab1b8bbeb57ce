using Microsoft.Extensions.DependencyInjection;

namespace Distribution.Integration.BusinessEvents;

/// <summary>
/// A consumer inside the hub (the finance feed, later the EDI outbound writer): the bus hands it
/// every event of <paramref name="EventTypes"/> at least once, in order per entity, like a webhook
/// subscription but by grain call. Register with <see cref="BusinessEventServices.AddBusinessEventConsumer"/>.
/// </summary>
public sealed record BusinessEventConsumer(
    string Name,
    IReadOnlyCollection<string> EventTypes,
    Func<IGrainFactory, IBusinessEventConsumer> Resolve);

public static class BusinessEventServices
{
    public static IServiceCollection AddBusinessEventConsumer(
        this IServiceCollection services, string name, IReadOnlyCollection<string> eventTypes, Func<IGrainFactory, IBusinessEventConsumer> resolve) =>
        services.AddSingleton(new BusinessEventConsumer(name, eventTypes, resolve));
}
