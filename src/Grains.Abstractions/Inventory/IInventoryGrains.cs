using Distribution.Common;

namespace Distribution.Inventory;

/// <summary>
/// One SKU at one warehouse (key <c>{warehouseId}|{sku}</c>): the single writer of its stock, which
/// refuses any reservation that would take reserved above on-hand minus safety stock.
/// </summary>
public interface ISkuLocationGrain : IRecoverableGrain
{
    Task<ReservationResult> Reserve(ReservationRequest request);

    /// <summary>Releases what the order line holds here; returns the quantity released (0 if none).</summary>
    Task<int> Release(string orderId, string lineId);

    /// <summary>Releases what the transfer holds here; returns the quantity released (0 if none).</summary>
    Task<int> ReleaseTransfer(string transferId);

    /// <summary>
    /// Sets what one source has on its way here (absolute: replaces the source's previous entry;
    /// a quantity of 0 or less removes it). Inbound is reported to the network view, never allocated.
    /// </summary>
    Task SetInbound(InboundEntry entry);

    Task<SnapshotLineOutcome> ApplySnapshot(DateTimeOffset asOf, int onHand);

    Task SetPolicy(ReplenishmentPolicy policy);

    /// <summary>
    /// Applies warehouse events for this SKU-location in journal order. An event at or below the
    /// last sequence applied here is a duplicate and changes nothing; one that cannot be applied
    /// is dead-lettered (raised as an exception before this returns). With <paramref name="deadLetterReason"/>
    /// (an unknown warehouse or SKU) every new event is dead-lettered with it, still once;
    /// <paramref name="refusals"/> dead-letters single events (by journal sequence) with their own
    /// reason (a movement for an unknown transfer). The lists are not copied on the way in or out
    /// (the caller hands over what it no longer changes): this is the event stream's hottest call.
    /// </summary>
    Task<Events.EventApplications> ApplyEvents(
        [Immutable] IReadOnlyList<Events.JournaledEvent> events, string? deadLetterReason, [Immutable] IReadOnlyDictionary<long, string>? refusals);

    [ReadOnly]
    Task<SkuLocationPosition> GetPosition();

    /// <summary>The numbers this SKU-location reports to the network view, with their version.</summary>
    [ReadOnly]
    Task<LocationAvailability> GetReport();
}

/// <summary>
/// One SKU across the network (key: the SKU): item master data, the availability view the
/// SKU-locations keep current, and the queue of backordered lines waiting for stock.
/// </summary>
public interface ISkuGrain : IGrainWithStringKey
{
    Task<CommandResult> UpsertItem(ItemInfo item);

    /// <summary>Sets the policy (and safety stock) of this SKU at a warehouse, which must exist.</summary>
    Task<CommandResult> SetPolicy(string warehouseId, ReplenishmentPolicy policy);

    [ReadOnly, AlwaysInterleave]
    Task<ItemInfo?> GetItem();

    /// <summary>Null when the SKU is not in the item master.</summary>
    [ReadOnly, AlwaysInterleave]
    Task<SkuAvailability?> GetAvailability();

    /// <summary>
    /// A SKU-location reports its current numbers; versions order them. Answered (not one-way) so
    /// the sender learns when a report is lost, e.g. to a silo that died, and sends it again.
    /// </summary>
    [AlwaysInterleave]
    Task ReportLocation(LocationAvailability location);

    /// <summary>
    /// Asks every known SKU-location for its current report (a silo died: reports sent from it
    /// may never have arrived, and its SKU-locations reactivate only when called).
    /// </summary>
    [AlwaysInterleave]
    Task RefreshLocations();

    /// <summary>Queues an order line for this SKU until stock appears (idempotent per order line).</summary>
    Task EnqueueBackorder(BackorderEntry entry);

    Task RemoveBackorder(string orderId, string lineId);

    /// <summary>
    /// The SKU's network planner: finds its warehouses at or below their reorder point and hands
    /// each need to the destination's replenishment board. Returns the locations reviewed and the needs found.
    /// </summary>
    Task<(int Reviewed, int Needs, IReadOnlyList<Operations.WarehouseStockHealth> Health)> ReviewReplenishment(Replenishment.PlanningView view, DateOnly today);
}

[GenerateSerializer, Immutable]
public sealed record BackorderEntry
{
    [Id(0)] public required string OrderId { get; init; }
    [Id(1)] public required string LineId { get; init; }
    [Id(2)] public int Quantity { get; init; }
    [Id(3)] public int Priority { get; init; }
    [Id(4)] public DateTimeOffset Since { get; init; }
    /// <summary>Where the order ships to: replenishment counts the line against the nearest warehouse.</summary>
    [Id(5)] public Common.GeoPoint? ShipTo { get; init; }
}

/// <summary>Fans a warehouse snapshot out to its SKU-locations (stateless, runs on any silo).</summary>
public interface IInventorySyncGrain : IGrainWithIntegerKey
{
    Task<InventorySyncResult> ApplySnapshot(InventorySnapshot snapshot);
}

[GenerateSerializer, Immutable]
public sealed record InventorySyncResult(
    [property: Id(0)] CommandOutcome Outcome,
    [property: Id(1)] SnapshotReport? Report,
    [property: Id(2)] IReadOnlyList<FieldError> Errors);

/// <summary>Availability for many SKUs at once, optionally ranked for a ship-to location.</summary>
public interface IAvailabilityQueryGrain : IGrainWithIntegerKey
{
    Task<AvailabilityQueryResult> Query(IReadOnlyList<string>? skus, GeoPoint? shipTo);
}

[GenerateSerializer, Immutable]
public sealed record AvailabilityQueryResult(
    [property: Id(0)] IReadOnlyList<SkuAvailability> Items,
    [property: Id(1)] IReadOnlyList<string> UnknownSkus,
    [property: Id(2)] IReadOnlyList<FieldError> Errors);

public static class SkuLocationKey
{
    public const char Separator = '|';

    public static string Format(string warehouseId, string sku) => string.Concat(warehouseId, "|", sku);

    public static (string WarehouseId, string Sku) Parse(string key)
    {
        var i = key.IndexOf(Separator, StringComparison.Ordinal);
        if (i <= 0) throw new ArgumentException($"'{key}' is not a SKU-location key.", nameof(key));
        return (key[..i], key[(i + 1)..]);
    }
}
