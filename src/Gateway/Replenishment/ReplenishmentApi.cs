using Distribution.Common;
using Distribution.Gateway.Http;
using Distribution.Gateway.Security;
using Distribution.Governance;
using Distribution.Network;
using Distribution.Replenishment;

namespace Distribution.Gateway.Replenishment;

/// <summary>Replenishment: the recommendations per warehouse, approving or dismissing them, and the network pass.</summary>
public static class ReplenishmentApi
{
    public static RouteGroupBuilder MapReplenishmentApiV1(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/replenishment").WithTags("Replenishment").RequireScope(Scopes.InventoryWrite);

        group.MapGet("/recommendations", async (string? warehouseId, string? status, IGrainFactory grains) =>
        {
            RecommendationStatus? wanted = null;
            if (status is not null)
            {
                if (!Enum.TryParse<RecommendationStatus>(status, ignoreCase: true, out var parsed) || int.TryParse(status, out _))
                {
                    return ApiResults.Invalid("status", "must be open, approved or dismissed");
                }

                wanted = parsed;
            }

            IEnumerable<string> warehouses;
            if (warehouseId is not null)
            {
                if (!Identifiers.IsValid(warehouseId) || await grains.GetGrain<INetworkGrain>(INetworkGrain.Key).GetWarehouse(warehouseId) is null)
                {
                    return ApiResults.NotFound("warehouseId", $"unknown warehouse '{warehouseId}'");
                }

                warehouses = [warehouseId];
            }
            else
            {
                warehouses = (await grains.GetGrain<INetworkGrain>(INetworkGrain.Key).GetView()).Warehouses.Select(w => w.WarehouseId);
            }

            var lists = await Task.WhenAll(warehouses.Select(w => grains.GetGrain<IReplenishmentBoardGrain>(w).List(wanted)));
            return Results.Ok(new RecommendationList([.. lists.SelectMany(l => l)]));
        }).RequireScope(Scopes.InventoryRead).WithSummary("Replenishment recommendations of one warehouse (or all), optionally by status (open, approved, dismissed)");

        group.MapPost("/recommendations/{recommendationId}/approve", async (string recommendationId, IGrainFactory grains) =>
            Board(grains, recommendationId) is { } board
                ? Answer(await board.Approve(recommendationId))
                : ApiResults.NotFound("recommendationId", $"unknown recommendation '{recommendationId}'"))
            .WithSummary("Approve a recommendation: the transfer, or the purchase order (created and sent to the supplier), is made at once; its id is the recommendation id (approving twice is harmless; a refusal is a 409 and leaves it open with the reason)");

        group.MapPost("/recommendations/{recommendationId}/dismiss", async (string recommendationId, DismissBody? body, IGrainFactory grains) =>
            Board(grains, recommendationId) is { } board
                ? Answer(await board.Dismiss(recommendationId, body?.Note))
                : ApiResults.NotFound("recommendationId", $"unknown recommendation '{recommendationId}'"))
            .WithSummary("Dismiss a recommendation with an optional note; the next review may propose the need again");

        group.MapPost("/review", async (IGrainFactory grains) =>
            Results.Ok(await grains.GetGrain<IReplenishmentReviewGrain>(IReplenishmentReviewGrain.Key).RunPass()))
            .WithSummary("Run a network replenishment pass now (it also runs periodically) and answer what it found");

        group.MapGet("/review", async (IGrainFactory grains) =>
            await grains.GetGrain<IReplenishmentReviewGrain>(IReplenishmentReviewGrain.Key).LastPass() is { } last
                ? Results.Ok(last)
                : ApiResults.NotFound("review", "no replenishment pass has run yet"))
            .RequireScope(Scopes.InventoryRead).WithSummary("The last network replenishment pass");

        return group;
    }

    /// <summary>Recommendation ids are <c>{warehouseId}-R{sequence}</c>: the board is found from the id.</summary>
    private static IReplenishmentBoardGrain? Board(IGrainFactory grains, string recommendationId)
    {
        var cut = recommendationId.LastIndexOf("-R", StringComparison.Ordinal);
        return cut > 0 && Identifiers.IsValid(recommendationId)
            ? grains.GetGrain<IReplenishmentBoardGrain>(recommendationId[..cut])
            : null;
    }

    private static IResult Answer(RecommendationResult result) => ApiResults.From(result.Outcome, result.Recommendation, result.Errors);
}

public sealed record RecommendationList(IReadOnlyList<Recommendation> Items);

public sealed record DismissBody(string? Note);
