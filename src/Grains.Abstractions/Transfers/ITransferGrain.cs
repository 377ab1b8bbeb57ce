using Distribution.Common;
using Distribution.Inventory;

namespace Distribution.Transfers;

/// <summary>
/// One transfer between two warehouses (key: the transfer id). Reserves its lines at the source
/// all-or-nothing, with its intent written first so a crash mid-way is resumed; follows the
/// shipments and receipts the warehouses report, keeps the destination's inbound for it, and
/// raises overdue and receipt-discrepancy exceptions in business time.
/// </summary>
public interface ITransferGrain : IRecoverableGrain
{
    /// <summary>Creates the transfer; the same body again answers the same, another body is a conflict.</summary>
    Task<TransferCommandResult> Create(TransferRequest request);

    [ReadOnly]
    Task<TransferView?> Get();

    /// <summary>Releases the source reservations; cancelling twice is harmless; once anything shipped it is a conflict.</summary>
    Task<TransferCommandResult> Cancel();

    /// <summary>Asked by the source SKU-location whose reservation for this transfer reached its expiry.</summary>
    [AlwaysInterleave]
    Task<ReservationVerdict> VerifyReservation(string warehouseId, string sku);

    /// <summary>Where the transfer goes and which SKUs it carries (null: no such transfer).</summary>
    [ReadOnly, AlwaysInterleave]
    Task<TransferRoute?> GetRoute();

    /// <summary>
    /// The source or destination reported totals after events: records them (absolute, so a
    /// repeated or reordered report changes nothing) and sets the destination's inbound.
    /// </summary>
    Task RecordMovements(IReadOnlyList<TransferMovement> movements);
}
