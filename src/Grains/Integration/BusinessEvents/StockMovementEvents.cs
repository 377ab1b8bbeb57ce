using System.Text.Json;
using System.Text.Json.Serialization;
using Distribution.Events;

namespace Distribution.Integration.BusinessEvents;

/// <summary>
/// The finance feed's events, one per applied warehouse event that moves stock value: shipments,
/// receipts (free and against a purchase order), adjustments and counts (as the adjustment they
/// imply), transfer shipments and receipts. The id comes from the warehouse event's id, so a
/// redelivered event yields the same one.
/// </summary>
internal static class StockMovementEvents
{
    /// <summary>Each <see cref="WarehouseEventType"/>'s camelCase name, by value: made once, not per event.</summary>
    private static readonly string[] TypeNames = [.. Enum.GetValues<WarehouseEventType>().Select(t => JsonNamingPolicy.CamelCase.ConvertName(t.ToString()))];

    /// <param name="countDifference">
    /// For a count: what it changed on-hand by (<see cref="EventApplication.CountDifference"/>). A
    /// count that changed nothing, or whose difference is not known, moves no value and yields no event.
    /// </param>
    public static BusinessEvent? Of(JournaledEvent journaled, int? countDifference = null)
    {
        var e = journaled.Event;
        int? counted = null;
        if (e.Type == WarehouseEventType.Counted)
        {
            if (countDifference is not (int difference and not 0))
            {
                return null;
            }

            counted = difference;
        }

        var type = e.Type switch
        {
            WarehouseEventType.Shipped => BusinessEventTypes.FinanceShipment,
            WarehouseEventType.Received or WarehouseEventType.PurchaseReceived => BusinessEventTypes.FinanceReceipt,
            WarehouseEventType.Adjusted or WarehouseEventType.Counted => BusinessEventTypes.FinanceAdjustment,
            WarehouseEventType.TransferShipped => BusinessEventTypes.FinanceTransferShipment,
            WarehouseEventType.TransferReceived => BusinessEventTypes.FinanceTransferReceipt,
            _ => null,
        };
        if (type is null)
        {
            return null;
        }

        return new BusinessEvent
        {
            EventId = BusinessEventIds.For(type, e.WarehouseId, e.EventId),
            Type = type,
            EntityKind = "warehouse",
            EntityId = e.WarehouseId,
            CorrelationId = journaled.CorrelationId,
            OccurredAt = e.OccurredAt,
            Payload = JsonSerializer.Serialize(
                new StockMovementPayload
                {
                    WarehouseEventId = e.EventId,
                    WarehouseEventType = TypeNames[(int)e.Type],
                    WarehouseId = e.WarehouseId,
                    Sku = e.Sku,
                    // Signed: shipments and transfer shipments take stock out; a count is its difference.
                    Quantity = counted ?? (e.Type is WarehouseEventType.Shipped or WarehouseEventType.TransferShipped ? -e.Quantity : e.Quantity),
                    CountedQuantity = counted is null ? null : e.Quantity,
                    ReasonCode = counted is null ? e.ReasonCode : e.ReasonCode ?? "COUNT",
                    OrderId = e.OrderId,
                    LineId = e.LineId,
                    TransferId = e.TransferId,
                    PurchaseOrderId = e.PurchaseOrderId,
                    JournalSequence = journaled.Sequence,
                },
                StockMovementJson.Default.StockMovementPayload),
        };
    }
}

/// <summary>The data of a finance feed event, in the order subscribers have always read its fields.</summary>
internal sealed record StockMovementPayload
{
    public required string WarehouseEventId { get; init; }
    /// <summary>The warehouse event's type as subscribers read enums: its camelCase name.</summary>
    public required string WarehouseEventType { get; init; }
    public required string WarehouseId { get; init; }
    public required string Sku { get; init; }
    public int Quantity { get; init; }
    public int? CountedQuantity { get; init; }
    public string? ReasonCode { get; init; }
    public string? OrderId { get; init; }
    public string? LineId { get; init; }
    public string? TransferId { get; init; }
    public string? PurchaseOrderId { get; init; }
    public long JournalSequence { get; init; }
}

/// <summary>
/// The movement payload's JSON generated at build time, written as <see cref="BusinessEventPayload"/>
/// writes (camelCase, nulls left out): one is written per applied warehouse event, and through
/// reflection (an anonymous type) it was one of the larger allocations on that path.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(StockMovementPayload))]
internal sealed partial class StockMovementJson : JsonSerializerContext;
