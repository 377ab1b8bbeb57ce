using System.Text.Json;
using System.Text.Json.Serialization;

namespace Distribution.Benchmark;

// The slice of the public HTTP API (JSON, camelCase) the benchmark speaks. Responses are read
// leniently: only the fields the benchmark checks, the rest is ignored.

internal sealed record WarehouseBody(
    string Name,
    double Latitude,
    double Longitude,
    string Status,
    int? DailyOrderCapacity,
    int? ReceivingCapacityPerDay,
    string CutoffLocalTime,
    string TimeZone);

internal sealed record ItemBody(string Description, string UnitOfMeasure);

internal sealed record SnapshotBody(string WarehouseId, string AsOf, IReadOnlyList<SnapshotLine> Items);

internal sealed record SnapshotLine(string Sku, long OnHand);

internal sealed record SnapshotResult(long Applied, long Stale);

internal sealed record OrderBody(
    string OrderId,
    string Channel,
    GeoPoint ShipTo,
    IReadOnlyList<OrderLineBody> Lines,
    string Priority,
    bool AllowSplit,
    bool AllowBackorder);

internal sealed record GeoPoint(double Latitude, double Longitude);

internal sealed record OrderLineBody(string LineId, string Sku, int Quantity);

internal sealed record OrderResult(string? OrderId, string? Status, IReadOnlyList<OrderLineResult>? Lines);

internal sealed record OrderLineResult(
    string? LineId,
    string? Sku,
    long Quantity,
    IReadOnlyList<AllocationResult>? Allocations,
    long BackorderedQuantity);

internal sealed record AllocationResult(string? WarehouseId, long Quantity);

internal sealed record AvailabilityResult(string? Sku, IReadOnlyList<LocationAvailability>? Locations, StockFigures? Total);

internal sealed record LocationAvailability(string? WarehouseId, long OnHand, long Reserved, long Available);

internal sealed record StockFigures(long OnHand, long Reserved, long Available);

internal sealed record AvailabilityQueryBody(IReadOnlyList<string> Skus);

internal sealed record AvailabilityQueryResult(IReadOnlyList<AvailabilityResult>? Items, IReadOnlyList<string>? UnknownSkus);

/// <summary>POST /v1/events; only the fields the benchmark uses (the API refuses unknown ones).</summary>
internal sealed record EventBatchBody(IReadOnlyList<EventBody> Events);

internal sealed record EventBody(
    string EventId,
    string WarehouseId,
    string Type,
    string Sku,
    int Quantity,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ReasonCode,
    DateTimeOffset OccurredAt);

internal sealed record EventBatchResult(int Accepted, int Duplicates, int Rejected, IReadOnlyList<EventVerdict>? Results);

/// <summary>One event's verdict: "accepted", "duplicate" or "rejected" (with the field errors).</summary>
internal sealed record EventVerdict(int Index, string? EventId, string? Status, IReadOnlyList<FieldError>? Errors);

internal sealed record FieldError(string? Field, string? Message);

/// <summary>GET /v1/warehouses/{warehouseId}/skus/{sku}, the figures the exactly-once check reads.</summary>
internal sealed record SkuLocationResult(string? WarehouseId, string? Sku, long OnHand, long Reserved, long LastEventSequence);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(WarehouseBody))]
[JsonSerializable(typeof(ItemBody))]
[JsonSerializable(typeof(SnapshotBody))]
[JsonSerializable(typeof(SnapshotResult))]
[JsonSerializable(typeof(OrderBody))]
[JsonSerializable(typeof(OrderResult))]
[JsonSerializable(typeof(AvailabilityResult))]
[JsonSerializable(typeof(AvailabilityQueryBody))]
[JsonSerializable(typeof(AvailabilityQueryResult))]
[JsonSerializable(typeof(EventBatchBody))]
[JsonSerializable(typeof(EventBatchResult))]
[JsonSerializable(typeof(SkuLocationResult))]
internal sealed partial class ApiJson : JsonSerializerContext;
