using Distribution.Common;
using Distribution.Gateway.Http;
using Distribution.Gateway.Security;
using Distribution.Governance;
using Distribution.Purchasing;

namespace Distribution.Gateway.Purchasing;

/// <summary>Purchase orders to suppliers: creation, lookup and the lifecycle commands.</summary>
public static class PurchaseOrdersApi
{
    public static RouteGroupBuilder MapPurchaseOrdersApiV1(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/purchase-orders").WithTags("Purchase orders").RequireScope(Scopes.InventoryWrite);

        group.MapPost("/", async (PurchaseOrderRequest body, IGrainFactory grains) =>
        {
            // The purchase order id addresses the grain, so it is checked here; the grain checks the rest.
            var errors = new List<FieldError>();
            if (!Identifiers.Check(errors, "purchaseOrderId", body.PurchaseOrderId))
            {
                return ApiResults.Invalid(errors);
            }

            var result = await grains.GetGrain<IPurchaseOrderGrain>(body.PurchaseOrderId!).Create(body);
            return ApiResults.From(result.Outcome, result.PurchaseOrder, result.Errors, $"/v1/purchase-orders/{body.PurchaseOrderId}");
        }).WithSummary("Raise a purchase order to a supplier for a warehouse; on order (inbound at the warehouse) from now on; idempotent by purchaseOrderId");

        group.MapGet("/{purchaseOrderId}", async (string purchaseOrderId, IGrainFactory grains) =>
            Identifiers.IsValid(purchaseOrderId) && await grains.GetGrain<IPurchaseOrderGrain>(purchaseOrderId).Get() is { } purchaseOrder
                ? Results.Ok(purchaseOrder)
                : UnknownPurchaseOrder(purchaseOrderId))
            .RequireScope(Scopes.InventoryRead).WithSummary("A purchase order's status, ordered, shipped (ship notice), received and on-order quantities per line, expected dates, ETA and timeline");

        group.MapPost("/{purchaseOrderId}/send", (string purchaseOrderId, IGrainFactory grains) =>
            CommandAsync(grains, purchaseOrderId, po => po.Send()))
            .WithSummary("Send the purchase order to its supplier (the outbound event); its expected ship date and arrival count from now; repeating is harmless");

        group.MapPost("/{purchaseOrderId}/acknowledge", (string purchaseOrderId, IGrainFactory grains) =>
            CommandAsync(grains, purchaseOrderId, po => po.Acknowledge()))
            .WithSummary("Record the supplier's acknowledgement of a sent purchase order; repeating is harmless");

        group.MapPost("/{purchaseOrderId}/ship", (string purchaseOrderId, ShipNoticeRequest body, IGrainFactory grains) =>
            CommandAsync(grains, purchaseOrderId, po => po.Ship(body)))
            .WithSummary("Record the supplier's ship notice (ASN): what shipped per SKU and the ETA (default: one day from now); one per purchase order, the same notice again is harmless");

        group.MapPost("/{purchaseOrderId}/close", (string purchaseOrderId, IGrainFactory grains) =>
            CommandAsync(grains, purchaseOrderId, po => po.Close()))
            .WithSummary("Stop waiting for what has not arrived: its on-order quantity leaves the warehouse's inbound; repeating is harmless");

        group.MapPost("/{purchaseOrderId}/cancel", (string purchaseOrderId, IGrainFactory grains) =>
            CommandAsync(grains, purchaseOrderId, po => po.Cancel()))
            .WithSummary("Cancel a purchase order before anything shipped or arrived, clearing its inbound; repeating is harmless");

        return group;
    }

    private static async Task<IResult> CommandAsync(IGrainFactory grains, string purchaseOrderId, Func<IPurchaseOrderGrain, Task<PurchaseOrderCommandResult>> command)
    {
        if (!Identifiers.IsValid(purchaseOrderId))
        {
            return UnknownPurchaseOrder(purchaseOrderId);
        }

        var result = await command(grains.GetGrain<IPurchaseOrderGrain>(purchaseOrderId));
        return ApiResults.From(result.Outcome, result.PurchaseOrder, result.Errors);
    }

    private static IResult UnknownPurchaseOrder(string purchaseOrderId) =>
        ApiResults.NotFound("purchaseOrderId", $"unknown purchase order '{purchaseOrderId}'");
}
