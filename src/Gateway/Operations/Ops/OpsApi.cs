using Distribution.Gateway.Http;
using Distribution.Gateway.Security;
using Distribution.Governance;
using Distribution.Network;
using Distribution.Operations;
using Distribution.Replenishment;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;

namespace Distribution.Gateway.Operations.Ops;

/// <summary>
/// The operations page at <c>/ops</c> and the read-only figures only it needs, under
/// <c>/v1/operations</c>: telemetry of the last hour, stock health per warehouse, transfers in
/// transit. The page's files are embedded in this assembly, so the standalone gateway, the embedded
/// silo host and a published build serve the same page without a wwwroot on disk.
/// </summary>
public static class OpsApi
{
    public const string PagePath = "/ops";

    private static readonly ManifestEmbeddedFileProvider Files = new(typeof(OpsApi).Assembly, "Operations/Ops/page");
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    /// <summary>The page's routes form one group, so whatever protects it (the admin scope) is added in one place.</summary>
    public static IEndpointRouteBuilder MapOpsPage(this IEndpointRouteBuilder app)
    {
        MapOperationsData(app);
        var page = app.MapGroup(PagePath).ExcludeFromDescription().RequireScope(Scopes.Admin);
        page.MapGet("/", (HttpContext context) => Serve(context, "index.html"));
        page.MapGet("/{**file}", (string file, HttpContext context) => Serve(context, file));
        return app;
    }

    private static void MapOperationsData(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/operations").WithTags("Operations").RequireScope(Scopes.Admin);

        group.MapGet("/telemetry", async (IGrainFactory grains) =>
            Results.Ok(await grains.GetGrain<ITelemetryGrain>(ITelemetryGrain.Key).Series()))
            .WithSummary("The last hour of business telemetry per minute, merged over silos: orders, backorders, allocation latency, promise breaches, event latency per warehouse, replenishment cycle time");

        group.MapGet("/stock-health", async (IGrainFactory grains) =>
        {
            var view = await grains.GetGrain<INetworkGrain>(INetworkGrain.Key).GetView();
            var passTask = grains.GetGrain<IReplenishmentReviewGrain>(IReplenishmentReviewGrain.Key).LastPass();
            var live = await Task.WhenAll(view.Warehouses.Select(async w => (w.WarehouseId, await grains.GetGrain<IStockHealthGrain>(w.WarehouseId).Current())));
            var pass = await passTask;
            return Results.Ok(StockHealthView.Combine(live, pass?.At, pass?.StockHealth ?? []));
        }).WithSummary("Per warehouse: SKUs stocked, with a policy and out of stock as the SKUs last told them (live), and SKUs at or below their reorder point as the last replenishment pass found them (reorderPointsAsOf)");

        group.MapGet("/transfers-in-transit", async (IGrainFactory grains) =>
            Results.Ok(await grains.GetGrain<ITransfersInTransitGrain>(ITransfersInTransitGrain.Key).List()))
            .WithSummary("Transfers with units shipped and not yet received, earliest ETA first");
    }

    private static IResult Serve(HttpContext context, string path)
    {
        var file = Files.GetFileInfo(path);
        if (!file.Exists || file.IsDirectory || path.Contains("..", StringComparison.Ordinal))
        {
            return ApiResults.NotFound("path", $"no file '{path}' on the operations page");
        }

        // The page only talks to this origin; no inline script or style, so nothing injected can run.
        context.Response.Headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'";
        context.Response.Headers.CacheControl = "no-cache";
        return Results.Stream(file.CreateReadStream(), ContentTypes.TryGetContentType(file.Name, out var type) ? type : "application/octet-stream",
            lastModified: file.LastModified);
    }

}
