using Distribution.Network;

namespace Distribution.Orders.Sourcing;

/// <summary>
/// Promises what stock on hand could not fill from units on their way to a warehouse (transfers in
/// transit, purchase orders shipped by the supplier). Pure and deterministic.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Only backordered units of a plan are considered: an order is never moved from stock on hand
/// to inbound, so inbound never delays what could ship now.</item>
/// <item>The promise for inbound units is the warehouse's first ship date on or after the ETA (the
/// same calendar as stock on hand: working days, cutoff, days at capacity), so units due before the
/// cutoff ship that day.</item>
/// <item>With a requested delivery date, a promise after it is not taken (the line stays backordered).</item>
/// <item>Per line, the earliest promise wins, then the nearer warehouse, then the warehouse id and source;
/// offline warehouses never promise. A line takes at most one source per warehouse, and keeps the one it
/// already holds there (<c>heldSources</c>).</item>
/// </list>
/// </remarks>
public static class InboundSourcing
{
    public static SourcingPlan Extend(
        SourcingPlan plan,
        IReadOnlyList<SourcingLine> lines,
        SourcingInput input,
        IReadOnlyList<InboundSupply> supply,
        DateOnly? latestShipDate,
        IReadOnlyDictionary<(string LineId, string WarehouseId), string>? heldSources = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(supply);
        if (plan.IsRejected || plan.Backordered.Count == 0 || supply.Count == 0)
        {
            return plan;
        }

        var warehouses = new Dictionary<string, SourcingCandidate>(StringComparer.Ordinal);
        foreach (var c in input.Warehouses)
        {
            if (c?.Warehouse is { Status: not WarehouseStatus.Offline } w)
            {
                warehouses.TryAdd(w.WarehouseId, c);
            }
        }

        // Options per SKU, best first; Free is shared by every line of the SKU.
        var free = new int[supply.Count];
        var options = new List<(int Index, DateOnly Promise, double Distance)>();
        for (var i = 0; i < supply.Count; i++)
        {
            var s = supply[i];
            if (s.Free <= 0 || !warehouses.TryGetValue(s.WarehouseId, out var candidate))
            {
                continue;
            }

            var arrival = s.Eta > input.Now ? s.Eta : input.Now;
            var promise = ShipDateCalendar.PromisedShipDate(candidate.Warehouse, arrival, candidate.FullShipDates);
            if (promise is null || (latestShipDate is { } latest && promise > latest))
            {
                continue;
            }

            free[i] = s.Free;
            options.Add((i, promise.Value, GeoDistance.Kilometres(input.ShipTo, candidate.Warehouse.Location)));
        }

        options.Sort((a, b) =>
        {
            var c = a.Promise.CompareTo(b.Promise);
            c = c != 0 ? c : a.Distance.CompareTo(b.Distance);
            c = c != 0 ? c : string.CompareOrdinal(supply[a.Index].WarehouseId, supply[b.Index].WarehouseId);
            return c != 0 ? c : string.CompareOrdinal(supply[a.Index].Source, supply[b.Index].Source);
        });

        var allocations = new List<PlannedAllocation>(plan.Allocations);
        var backordered = new Dictionary<string, int>(plan.Backordered, StringComparer.Ordinal);
        foreach (var line in lines)
        {
            if (line is null || !backordered.TryGetValue(line.LineId, out var remaining) || remaining <= 0)
            {
                continue;
            }

            var usedWarehouses = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (index, promise, _) in options)
            {
                var s = supply[index];
                if (remaining == 0)
                {
                    break;
                }

                if (free[index] == 0 || !string.Equals(s.Sku, line.Sku, StringComparison.Ordinal))
                {
                    continue;
                }

                // One source per line and warehouse (the SKU-location keeps one inbound promise per line).
                if (heldSources?.GetValueOrDefault((line.LineId, s.WarehouseId)) is { } held && !string.Equals(held, s.Source, StringComparison.Ordinal))
                {
                    continue;
                }

                if (!usedWarehouses.Add(s.WarehouseId))
                {
                    continue;
                }

                var take = Math.Min(free[index], remaining);
                free[index] -= take;
                remaining -= take;
                allocations.Add(new PlannedAllocation(line.LineId, line.Sku, s.WarehouseId, take, promise, s.Source));
            }

            if (remaining == 0)
            {
                backordered.Remove(line.LineId);
            }
            else
            {
                backordered[line.LineId] = remaining;
            }
        }

        return plan with { Allocations = allocations, Backordered = backordered };
    }
}
