using Distribution.Common;
using Distribution.Gateway.Http;
using Distribution.Gateway.Security;
using Distribution.Governance;
using Distribution.Operations;

namespace Distribution.Gateway.Operations;

/// <summary>The exception queue: list, look at, retry and resolve.</summary>
public static class ExceptionsApi
{
    public const int MaxPageSize = 500;

    public static RouteGroupBuilder MapExceptionsApiV1(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/exceptions").WithTags("Exceptions").RequireScope(Scopes.Admin);

        group.MapGet("/", async (IGrainFactory grains, string? kind, string? warehouseId, string? status, int? offset, int? limit) =>
        {
            if (!TryParse<ExceptionKind>(kind, out var kindFilter))
            {
                return ApiResults.Invalid("kind", $"must be one of {EnumNames.List<ExceptionKind>()}");
            }

            if (!TryParse<ExceptionStatus>(status, out var statusFilter))
            {
                return ApiResults.Invalid("status", $"must be one of {EnumNames.List<ExceptionStatus>()}");
            }

            if (offset is < 0)
            {
                return ApiResults.Invalid("offset", "must be 0 or more");
            }

            if (limit is < 1 or > MaxPageSize)
            {
                return ApiResults.Invalid("limit", $"must be between 1 and {MaxPageSize}");
            }

            var page = await grains.GetGrain<IExceptionQueueGrain>(0).List(
                new ExceptionFilter { Kind = kindFilter, WarehouseId = warehouseId, Status = statusFilter }, offset ?? 0, limit ?? 50);
            return Results.Ok(page);
        }).WithSummary("Exceptions newest first: dead letters, negative stock, overdue backorders, promise breaches, overdue transfers, receipt discrepancies, late purchase orders (filter by kind, warehouse, status; paged)");

        group.MapGet("/{id}", async (string id, IGrainFactory grains) =>
            await grains.GetGrain<IExceptionQueueGrain>(0).Get(id) is { } exception
                ? Results.Ok(exception)
                : ApiResults.NotFound("id", $"unknown exception '{id}'"))
            .WithSummary("One exception with its payload and history");

        group.MapPost("/{id}/retry", async (string id, IGrainFactory grains) =>
        {
            var result = await grains.GetGrain<IExceptionQueueGrain>(0).Retry(id);
            return ApiResults.From(result.Outcome, result.Exception, result.Errors);
        }).WithSummary("Re-drive a dead-lettered event (or re-run an overdue backorder's allocation); it resolves itself when it succeeds");

        group.MapPost("/{id}/resolve", async (string id, ResolveRequest? body, IGrainFactory grains) =>
        {
            if (body?.Note is { Length: > 2000 })
            {
                return ApiResults.Invalid("note", "must be at most 2,000 characters");
            }

            var result = await grains.GetGrain<IExceptionQueueGrain>(0).Resolve(id, body?.Note);
            return ApiResults.From(result.Outcome, result.Exception, result.Errors);
        }).WithSummary("Close an exception with a note (resolving twice is harmless)");

        return group;
    }

    /// <summary>An absent filter is no filter; a present one must name a member.</summary>
    private static bool TryParse<T>(string? value, out T? parsed)
        where T : struct, Enum
    {
        parsed = null;
        if (string.IsNullOrEmpty(value))
        {
            return true;
        }

        if (!EnumNames.TryParse<T>(value, out var v))
        {
            return false;
        }

        parsed = v;
        return true;
    }
}

public sealed record ResolveRequest(string? Note);
