using Distribution.Common;
using Distribution.Gateway.Http;
using Distribution.Gateway.Security;
using Distribution.Governance;
using Distribution.Inventory;
using Distribution.Network;

namespace Distribution.Gateway.Network;

/// <summary>Master data of the network: warehouses, suppliers, lanes, SKU-location policies.</summary>
public static class NetworkApi
{
    public static RouteGroupBuilder MapNetworkApiV1(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1").WithTags("Network").RequireScope(Scopes.InventoryRead);

        group.MapPut("/warehouses/{warehouseId}", async (string warehouseId, WarehouseBody body, IGrainFactory grains) =>
        {
            var warehouse = body.ToWarehouse(warehouseId);
            var result = await Network(grains).UpsertWarehouse(warehouse);
            return ApiResults.From(result, WarehouseBody.From(warehouse), $"/v1/warehouses/{warehouseId}");
        }).RequireScope(Scopes.InventoryWrite).WithSummary("Create or update a warehouse");

        group.MapGet("/warehouses/{warehouseId}", async (string warehouseId, IGrainFactory grains) =>
            await Network(grains).GetWarehouse(warehouseId) is { } w
                ? Results.Ok(WarehouseBody.From(w))
                : ApiResults.NotFound("warehouseId", $"unknown warehouse '{warehouseId}'"))
            .WithSummary("Read a warehouse");

        group.MapGet("/warehouses", async (IGrainFactory grains) =>
            Results.Ok((await Network(grains).GetView()).Warehouses.Select(WarehouseBody.From)))
            .WithSummary("List warehouses");

        group.MapPut("/suppliers/{supplierId}", async (string supplierId, SupplierBody body, IGrainFactory grains) =>
        {
            var supplier = new SupplierInfo
            {
                SupplierId = supplierId,
                Name = body.Name ?? "",
                LeadTimeDays = body.LeadTimeDays,
                LeadTimeStdDevDays = body.LeadTimeStdDevDays,
            };
            return ApiResults.From(await Network(grains).UpsertSupplier(supplier), supplier, $"/v1/suppliers/{supplierId}");
        }).RequireScope(Scopes.InventoryWrite).WithSummary("Create or update a supplier");

        group.MapGet("/suppliers/{supplierId}", async (string supplierId, IGrainFactory grains) =>
            await Network(grains).GetSupplier(supplierId) is { } s
                ? Results.Ok(s)
                : ApiResults.NotFound("supplierId", $"unknown supplier '{supplierId}'"))
            .WithSummary("Read a supplier");

        group.MapPut("/lanes/{fromWarehouseId}/{toWarehouseId}", async (string fromWarehouseId, string toWarehouseId, LaneBody body, IGrainFactory grains) =>
        {
            var lane = new LaneInfo
            {
                FromWarehouseId = fromWarehouseId,
                ToWarehouseId = toWarehouseId,
                TransitDays = body.TransitDays,
                CostPerUnit = body.CostPerUnit,
            };
            return ApiResults.From(await Network(grains).UpsertLane(lane), lane, $"/v1/lanes/{fromWarehouseId}/{toWarehouseId}");
        }).RequireScope(Scopes.InventoryWrite).WithSummary("Create or update a transport lane");

        group.MapGet("/lanes/{fromWarehouseId}/{toWarehouseId}", async (string fromWarehouseId, string toWarehouseId, IGrainFactory grains) =>
            await Network(grains).GetLane(fromWarehouseId, toWarehouseId) is { } lane
                ? Results.Ok(lane)
                : ApiResults.NotFound("lane", $"no lane from '{fromWarehouseId}' to '{toWarehouseId}'"))
            .WithSummary("Read a lane");

        group.MapPut("/warehouses/{warehouseId}/skus/{sku}/policy", async (string warehouseId, string sku, ReplenishmentPolicy body, IGrainFactory grains) =>
            ApiResults.From(await grains.GetGrain<ISkuGrain>(sku).SetPolicy(warehouseId, body), body)).RequireScope(Scopes.InventoryWrite).WithSummary("Set the replenishment policy (and safety stock) of a SKU at a warehouse");

        return group;
    }

    private static INetworkGrain Network(IGrainFactory grains) => grains.GetGrain<INetworkGrain>(INetworkGrain.Key);
}

/// <summary>HTTP shape of a warehouse (the id comes from the path).</summary>
public sealed record WarehouseBody
{
    public string? WarehouseId { get; init; }
    public string? Name { get; init; }
    public double Latitude { get; init; }
    public double Longitude { get; init; }
    public WarehouseStatus Status { get; init; }
    public int? DailyOrderCapacity { get; init; }
    public int? ReceivingCapacityPerDay { get; init; }
    public TimeOnly? CutoffLocalTime { get; init; }
    public string? TimeZone { get; init; }

    public WarehouseInfo ToWarehouse(string id) => new()
    {
        WarehouseId = id,
        Name = Name ?? "",
        Location = new GeoPoint(Latitude, Longitude),
        Status = Status,
        DailyOrderCapacity = DailyOrderCapacity,
        ReceivingCapacityPerDay = ReceivingCapacityPerDay,
        CutoffLocalTime = CutoffLocalTime ?? new TimeOnly(16, 0),
        TimeZone = TimeZone ?? "UTC",
    };

    public static WarehouseBody From(WarehouseInfo w) => new()
    {
        WarehouseId = w.WarehouseId,
        Name = w.Name,
        Latitude = w.Location.Latitude,
        Longitude = w.Location.Longitude,
        Status = w.Status,
        DailyOrderCapacity = w.DailyOrderCapacity,
        ReceivingCapacityPerDay = w.ReceivingCapacityPerDay,
        CutoffLocalTime = w.CutoffLocalTime,
        TimeZone = w.TimeZone,
    };
}

public sealed record SupplierBody(string? Name, double LeadTimeDays, double LeadTimeStdDevDays);

public sealed record LaneBody(double TransitDays, decimal CostPerUnit);
