using System.Globalization;

namespace Distribution.Replenishment;

/// <summary>
/// Decides where one destination's need comes from: surplus elsewhere in the network (a transfer) or the
/// supplier (a purchase). Pure and deterministic: reads only its arguments.
/// </summary>
/// <remarks>
/// <list type="number">
/// <item>A candidate can transfer when it is not the destination, has surplus, has a lane to the destination and
/// the lane's cost per unit is within the optional maximum. It is chosen only if its transit time is shorter than
/// the supplier's mean lead time (any lane beats an absent supplier): moving stock that arrives later than a
/// purchase would only shift the shortage.</item>
/// <item>Among those, the one with the most surplus transfers min(need, surplus); ties go to the shorter transit,
/// then the lower cost, then the warehouse id (ordinal).</item>
/// <item>The remainder, or everything when no transfer qualifies, is bought from the supplier; without a supplier it
/// is left unfilled with the reason.</item>
/// <item>A preferred source (the policy's) is honoured when it qualifies: a preferred warehouse needs surplus, a lane
/// and a cost within the maximum, but not a faster lane (the policy chose it); the preferred supplier, when it is the
/// SKU's supplier, takes the whole need. A preference that does not qualify falls back to the rules above and the
/// reasons say so.</item>
/// </list>
/// At most one transfer per decision: the next evaluation sees it as inbound and looks again.
/// </remarks>
public static class TransferOrBuy
{
    /// <summary>Proposals for <paramref name="quantity"/> units needed at <paramref name="destinationId"/>.</summary>
    /// <param name="destinationId">The warehouse to replenish.</param>
    /// <param name="quantity">Units needed (e.g. <see cref="ReorderRule.QuantityToOrder(int, int)"/>); 0 proposes nothing.</param>
    /// <param name="today">Business day of the decision; arrivals are counted from it.</param>
    /// <param name="candidates">Warehouses that might ship surplus (the destination itself is ignored).</param>
    /// <param name="supplier">The SKU's supplier, or null when it has none.</param>
    /// <param name="preferredSource">A warehouse id or supplier id the policy prefers (ordinal), or null.</param>
    /// <param name="maxTransferCostPerUnit">Most a transfer may cost per unit, or null for no limit.</param>
    /// <exception cref="ArgumentException">An id is missing or a candidate appears twice.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A quantity, surplus, transit time or cost is negative.</exception>
    public static SourceDecision Decide(
        string destinationId,
        int quantity,
        DateOnly today,
        IReadOnlyList<TransferCandidate> candidates,
        SupplierOffer? supplier,
        string? preferredSource = null,
        decimal? maxTransferCostPerUnit = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(destinationId);
        ArgumentOutOfRangeException.ThrowIfNegative(quantity);
        Validate(candidates);
        if (supplier is not null && string.IsNullOrWhiteSpace(supplier.SupplierId))
        {
            throw new ArgumentException("The supplier has no id.", nameof(supplier));
        }

        if (maxTransferCostPerUnit is { } max)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(max, nameof(maxTransferCostPerUnit));
        }

        if (quantity == 0)
        {
            return new SourceDecision([], 0, null);
        }

        var proposals = new List<ReplenishmentProposal>(2);
        string? preferenceNote = null;
        TransferCandidate? transfer = null;
        var buyEverything = false;

        if (!string.IsNullOrEmpty(preferredSource))
        {
            var preferred = Find(candidates, preferredSource);
            if (preferred is not null && !IsDestination(preferred, destinationId))
            {
                var refusal = WhyCannotTransfer(preferred, maxTransferCostPerUnit);
                if (refusal is null)
                {
                    transfer = preferred;
                }
                else
                {
                    preferenceNote = $"preferred source {preferredSource} {refusal}";
                }
            }
            else if (supplier is not null && string.Equals(supplier.SupplierId, preferredSource, StringComparison.Ordinal))
            {
                buyEverything = true;
            }
            else
            {
                preferenceNote = $"preferred source {preferredSource} is neither a warehouse with a lane here nor the supplier";
            }
        }

        if (transfer is null && !buyEverything)
        {
            transfer = MostSurplus(candidates, destinationId, supplier, maxTransferCostPerUnit);
        }

        var remaining = quantity;
        if (transfer is not null)
        {
            var lane = transfer.Lane!;
            var take = Math.Min(remaining, transfer.Surplus);
            remaining -= take;
            var why = string.Equals(transfer.WarehouseId, preferredSource, StringComparison.Ordinal)
                ? "preferred source"
                : supplier is null
                    ? "most surplus; no supplier to buy from"
                    : $"most surplus; beats {supplier.SupplierId}'s {Days(supplier.LeadTime.Days)}-day lead time";
            proposals.Add(new ReplenishmentProposal(
                ProposalKind.Transfer,
                transfer.WarehouseId,
                take,
                today.AddDays(Quantities.RoundUp(lane.TransitDays)),
                $"transfer {take} of {transfer.Surplus} surplus units from {transfer.WarehouseId} "
                    + $"({Days(lane.TransitDays)} days in transit): {With(preferenceNote, why)}"));
            preferenceNote = null;
        }

        if (remaining == 0)
        {
            return new SourceDecision(proposals, 0, null);
        }

        var rest = buyEverything
            ? "preferred source"
            : With(preferenceNote, transfer is null
                ? WhyNoTransfer(candidates, destinationId, supplier, maxTransferCostPerUnit)
                : $"the transfer from {transfer.WarehouseId} covers {quantity - remaining} of {quantity}");
        if (supplier is null)
        {
            return new SourceDecision(proposals, remaining, $"no supplier for the SKU; {rest}");
        }

        proposals.Add(new ReplenishmentProposal(
            ProposalKind.Purchase,
            supplier.SupplierId,
            remaining,
            supplier.LeadTime.ArrivalFrom(today),
            $"buy {remaining} units from {supplier.SupplierId} ({Days(supplier.LeadTime.Days)}-day lead time): {rest}"));
        return new SourceDecision(proposals, 0, null);
    }

    private static TransferCandidate? MostSurplus(
        IReadOnlyList<TransferCandidate> candidates, string destinationId, SupplierOffer? supplier, decimal? maxCost)
    {
        TransferCandidate? best = null;
        foreach (var c in candidates)
        {
            if (IsDestination(c, destinationId) || WhyCannotTransfer(c, maxCost) is not null || !BeatsSupplier(c.Lane!, supplier))
            {
                continue;
            }

            if (best is null || Ranks(c, best) < 0)
            {
                best = c;
            }
        }

        return best;
    }

    /// <summary>Negative when <paramref name="a"/> is the better source: more surplus, shorter transit, cheaper, lower id.</summary>
    private static int Ranks(TransferCandidate a, TransferCandidate b)
    {
        var bySurplus = b.Surplus.CompareTo(a.Surplus);
        if (bySurplus != 0)
        {
            return bySurplus;
        }

        var byTransit = a.Lane!.TransitDays.CompareTo(b.Lane!.TransitDays);
        if (byTransit != 0)
        {
            return byTransit;
        }

        var byCost = a.Lane.CostPerUnit.CompareTo(b.Lane.CostPerUnit);
        return byCost != 0 ? byCost : string.CompareOrdinal(a.WarehouseId, b.WarehouseId);
    }

    private static bool BeatsSupplier(TransferLane lane, SupplierOffer? supplier) =>
        supplier is null || lane.TransitDays < supplier.LeadTime.Days;

    private static bool IsDestination(TransferCandidate c, string destinationId) =>
        string.Equals(c.WarehouseId, destinationId, StringComparison.Ordinal);

    /// <summary>Why <paramref name="c"/> cannot ship at all (speed aside), or null when it can.</summary>
    private static string? WhyCannotTransfer(TransferCandidate c, decimal? maxCost) =>
        c.Surplus == 0 ? "has no surplus"
        : c.Lane is null ? "has no lane to the destination"
        : maxCost is { } max && c.Lane.CostPerUnit > max ? $"costs {c.Lane.CostPerUnit.ToString(CultureInfo.InvariantCulture)} per unit, above {max.ToString(CultureInfo.InvariantCulture)}"
        : null;

    /// <summary>The first filter that rules out every candidate, for the planner.</summary>
    private static string WhyNoTransfer(
        IReadOnlyList<TransferCandidate> candidates, string destinationId, SupplierOffer? supplier, decimal? maxCost)
    {
        var others = candidates.Where(c => !IsDestination(c, destinationId)).ToList();
        var withSurplus = others.Where(c => c.Surplus > 0).ToList();
        if (withSurplus.Count == 0)
        {
            return "no other warehouse has surplus";
        }

        var withLane = withSurplus.Where(c => c.Lane is not null).ToList();
        if (withLane.Count == 0)
        {
            return $"no warehouse with surplus has a lane to {destinationId}";
        }

        if (withLane.All(c => WhyCannotTransfer(c, maxCost) is not null))
        {
            return $"every lane from a warehouse with surplus costs more than {maxCost!.Value.ToString(CultureInfo.InvariantCulture)} per unit";
        }

        return supplier is null
            ? "no warehouse can transfer"
            : $"no lane from a warehouse with surplus is faster than {supplier.SupplierId}'s {Days(supplier.LeadTime.Days)}-day lead time";
    }

    private static TransferCandidate? Find(IReadOnlyList<TransferCandidate> candidates, string warehouseId)
    {
        foreach (var c in candidates)
        {
            if (string.Equals(c.WarehouseId, warehouseId, StringComparison.Ordinal))
            {
                return c;
            }
        }

        return null;
    }

    private static void Validate(IReadOnlyList<TransferCandidate> candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < candidates.Count; i++)
        {
            var c = candidates[i] ?? throw new ArgumentException($"Candidate {i} is null.", nameof(candidates));
            if (string.IsNullOrWhiteSpace(c.WarehouseId))
            {
                throw new ArgumentException($"Candidate {i} has no warehouse id.", nameof(candidates));
            }

            if (!seen.Add(c.WarehouseId))
            {
                throw new ArgumentException($"Warehouse {c.WarehouseId} is a candidate twice.", nameof(candidates));
            }

            if (c.Surplus < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(candidates), c.Surplus, $"Warehouse {c.WarehouseId} has a negative surplus.");
            }

            if (c.Lane is { } lane && (!double.IsFinite(lane.TransitDays) || lane.TransitDays < 0 || lane.CostPerUnit < 0))
            {
                throw new ArgumentOutOfRangeException(
                    nameof(candidates), $"The lane from {c.WarehouseId} has a negative or non-finite transit time or cost.");
            }
        }
    }

    private static string With(string? note, string reason) => note is null ? reason : $"{note}; {reason}";

    private static string Days(double days) => days.ToString("0.##", CultureInfo.InvariantCulture);
}
