using Distribution.Events;
using Distribution.Gateway.Http;
using Distribution.Gateway.Security;
using Distribution.Governance;

namespace Distribution.Gateway.Events;

/// <summary>Warehouse execution events: batch ingest and replay from the journal.</summary>
public static class EventsApi
{
    public static RouteGroupBuilder MapEventsApiV1(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/events").WithTags("Events").RequireScope(Scopes.EventsWrite);

        group.MapPost("/", async (EventBatchRequest body, IGrainFactory grains) =>
        {
            if (body.Events is not { Count: > 0 } events)
            {
                return ApiResults.Invalid("events", "must hold at least one event");
            }

            if (events.Count > EventLimits.MaxBatchSize)
            {
                return ApiResults.Invalid("events", $"holds {events.Count} events; at most {EventLimits.MaxBatchSize} per batch");
            }

            if (events.Any(e => e is null))
            {
                return ApiResults.Invalid("events", "must not contain null");
            }

            var result = await grains.GetGrain<IEventIngestGrain>(0).Ingest(events);
            return result.RetryAfter is { } wait
                ? ApiResults.TooManyRequests(wait, "The hub is behind applying events", [new("events",
                    "not accepted: events already accepted for these warehouses are still being applied; send the same batch again after the Retry-After delay")])
                : Results.Json(result, statusCode: StatusCodes.Status202Accepted);
        }).WithSummary("Post a batch of warehouse events (up to 1,000): each is accepted (durable), a duplicate, or rejected with the reason; 429 when applying is behind")
        .Produces<EventBatchResult>(StatusCodes.Status202Accepted)
        .ProducesProblem(StatusCodes.Status429TooManyRequests);

        group.MapPost("/replay", async (ReplayRequest body, IGrainFactory grains) =>
        {
            if (body.From is not { } from || body.To is not { } to || to <= from)
            {
                return ApiResults.Invalid("to", "from and to are required, with from before to");
            }

            var report = await grains.GetGrain<IEventIngestGrain>(0).Replay(from, to, body.WarehouseId);
            return Results.Ok(report);
        }).RequireScope(Scopes.Admin).WithSummary("Re-deliver the events accepted in [from, to): processed ones are recognised, open dead letters retried");

        return group;
    }
}

public sealed record ReplayRequest(DateTimeOffset? From, DateTimeOffset? To, string? WarehouseId);
