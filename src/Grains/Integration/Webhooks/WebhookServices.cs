using Distribution.Integration.BusinessEvents;
using Distribution.Integration.Edi;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Distribution.Integration.Webhooks;

public static class WebhookServices
{
    /// <summary>What the business event bus, the webhook deliveries and the finance feed need in a silo.</summary>
    public static IServiceCollection AddBusinessEvents(this IServiceCollection services, IConfiguration? webhooks = null)
    {
        var options = services.AddOptions<WebhookOptions>();
        if (webhooks is not null)
        {
            options.Bind(webhooks);
        }

        services.AddHttpClient(WebhookOptions.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                // Subscribers' addresses change; redirects are not followed (the signature is for the URL subscribed).
                AllowAutoRedirect = false,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            });
        // The finance feed is not a bus consumer: the warehouse event consumers hand it their stock
        // movements themselves (WarehouseEventsGrain), which saves the bus's writes per movement.
        services.AddBusinessEventConsumer("ediOutbound", EdiOutboundGrain.EventTypes, grains => grains.GetGrain<IEdiOutboundGrain>(0),
            async grains => EdiOutboundGrain.WantedTypes(await grains.GetGrain<ITradingPartnersGrain>(ITradingPartnersGrain.Key).List()));
        return services;
    }
}
