namespace Distribution.Purchasing;

/// <summary>A purchase order as a planner, the ERP or replenishment raises it (<c>POST /v1/purchase-orders</c>).</summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed record PurchaseOrderRequest
{
    [Id(0)] public string? PurchaseOrderId { get; init; }
    [Id(1)] public string? SupplierId { get; init; }
    /// <summary>The destination warehouse: the goods are received there.</summary>
    [Id(2)] public string? WarehouseId { get; init; }
    /// <summary>One line per SKU (a SKU appears once: receipts name only the SKU).</summary>
    [Id(3)] public IReadOnlyList<PurchaseOrderLineRequest>? Lines { get; init; }
    /// <summary>Why it is bought (free text, e.g. a replenishment recommendation's reason).</summary>
    [Id(4)] public string? Reason { get; init; }
    /// <summary>
    /// Deliver not before this day (UTC): the expected arrival is the later of this day and sending
    /// plus the supplier's lead time. Replenishment sets it to the day its receiving schedule planned.
    /// </summary>
    [Id(5)] public DateOnly? RequestedDeliveryDate { get; init; }
}

[GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed record PurchaseOrderLineRequest
{
    [Id(0)] public string? Sku { get; init; }
    [Id(1)] public int Quantity { get; init; }
}

/// <summary>
/// The supplier's advance ship notice (ASN, <c>POST /v1/purchase-orders/{id}/ship</c>): what left the
/// supplier against the purchase order, per SKU, and when it is expected at the warehouse.
/// </summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed record ShipNoticeRequest
{
    /// <summary>What shipped, per SKU of the purchase order; lines it omits shipped nothing.</summary>
    [Id(0)] public IReadOnlyList<PurchaseOrderLineRequest>? Lines { get; init; }
    /// <summary>Expected arrival at the warehouse; by default one day after the notice.</summary>
    [Id(1)] public DateTimeOffset? Eta { get; init; }
}
