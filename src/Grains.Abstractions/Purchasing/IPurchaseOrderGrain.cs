using Distribution.Common;

namespace Distribution.Purchasing;

/// <summary>
/// One purchase order (key: the purchase order id). Follows the commands (send, acknowledge, ship
/// notice, close, cancel) and the receipts warehouses report, keeps the destination's inbound for
/// it from creation until it is received, closed or cancelled, and raises lateness and
/// over-receipts in business time.
/// </summary>
public interface IPurchaseOrderGrain : IRecoverableGrain
{
    /// <summary>Creates the purchase order; the same body again answers the same, another body is a conflict.</summary>
    Task<PurchaseOrderCommandResult> Create(PurchaseOrderRequest request);

    [ReadOnly]
    Task<PurchaseOrderView?> Get();

    /// <summary>Sends it to the supplier (its expected dates count from now).</summary>
    Task<PurchaseOrderCommandResult> Send();

    /// <summary>The supplier confirmed it.</summary>
    Task<PurchaseOrderCommandResult> Acknowledge();

    /// <summary>Records the supplier's ship notice (one per purchase order): what shipped and its ETA.</summary>
    Task<PurchaseOrderCommandResult> Ship(ShipNoticeRequest notice);

    /// <summary>Stops waiting for what has not arrived (its inbound is cleared).</summary>
    Task<PurchaseOrderCommandResult> Close();

    /// <summary>Cancels it; only before anything shipped or arrived.</summary>
    Task<PurchaseOrderCommandResult> Cancel();

    /// <summary>Where the purchase order is received and which SKUs it carries (null: no such purchase order).</summary>
    [ReadOnly, AlwaysInterleave]
    Task<PurchaseOrderRoute?> GetRoute();

    /// <summary>
    /// The destination's SKU-locations reported receipt totals after events: records them (absolute,
    /// so a repeated report changes nothing) and updates the destination's inbound.
    /// </summary>
    Task RecordReceipts(IReadOnlyList<PurchaseReceipt> receipts);
}
