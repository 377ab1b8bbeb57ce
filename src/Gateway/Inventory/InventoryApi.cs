using Distribution.Common;
using Distribution.Gateway.Http;
using Distribution.Gateway.Security;
using Distribution.Governance;
using Distribution.Inventory;

namespace Distribution.Gateway.Inventory;

/// <summary>Items, warehouse stock snapshots and availability.</summary>
public static class InventoryApi
{
    public static RouteGroupBuilder MapInventoryApiV1(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1").WithTags("Inventory").RequireScope(Scopes.InventoryRead);

        group.MapPut("/items/{sku}", async (string sku, ItemBody body, IGrainFactory grains) =>
        {
            var item = new ItemInfo
            {
                Sku = sku,
                Description = body.Description ?? "",
                UnitOfMeasure = body.UnitOfMeasure ?? "EA",
                DefaultSupplierId = body.DefaultSupplierId,
            };
            return ApiResults.From(await grains.GetGrain<ISkuGrain>(sku).UpsertItem(item), item, $"/v1/items/{sku}");
        }).RequireScope(Scopes.InventoryWrite).WithSummary("Create or update an item");

        group.MapGet("/items/{sku}", async (string sku, IGrainFactory grains) =>
            await grains.GetGrain<ISkuGrain>(sku).GetItem() is { } item
                ? Results.Ok(item)
                : ApiResults.NotFound("sku", $"unknown SKU '{sku}'"))
            .WithSummary("Read an item");

        group.MapPost("/inventory/snapshots", async (InventorySnapshot body, IGrainFactory grains) =>
        {
            var result = await grains.GetGrain<IInventorySyncGrain>(0).ApplySnapshot(body);
            return ApiResults.From(result.Outcome, result.Report, result.Errors);
        }).RequireScope(Scopes.InventoryWrite).WithSummary("Apply a warehouse's absolute stock balances (older snapshots are ignored per SKU-location)");

        group.MapGet("/availability/{sku}", async (string sku, IGrainFactory grains) =>
            await grains.GetGrain<ISkuGrain>(sku).GetAvailability() is { } availability
                ? Results.Ok(AvailabilityBody.From(availability))
                : ApiResults.NotFound("sku", $"unknown SKU '{sku}'"))
            .WithSummary("Availability of one SKU per warehouse and across the network, with inbound stock and its ETA");

        group.MapGet("/warehouses/{warehouseId}/skus/{sku}", async (string warehouseId, string sku, IGrainFactory grains) =>
            Identifiers.IsValid(warehouseId) && Identifiers.IsValid(sku) && await grains.GetGrain<ISkuGrain>(sku).GetItem() is not null
                ? Results.Ok(await grains.GetGrain<ISkuLocationGrain>(SkuLocationKey.Format(warehouseId, sku)).GetPosition())
                : ApiResults.NotFound("sku", $"unknown SKU '{sku}'"))
            .WithSummary("One SKU at one warehouse: stock, safety stock, policy and every reservation (read from the SKU-location itself)");

        group.MapPost("/availability/query", async (AvailabilityQueryBody body, IGrainFactory grains) =>
        {
            var result = await grains.GetGrain<IAvailabilityQueryGrain>(0).Query(body.Skus, body.ShipTo);
            return result.Errors.Count > 0
                ? ApiResults.Invalid(result.Errors)
                : Results.Ok(new AvailabilityQueryResponse([.. result.Items.Select(AvailabilityBody.From)], result.UnknownSkus));
        }).WithSummary("Availability of up to 1,000 SKUs, optionally ranked by distance to a ship-to");

        return group;
    }
}

public sealed record ItemBody(string? Description, string? UnitOfMeasure, string? DefaultSupplierId);

public sealed record AvailabilityQueryBody(IReadOnlyList<string>? Skus, GeoPoint? ShipTo);

public sealed record AvailabilityQueryResponse(IReadOnlyList<AvailabilityBody> Items, IReadOnlyList<string> UnknownSkus);

/// <summary>
/// One warehouse's stock of a SKU. <c>inbound</c> is on its way (transfers in transit, later purchase
/// orders), due from <c>inboundEta</c> on, per source in <c>inboundSources</c>; it is never part of
/// <c>available</c>.
/// </summary>
public sealed record LocationBody(
    string WarehouseId,
    int OnHand,
    int Reserved,
    int SafetyStock,
    int Available,
    DateTimeOffset? LastSnapshotAt,
    int Inbound,
    DateTimeOffset? InboundEta,
    IReadOnlyList<InboundEntry> InboundSources);

public sealed record AvailabilityBody(string Sku, IReadOnlyList<LocationBody> Locations, StockTotals Total, int Backordered)
{
    public static AvailabilityBody From(SkuAvailability a) => new(
        a.Sku,
        [.. a.Locations.Select(l => new LocationBody(
            l.WarehouseId, l.OnHand, l.Reserved, l.SafetyStock, l.Available, l.LastSnapshotAt, l.Inbound, l.EarliestInboundEta, l.InboundEntries))],
        a.Total,
        a.Backordered);
}
