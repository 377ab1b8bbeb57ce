using Distribution.Common;
using Distribution.Gateway.Http;
using Distribution.Gateway.Security;
using Distribution.Governance;
using Distribution.Integration.Webhooks;

namespace Distribution.Gateway.Integration;

/// <summary>Webhook subscriptions: create, change, list, look at, delete.</summary>
public static class SubscriptionsApi
{
    public static RouteGroupBuilder MapSubscriptionsApiV1(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/subscriptions").WithTags("Webhooks").RequireScope(Scopes.Admin);

        group.MapPost("/", async (SubscriptionRequest body, HttpContext context, IGrainFactory grains) =>
        {
            var result = await Registry(grains).Create(body, context.User.FindFirst(ApiKeyVerifier.KeyIdClaim)?.Value);
            return ApiResults.From(result.Outcome, result.Subscription, result.Errors, $"/v1/subscriptions/{result.Subscription?.Id}");
        }).WithSummary("Subscribe a URL to business event types; deliveries are signed with the secret (HMAC-SHA256, see the README); the creating API key's id is recorded");

        group.MapPut("/{id}", async (string id, SubscriptionRequest body, IGrainFactory grains) =>
        {
            if (!Identifiers.IsValid(id))
            {
                return ApiResults.NotFound("id", $"unknown subscription '{id}'");
            }

            var result = await Registry(grains).Update(id, body);
            return ApiResults.From(result.Outcome, result.Subscription, result.Errors);
        }).WithSummary("Change a subscription's url, eventTypes, secret or active (fields left out keep their value; checked as a creation is)");

        group.MapGet("/", async (IGrainFactory grains) => Results.Ok(new { items = await Registry(grains).List() }))
            .WithSummary("Every subscription (secrets are never shown)");

        group.MapGet("/{id}", async (string id, IGrainFactory grains) =>
            Identifiers.IsValid(id) && await Registry(grains).Get(id) is { } subscription
                ? Results.Ok(subscription)
                : ApiResults.NotFound("id", $"unknown subscription '{id}'"))
            .WithSummary("One subscription with its delivery counts (pending, dead-lettered, delivered)");

        group.MapDelete("/{id}", async (string id, IGrainFactory grains) =>
        {
            if (!Identifiers.IsValid(id))
            {
                return ApiResults.NotFound("id", $"unknown subscription '{id}'");
            }

            var result = await Registry(grains).Delete(id);
            return result.Outcome == CommandOutcome.NotFound
                ? ApiResults.From(result.Outcome, result.Subscription, result.Errors)
                : Results.NoContent();
        }).WithSummary("Delete a subscription; its pending deliveries are dropped");

        return group;
    }

    private static ISubscriptionRegistryGrain Registry(IGrainFactory grains) => grains.GetGrain<ISubscriptionRegistryGrain>(0);
}
