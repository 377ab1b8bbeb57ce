using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using Distribution.Common;
using Distribution.Gateway.Http;
using Distribution.Gateway.Security;
using Distribution.Governance;
using Distribution.Inventory;
using Distribution.Network;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Distribution.Gateway.Network;

/// <summary>
/// Bulk master data: <c>POST /v1/master-data/import</c> takes a JSON file with warehouses,
/// suppliers, lanes, items and policies, or a CSV file of one kind (<c>?kind=</c>), and applies
/// each row through the same grain calls as the single upserts, so the same validation decides.
/// Rows are checked one by one: a bad row is reported with its field and the others still apply.
/// </summary>
public static class MasterDataImportApi
{
    /// <summary>Rows of one kind applied at once (each is one grain call).</summary>
    public const int Parallelism = 64;

    /// <summary>Rejected rows listed in the answer (all are counted).</summary>
    public const int MaxListedRejections = 1000;

    public static RouteGroupBuilder MapMasterDataImportApiV1(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/master-data").WithTags("Network").RequireScope(Scopes.InventoryWrite);
        group.MapPost("/import", ImportAsync)
            .Accepts<MasterDataImportFile>("application/json", "text/csv")
            .Produces<MasterDataImportReport>()
            .WithSummary("Import master data in bulk (JSON with one array per kind, or CSV of one kind with ?kind=); rows are validated one by one");
        return group;
    }

    private static async Task<IResult> ImportAsync(HttpRequest request, string? kind, IGrainFactory grains, IOptions<JsonOptions> json)
    {
        var stopwatch = Stopwatch.StartNew();
        using var reader = new StreamReader(request.Body);
        List<MasterDataRow> rows;
        FieldError? error;
        if (request.ContentType?.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase) == true)
        {
            if (!MasterDataFile.TryParseKind(kind, out var csvKind))
            {
                return ApiResults.Invalid("kind", "a CSV file holds one kind: warehouses, suppliers, lanes, items or policies");
            }

            // Read whole first (bodies are capped): the CSV reader reads synchronously.
            using var text = new StringReader(await reader.ReadToEndAsync(request.HttpContext.RequestAborted));
            (rows, error) = MasterDataFile.ReadCsv(csvKind, text);
        }
        else if (request.HasJsonContentType())
        {
            if (kind is not null)
            {
                return ApiResults.Invalid("kind", "only for CSV: a JSON file names its kinds itself");
            }

            (rows, error) = MasterDataFile.ReadJson(await reader.ReadToEndAsync(request.HttpContext.RequestAborted));
        }
        else
        {
            return Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type", detail: "send application/json or text/csv");
        }

        if (error is not null)
        {
            return ApiResults.Invalid([error]);
        }

        // CSV cells are text: numbers are read from strings; everything else binds as in the JSON API.
        var options = new JsonSerializerOptions(json.Value.SerializerOptions) { NumberHandling = JsonNumberHandling.AllowReadingFromString };
        var rejected = new ConcurrentBag<RejectedRow>();
        var applied = new Dictionary<MasterDataKind, int>();
        foreach (var ofKind in rows.GroupBy(r => r.Kind).OrderBy(g => g.Key))
        {
            var count = 0;
            await Parallel.ForEachAsync(ofKind, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (row, _) =>
            {
                var errors = await ApplyAsync(row, grains, options);
                if (errors.Count == 0)
                {
                    Interlocked.Increment(ref count);
                }
                else
                {
                    foreach (var e in errors)
                    {
                        rejected.Add(new RejectedRow(row.Kind, row.Row, e.Field, e.Message));
                    }
                }
            });
            applied[ofKind.Key] = count;
        }

        var listed = rejected.OrderBy(r => r.Kind).ThenBy(r => r.Row).ThenBy(r => r.Field, StringComparer.Ordinal).ToList();
        return Results.Ok(new MasterDataImportReport(
            Enum.GetValues<MasterDataKind>().ToDictionary(k => k, k => applied.GetValueOrDefault(k)),
            listed.Select(r => (r.Kind, r.Row)).Distinct().Count(),
            [.. listed.Take(MaxListedRejections)],
            stopwatch.ElapsedMilliseconds));
    }

    private static async Task<IReadOnlyList<FieldError>> ApplyAsync(MasterDataRow row, IGrainFactory grains, JsonSerializerOptions options)
    {
        var network = grains.GetGrain<INetworkGrain>(INetworkGrain.Key);
        try
        {
            switch (row.Kind)
            {
                case MasterDataKind.Warehouses:
                    var warehouse = Bind<WarehouseBody>(row, options);
                    return Required("warehouseId", warehouse.WarehouseId) ?? (await network.UpsertWarehouse(warehouse.ToWarehouse(warehouse.WarehouseId!))).Errors;
                case MasterDataKind.Suppliers:
                    var supplier = Bind<SupplierRow>(row, options);
                    return Required("supplierId", supplier.SupplierId) ?? (await network.UpsertSupplier(new SupplierInfo
                    {
                        SupplierId = supplier.SupplierId!,
                        Name = supplier.Name ?? "",
                        LeadTimeDays = supplier.LeadTimeDays,
                        LeadTimeStdDevDays = supplier.LeadTimeStdDevDays,
                    })).Errors;
                case MasterDataKind.Lanes:
                    var lane = Bind<LaneRow>(row, options);
                    return Required("fromWarehouseId", lane.FromWarehouseId) ?? Required("toWarehouseId", lane.ToWarehouseId) ?? (await network.UpsertLane(new LaneInfo
                    {
                        FromWarehouseId = lane.FromWarehouseId!,
                        ToWarehouseId = lane.ToWarehouseId!,
                        TransitDays = lane.TransitDays,
                        CostPerUnit = lane.CostPerUnit,
                    })).Errors;
                case MasterDataKind.Items:
                    var item = Bind<ItemRow>(row, options);
                    return Required("sku", item.Sku) ?? (await grains.GetGrain<ISkuGrain>(item.Sku!).UpsertItem(new ItemInfo
                    {
                        Sku = item.Sku!,
                        Description = item.Description ?? "",
                        UnitOfMeasure = item.UnitOfMeasure ?? "EA",
                        DefaultSupplierId = item.DefaultSupplierId,
                    })).Errors;
                default:
                    var policy = Bind<PolicyRow>(row, options);
                    return Required("warehouseId", policy.WarehouseId) ?? Required("sku", policy.Sku)
                        ?? (await grains.GetGrain<ISkuGrain>(policy.Sku!).SetPolicy(policy.WarehouseId!, policy.ToPolicy())).Errors;
            }
        }
        catch (JsonException e)
        {
            return [new FieldError(FieldOf(e), e.Message)];
        }
    }

    private static T Bind<T>(MasterDataRow row, JsonSerializerOptions options) =>
        row.Fields.Deserialize<T>(options) ?? throw new JsonException("the row is empty");

    private static IReadOnlyList<FieldError>? Required(string field, string? value) =>
        string.IsNullOrWhiteSpace(value) ? [new FieldError(field, "is required")] : null;

    /// <summary>The field a binding error is about: the JSON path without its <c>$.</c>, or the row itself.</summary>
    private static string FieldOf(JsonException e) => e.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : "row";
}

/// <summary>The JSON import file: one array per kind, every one optional.</summary>
public sealed record MasterDataImportFile(
    IReadOnlyList<WarehouseBody>? Warehouses,
    IReadOnlyList<SupplierRow>? Suppliers,
    IReadOnlyList<LaneRow>? Lanes,
    IReadOnlyList<ItemRow>? Items,
    IReadOnlyList<PolicyRow>? Policies);

/// <summary>What an import did: rows applied per kind, rows rejected (each with its field and reason).</summary>
public sealed record MasterDataImportReport(
    IReadOnlyDictionary<MasterDataKind, int> Applied,
    int RejectedRows,
    IReadOnlyList<RejectedRow> Rejected,
    long ElapsedMs);
