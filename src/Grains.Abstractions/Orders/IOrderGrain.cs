using Distribution.Common;
using Distribution.Inventory;

namespace Distribution.Orders;

/// <summary>
/// One customer order (key: the order id). Writes its intent before reserving, so a crash mid-way
/// is resumed on reactivation; answers a repeated submission with the stored result.
/// </summary>
public interface IOrderGrain : IRecoverableGrain
{
    Task<OrderCommandResult> Place(OrderRequest request);

    [ReadOnly]
    Task<OrderView?> Get();

    /// <summary>Releases every unshipped reservation; cancelling twice is harmless.</summary>
    Task<OrderCommandResult> Cancel();

    /// <summary>Asked by a SKU-location whose reservation for this order reached its expiry.</summary>
    [AlwaysInterleave]
    Task<ReservationVerdict> VerifyReservation(string warehouseId, string lineId);

    /// <summary>
    /// Told by a SKU-location whose inbound source will not bring all it promised: the line now holds
    /// <paramref name="held"/> units from <paramref name="inboundSource"/> at the warehouse (absolute,
    /// so telling again is harmless); the rest is backordered.
    /// </summary>
    Task InboundCut(string warehouseId, string lineId, string inboundSource, int held);

    /// <summary>Stock of <paramref name="sku"/> appeared: try to allocate backordered lines of it.</summary>
    Task<int> AllocateBackorders(string sku);

    /// <summary>
    /// Warehouses picked or shipped lines of this order: records the totals (absolute, so a
    /// repeated update changes nothing) and walks Released → PartiallyShipped → Shipped.
    /// </summary>
    Task RecordFulfilment(IReadOnlyList<Events.FulfilmentUpdate> updates);

    /// <summary>Tries again to allocate every backordered line (an operator's retry); returns the units still backordered.</summary>
    Task<int> RetryBackorders();
}
