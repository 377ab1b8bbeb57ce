using Distribution.Common;
using Distribution.Gateway.Http;
using Distribution.Gateway.Security;
using Distribution.Governance;
using Distribution.Transfers;

namespace Distribution.Gateway.Transfers;

/// <summary>Transfers between warehouses: creation, lookup and cancellation.</summary>
public static class TransfersApi
{
    public static RouteGroupBuilder MapTransfersApiV1(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/transfers").WithTags("Transfers").RequireScope(Scopes.InventoryWrite);

        group.MapPost("/", async (TransferRequest body, IGrainFactory grains) =>
        {
            // The transfer id addresses the grain, so it is checked here; the grain checks the rest.
            var errors = new List<FieldError>();
            if (!Identifiers.Check(errors, "transferId", body.TransferId))
            {
                return ApiResults.Invalid(errors);
            }

            var result = await grains.GetGrain<ITransferGrain>(body.TransferId!).Create(body);
            return ApiResults.From(result.Outcome, result.Transfer, result.Errors, $"/v1/transfers/{body.TransferId}");
        }).WithSummary("Request a transfer: every line reserved at the source or none (409 when the stock is not there); idempotent by transferId");

        group.MapGet("/{transferId}", async (string transferId, IGrainFactory grains) =>
            Identifiers.IsValid(transferId) && await grains.GetGrain<ITransferGrain>(transferId).Get() is { } transfer
                ? Results.Ok(transfer)
                : ApiResults.NotFound("transferId", $"unknown transfer '{transferId}'"))
            .RequireScope(Scopes.InventoryRead).WithSummary("A transfer's status, shipped, received and in-transit quantities per line, ETA and timeline");

        group.MapPost("/{transferId}/cancel", async (string transferId, IGrainFactory grains) =>
        {
            if (!Identifiers.IsValid(transferId))
            {
                return ApiResults.NotFound("transferId", $"unknown transfer '{transferId}'");
            }

            var result = await grains.GetGrain<ITransferGrain>(transferId).Cancel();
            return ApiResults.From(result.Outcome, result.Transfer, result.Errors);
        }).WithSummary("Cancel a transfer that has not shipped, releasing its source reservations (cancelling twice is harmless)");

        return group;
    }
}
