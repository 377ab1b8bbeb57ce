using Distribution.Common;
using Distribution.Gateway.Http;
using Distribution.Gateway.Security;
using Distribution.Governance;
using Distribution.Orders;

namespace Distribution.Gateway.Orders;

/// <summary>Order submission, lookup and cancellation.</summary>
public static class OrdersApi
{
    public static RouteGroupBuilder MapOrdersApiV1(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/orders").WithTags("Orders").RequireScope(Scopes.OrdersWrite);

        group.MapPost("/", async (OrderRequest body, IGrainFactory grains) =>
        {
            // The order id addresses the grain, so it is checked here; the grain checks the rest.
            var errors = new List<FieldError>();
            if (!Identifiers.Check(errors, "orderId", body.OrderId))
            {
                return ApiResults.Invalid(errors);
            }

            var result = await grains.Keyed<IOrderGrain>(body.OrderId!).Place(body);
            return ApiResults.From(result.Outcome, result.Order, result.Errors, $"/v1/orders/{body.OrderId}");
        }).WithSummary("Submit an order: allocated at once, answered with the allocation (idempotent by orderId)");

        group.MapGet("/{orderId}", async (string orderId, IGrainFactory grains) =>
            Identifiers.IsValid(orderId) && await grains.Keyed<IOrderGrain>(orderId).Get() is { } order
                ? Results.Ok(order)
                : ApiResults.NotFound("orderId", $"unknown order '{orderId}'"))
            .RequireScope(Scopes.OrdersRead).WithSummary("An order's state, allocation per line and timeline");

        group.MapPost("/{orderId}/cancel", async (string orderId, IGrainFactory grains) =>
        {
            if (!Identifiers.IsValid(orderId))
            {
                return ApiResults.NotFound("orderId", $"unknown order '{orderId}'");
            }

            var result = await grains.Keyed<IOrderGrain>(orderId).Cancel();
            return ApiResults.From(result.Outcome, result.Order, result.Errors);
        }).WithSummary("Cancel an order, releasing every unshipped reservation (cancelling twice is harmless)");

        return group;
    }
}
