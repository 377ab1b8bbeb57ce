using System.Text.Json;
using System.Text.Json.Serialization;
using Distribution.Gateway.Events;
using Distribution.Gateway.Http;
using Distribution.Gateway.Integration;
using Distribution.Gateway.Inventory;
using Distribution.Gateway.Network;
using Distribution.Gateway.Operations;
using Distribution.Gateway.Orders;
using Distribution.Gateway.Purchasing;
using Distribution.Gateway.Replenishment;
using Distribution.Gateway.Security;
using Distribution.Gateway.Transfers;
using Distribution.Governance;
using Microsoft.AspNetCore.Http.Json;
using Orleans.Dashboard;
using Scalar.AspNetCore;

namespace Distribution.Gateway;

/// <summary>Composition of the HTTP gateway, shared by the standalone gateway and the embedded silo.</summary>
public static class GatewayHosting
{
    /// <summary>Bodies above this are refused with 413 (a 10,000-line snapshot is about 0.5 MB).</summary>
    public const long MaxRequestBodyBytes = 4 * 1024 * 1024;

    public static WebApplicationBuilder AddDistributionGateway(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = MaxRequestBodyBytes);
        services.Configure<JsonOptions>(o => ConfigureJson(o.SerializerOptions));
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
            c.ProblemDetails.Extensions["correlationId"] = c.HttpContext.TraceIdentifier);
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.AddOpenApi("v1", o => o.AddDocumentTransformer((doc, _, _) =>
        {
            doc.Info.Title = "Distribution.Orleans API";
            doc.Info.Description = "Order allocation, transfers, availability, warehouse events, exceptions and master data of a multi-warehouse network.";
            return Task.CompletedTask;
        }).AddApiKeySecurity());
        services.AddClusterHealthChecks();
        services.AddHubMetrics();
        services.AddHubTelemetry(builder.Configuration);
        builder.AddGatewaySecurity();
        builder.Logging.AddFilter("Polly", LogLevel.Warning);
        return builder;
    }

    public static void ConfigureJson(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        // A misspelt field is an error, not silently ignored.
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
    }

    public static WebApplication MapDistributionGateway(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<CorrelationMiddleware>();
        app.UseCorrelationTracing();
        app.UseGatewaySecurity();
        // Not for API keys: a creation's answer carries the secret, which is never stored.
        app.UseWhen(c => c.Request.Path.StartsWithSegments("/v1") && !c.Request.Path.StartsWithSegments(ApiKeysApi.Path), v1 => v1.UseMiddleware<IdempotencyMiddleware>());

        app.MapNetworkApiV1();
        app.MapMasterDataImportApiV1();
        app.MapInventoryApiV1();
        app.MapOrdersApiV1();
        app.MapTransfersApiV1();
        app.MapPurchaseOrdersApiV1();
        app.MapReplenishmentApiV1();
        app.MapEventsApiV1();
        app.MapTradingPartnersApiV1();
        app.MapEdiApiV1();
        app.MapExceptionsApiV1();
        app.MapSubscriptionsApiV1();
        app.MapFinanceFeedApiV1();
        app.MapOperationsApiV1();
        Operations.Ops.OpsApi.MapOpsPage(app);
        app.MapGatewaySecurity();
        app.MapHealthEndpoints();
        app.MapMetricsEndpoint();
        // The API's description is public (it holds no data); everything else needs a key.
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        app.MapScalarApiReference("/api-reference", o => o.WithTitle("Distribution.Orleans API").WithOpenApiRoutePattern("/openapi/{documentName}.json")).AllowAnonymous();
        if (app.Configuration.GetValue("Dashboard:Enabled", true))
        {
            app.MapOrleansDashboard("/dashboard").ExcludeFromDescription().RequireScope(Scopes.Admin);
        }
        app.MapGet("/", () => Results.Redirect("/api-reference")).ExcludeFromDescription().AllowAnonymous();
        return app;
    }
}
