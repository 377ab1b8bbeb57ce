namespace Distribution.Replenishment;

/// <summary>A lane from a candidate warehouse to the destination.</summary>
/// <param name="TransitDays">Days from shipping to receiving; compared with the supplier's lead time.</param>
/// <param name="CostPerUnit">Freight per unit; a transfer above the caller's maximum is not proposed.</param>
public sealed record TransferLane(double TransitDays, decimal CostPerUnit);

/// <summary>A warehouse that could ship surplus of the SKU to the destination.</summary>
/// <param name="WarehouseId">The candidate source.</param>
/// <param name="Surplus">
/// Units it can spare: its inventory position above its own reorder point (<see cref="InventoryPosition.SurplusAbove"/>).
/// </param>
/// <param name="Lane">Its lane to the destination; without one it cannot transfer.</param>
public sealed record TransferCandidate(string WarehouseId, int Surplus, TransferLane? Lane);

/// <summary>The supplier a SKU is bought from, with its lead time.</summary>
public sealed record SupplierOffer(string SupplierId, LeadTime LeadTime);

public enum ProposalKind
{
    /// <summary>Move surplus from another warehouse.</summary>
    Transfer = 0,
    /// <summary>Buy from the supplier.</summary>
    Purchase = 1,
}

/// <summary>One replenishment the destination should receive.</summary>
/// <param name="Kind">Transfer or purchase.</param>
/// <param name="SourceId">The shipping warehouse (transfer) or the supplier (purchase).</param>
/// <param name="Quantity">Whole units, more than 0.</param>
/// <param name="ExpectedArrival">Decision day plus the transit or lead time in whole days, rounded up.</param>
/// <param name="Reason">Why this source and quantity, for the planner reading the recommendation.</param>
public sealed record ReplenishmentProposal(
    ProposalKind Kind, string SourceId, int Quantity, DateOnly ExpectedArrival, string Reason);

/// <summary>The decision for one need: what to transfer and buy, and what nobody can supply (with why).</summary>
/// <param name="Proposals">A transfer first when there is one, then a purchase for the rest; empty when nothing is needed or possible.</param>
/// <param name="UnfilledQuantity">Units neither transferred nor bought.</param>
/// <param name="UnfilledReason">Why <paramref name="UnfilledQuantity"/> is left (null when it is 0).</param>
public sealed record SourceDecision(
    IReadOnlyList<ReplenishmentProposal> Proposals, int UnfilledQuantity, string? UnfilledReason)
{
    public bool IsFilled => UnfilledQuantity == 0;
}
