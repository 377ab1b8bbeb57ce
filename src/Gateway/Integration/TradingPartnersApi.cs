using Distribution.Common;
using Distribution.Gateway.Http;
using Distribution.Gateway.Security;
using Distribution.Governance;
using Distribution.Integration;

namespace Distribution.Gateway.Integration;

/// <summary>Trading partners (EDI master data): who sends what, as which warehouse, supplier or customer.</summary>
public static class TradingPartnersApi
{
    public static RouteGroupBuilder MapTradingPartnersApiV1(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/trading-partners").WithTags("EDI").RequireScope(Scopes.Admin);

        group.MapPut("/{partnerId}", async (string partnerId, TradingPartnerBody body, IGrainFactory grains) =>
        {
            if (body.Role is not { } role)
            {
                return ApiResults.Invalid("role", "is required: customer, supplier or warehouse3pl");
            }

            var partner = new TradingPartner
            {
                PartnerId = partnerId,
                Name = body.Name,
                SenderId = body.SenderId,
                ReceiverId = body.ReceiverId,
                Role = role,
                WarehouseId = body.WarehouseId,
                SupplierId = body.SupplierId,
                Documents = body.Documents ?? [],
                DefaultShipTo = body.DefaultShipTo,
            };
            var result = await Partners(grains).Upsert(partner);
            return ApiResults.From(result, partner, $"/v1/trading-partners/{partnerId}");
        }).WithSummary("Create or update a trading partner: its ISA sender and receiver ids, role, warehouse or supplier, and the documents it exchanges");

        group.MapGet("/{partnerId}", async (string partnerId, IGrainFactory grains) =>
            await Partners(grains).Get(partnerId) is { } partner
                ? Results.Ok(partner)
                : ApiResults.NotFound("partnerId", $"unknown trading partner '{partnerId}'"))
            .WithSummary("Read a trading partner");

        group.MapGet("/", async (IGrainFactory grains) => Results.Ok(await Partners(grains).List()))
            .WithSummary("List the trading partners");

        return group;
    }

    private static ITradingPartnersGrain Partners(IGrainFactory grains) => grains.GetGrain<ITradingPartnersGrain>(ITradingPartnersGrain.Key);
}

public sealed record TradingPartnerBody(
    string? Name,
    InterchangeAddress? SenderId,
    InterchangeAddress? ReceiverId,
    TradingPartnerRole? Role,
    string? WarehouseId,
    string? SupplierId,
    IReadOnlyList<string>? Documents,
    GeoPoint? DefaultShipTo);
