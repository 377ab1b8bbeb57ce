using System.Globalization;
using System.Text.Json;
using Distribution.Gateway.Http;
using Distribution.Gateway.Security;
using Distribution.Governance;
using Distribution.Integration.BusinessEvents;

namespace Distribution.Gateway.Integration;

/// <summary>The finance feed for an ERP: stock movements in order, paged by a durable cursor.</summary>
public static class FinanceFeedApi
{
    public const int MaxPageSize = 1000;

    public static RouteGroupBuilder MapFinanceFeedApiV1(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/finance").WithTags("Finance feed").RequireScope(Scopes.InventoryRead);

        group.MapGet("/feed", async (IGrainFactory grains, string? after, int? limit) =>
        {
            long cursor = 0;
            if (after is not null && (!long.TryParse(after, NumberStyles.None, CultureInfo.InvariantCulture, out cursor)))
            {
                return ApiResults.Invalid("after", "must be a cursor returned as 'next' (digits), or absent to start at the beginning");
            }

            if (limit is < 1 or > MaxPageSize)
            {
                return ApiResults.Invalid("limit", $"must be between 1 and {MaxPageSize}");
            }

            var page = await grains.GetGrain<IFinanceFeedGrain>(0).Read(cursor, limit ?? 100);
            return Results.Ok(new
            {
                items = page.Items.Select(i => new
                {
                    cursor = i.Sequence.ToString(CultureInfo.InvariantCulture),
                    eventId = i.Event.EventId,
                    type = i.Event.Type,
                    warehouseId = i.Event.EntityId,
                    occurredAt = i.Event.OccurredAt,
                    correlationId = i.Event.CorrelationId,
                    data = JsonDocument.Parse(i.Event.Payload).RootElement,
                }),
                next = page.Next.ToString(CultureInfo.InvariantCulture),
                hasMore = page.HasMore,
            });
        }).WithSummary("Shipments, receipts, adjustments and transfer movements in the order applied; pass 'next' as 'after' to read on");

        return group;
    }
}
