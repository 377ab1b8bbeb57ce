using Distribution.Network;

namespace Distribution.Orders.Sourcing;

/// <summary>
/// Decides where each order line ships from. Pure and deterministic: reads only <see cref="SourcingInput"/>.
/// </summary>
/// <remarks>
/// <list type="number">
/// <item>Candidates: warehouses that are not <see cref="WarehouseStatus.Offline"/> and have a promised ship date
/// (<see cref="ShipDateCalendar"/>). Active ones are tier 1; Degraded ones only cover what tier 1 cannot.</item>
/// <item>Ranking: distance from <see cref="SourcingInput.ShipTo"/>, ties by warehouse id (ordinal).</item>
/// <item>One warehouse is preferred: the nearest tier-1 warehouse that fills every line takes the whole order; failing
/// that, the nearest degraded one that fills everything, unless tier 1 can fill the order by splitting (split allowed).</item>
/// <item>Split (AllowSplit): greedy over tier 1 — repeatedly the unused warehouse covering the most remaining units
/// (ties: nearer) ships min(available, remaining) per line — then the same over degraded warehouses.</item>
/// <item>No split and no single warehouse fills all: with AllowBackorder the tier-1 warehouse filling the most units
/// (degraded only if no tier-1 fills anything) ships what it can; otherwise rejected.</item>
/// <item>Leftover: backordered with AllowBackorder, else the plan is rejected (no allocations) naming the first short line
/// and the quantity the network could give it.</item>
/// </list>
/// Availability is tracked per (warehouse, SKU) so lines sharing a SKU never double count; lines with quantity ≤ 0 are
/// ignored. Cost: O(lines × warehouses × shipments).
/// </remarks>
public static class SourcingPlanner
{
    public const string NoSingleWarehouseReason = "no single warehouse can fill the whole order";

    public static SourcingPlan Plan(SourcingInput input)
    {
        ArgumentNullException.ThrowIfNull(input);

        var state = PlanState.Create(input);
        if (state.LineCount == 0)
        {
            return new SourcingPlan([], new Dictionary<string, int>(StringComparer.Ordinal), null);
        }

        var tier1 = state.Tier1;
        var degraded = state.Degraded;

        var single = state.FirstFillingEverything(tier1);
        if (single < 0 && !(input.AllowSplit && state.CanFillEverything(tier1)))
        {
            single = state.FirstFillingEverything(degraded);
        }

        if (single >= 0)
        {
            state.AllocateAt(single);
            return state.ToPlan();
        }

        if (input.AllowSplit)
        {
            state.Greedy(tier1);
            state.Greedy(degraded);
            if (state.RemainingUnits > 0 && !input.AllowBackorder)
            {
                return Rejected(state.FirstShortLineReason());
            }

            return state.ToPlan();
        }

        if (!input.AllowBackorder)
        {
            return Rejected(NoSingleWarehouseReason);
        }

        var best = state.MostCovering(tier1);
        if (best < 0)
        {
            best = state.MostCovering(degraded);
        }

        if (best >= 0)
        {
            state.AllocateAt(best);
        }

        return state.ToPlan();
    }

    private static SourcingPlan Rejected(string reason) =>
        new([], new Dictionary<string, int>(StringComparer.Ordinal), reason);

    private sealed record Candidate(string WarehouseId, DateOnly ShipDate, double DistanceKm, bool IsDegraded);

    /// <summary>Mutable working state of one planning run.</summary>
    private sealed class PlanState
    {
        private static readonly IReadOnlySet<DateOnly> EmptyDates = new HashSet<DateOnly>();

        private readonly SourcingLine[] _lines;      // lines with quantity > 0, in order
        private readonly int[] _lineSku;             // sku index per line
        private readonly int[] _lineRemaining;
        private readonly long[] _skuRemaining;
        private readonly Candidate[] _candidates;    // ranked
        private readonly int[][] _available;         // [candidate][sku], decremented as allocated
        private readonly List<int> _openSkus;        // skus with remaining demand (compacted lazily)
        private readonly List<PlannedAllocation> _allocations = [];

        private PlanState(
            SourcingLine[] lines, int[] lineSku, long[] skuDemand, Candidate[] candidates, int[][] available)
        {
            _lines = lines;
            _lineSku = lineSku;
            _lineRemaining = new int[lines.Length];
            for (var i = 0; i < lines.Length; i++)
            {
                _lineRemaining[i] = lines[i].Quantity;
                RemainingUnits += lines[i].Quantity;
            }

            _skuRemaining = skuDemand;
            _candidates = candidates;
            _available = available;
            _openSkus = new List<int>(skuDemand.Length);
            for (var s = 0; s < skuDemand.Length; s++)
            {
                _openSkus.Add(s);
            }

            var tier1 = new List<int>();
            var degraded = new List<int>();
            for (var c = 0; c < candidates.Length; c++)
            {
                (candidates[c].IsDegraded ? degraded : tier1).Add(c);
            }

            Tier1 = tier1;
            Degraded = degraded;
        }

        public int LineCount => _lines.Length;

        public long RemainingUnits { get; private set; }

        public IReadOnlyList<int> Tier1 { get; }

        public IReadOnlyList<int> Degraded { get; }

        public static PlanState Create(SourcingInput input)
        {
            ArgumentNullException.ThrowIfNull(input.Lines);
            ArgumentNullException.ThrowIfNull(input.Warehouses);
            ArgumentNullException.ThrowIfNull(input.Available);
            ArgumentNullException.ThrowIfNull(input.ShipTo);

            var skuIndex = new Dictionary<string, int>(StringComparer.Ordinal);
            var skus = new List<string>();
            var demand = new List<long>();
            var lines = new List<SourcingLine>(input.Lines.Count);
            var lineSku = new List<int>(input.Lines.Count);
            foreach (var line in input.Lines)
            {
                if (line is null || line.Quantity <= 0)
                {
                    continue;
                }

                if (!skuIndex.TryGetValue(line.Sku, out var s))
                {
                    s = skus.Count;
                    skuIndex.Add(line.Sku, s);
                    skus.Add(line.Sku);
                    demand.Add(0);
                }

                demand[s] += line.Quantity;
                lines.Add(line);
                lineSku.Add(s);
            }

            var candidates = new List<Candidate>(input.Warehouses.Count);
            foreach (var wc in input.Warehouses)
            {
                var w = wc?.Warehouse;
                // A warehouse listed twice counts once (a scan: a network has tens of warehouses, and a set per plan was garbage).
                if (w is null || w.Status == WarehouseStatus.Offline || Listed(candidates, w.WarehouseId))
                {
                    continue;
                }

                var date = ShipDateCalendar.PromisedShipDate(w, input.Now, wc!.FullShipDates ?? EmptyDates);
                if (date is null)
                {
                    continue;
                }

                candidates.Add(new Candidate(
                    w.WarehouseId,
                    date.Value,
                    GeoDistance.Kilometres(input.ShipTo, w.Location),
                    w.Status == WarehouseStatus.Degraded));
            }

            static bool Listed(List<Candidate> candidates, string warehouseId)
            {
                foreach (var c in candidates)
                {
                    if (string.Equals(c.WarehouseId, warehouseId, StringComparison.Ordinal))
                    {
                        return true;
                    }
                }

                return false;
            }

            candidates.Sort(static (a, b) =>
            {
                var byDistance = a.DistanceKm.CompareTo(b.DistanceKm);
                return byDistance != 0 ? byDistance : string.CompareOrdinal(a.WarehouseId, b.WarehouseId);
            });

            var available = new int[candidates.Count][];
            for (var c = 0; c < candidates.Count; c++)
            {
                var row = new int[skus.Count];
                for (var s = 0; s < skus.Count; s++)
                {
                    if (input.Available.TryGetValue((candidates[c].WarehouseId, skus[s]), out var qty) && qty > 0)
                    {
                        row[s] = qty;
                    }
                }

                available[c] = row;
            }

            return new PlanState([.. lines], [.. lineSku], [.. demand], [.. candidates], available);
        }

        /// <summary>First (nearest) of <paramref name="tier"/> holding the whole remaining demand, or -1.</summary>
        public int FirstFillingEverything(IReadOnlyList<int> tier)
        {
            foreach (var c in tier)
            {
                var row = _available[c];
                var fills = true;
                foreach (var s in _openSkus)
                {
                    if (row[s] < _skuRemaining[s])
                    {
                        fills = false;
                        break;
                    }
                }

                if (fills)
                {
                    return c;
                }
            }

            return -1;
        }

        /// <summary>Whether <paramref name="tier"/> together holds the whole remaining demand.</summary>
        public bool CanFillEverything(IReadOnlyList<int> tier)
        {
            foreach (var s in _openSkus)
            {
                long total = 0;
                foreach (var c in tier)
                {
                    total += _available[c][s];
                    if (total >= _skuRemaining[s])
                    {
                        break;
                    }
                }

                if (total < _skuRemaining[s])
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>The member of <paramref name="tier"/> covering the most remaining units (ties: nearer), or -1 if none covers any.</summary>
        public int MostCovering(IReadOnlyList<int> tier, bool[]? used = null)
        {
            var best = -1;
            long bestCoverage = 0;
            foreach (var c in tier)
            {
                if (used is not null && used[c])
                {
                    continue;
                }

                var coverage = Coverage(c);
                if (coverage > bestCoverage)
                {
                    best = c;
                    bestCoverage = coverage;
                }
            }

            return best;
        }

        /// <summary>Repeatedly ships from the unused warehouse of <paramref name="tier"/> that covers the most.</summary>
        public void Greedy(IReadOnlyList<int> tier)
        {
            var used = new bool[_candidates.Length];
            while (RemainingUnits > 0)
            {
                var best = MostCovering(tier, used);
                if (best < 0)
                {
                    return;
                }

                used[best] = true;
                AllocateAt(best);
            }
        }

        /// <summary>Ships min(available, remaining) of every open line, in line order, from candidate <paramref name="c"/>.</summary>
        public void AllocateAt(int c)
        {
            var row = _available[c];
            var candidate = _candidates[c];
            for (var i = 0; i < _lines.Length; i++)
            {
                var remaining = _lineRemaining[i];
                if (remaining == 0)
                {
                    continue;
                }

                var s = _lineSku[i];
                var take = Math.Min(row[s], remaining);
                if (take <= 0)
                {
                    continue;
                }

                row[s] -= take;
                _lineRemaining[i] = remaining - take;
                _skuRemaining[s] -= take;
                RemainingUnits -= take;
                var line = _lines[i];
                _allocations.Add(new PlannedAllocation(
                    line.LineId, line.Sku, candidate.WarehouseId, take, candidate.ShipDate));
            }

            _openSkus.RemoveAll(s => _skuRemaining[s] == 0);
        }

        public string FirstShortLineReason()
        {
            for (var i = 0; i < _lines.Length; i++)
            {
                if (_lineRemaining[i] > 0)
                {
                    var line = _lines[i];
                    var got = line.Quantity - _lineRemaining[i];
                    return $"line {line.LineId} ({line.Sku}): {line.Quantity} requested, {got} available in the network";
                }
            }

            throw new InvalidOperationException("No line is short.");
        }

        public SourcingPlan ToPlan()
        {
            var backordered = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < _lines.Length; i++)
            {
                var remaining = _lineRemaining[i];
                if (remaining > 0)
                {
                    var id = _lines[i].LineId;
                    backordered[id] = backordered.GetValueOrDefault(id) + remaining;
                }
            }

            return new SourcingPlan(_allocations.ToArray(), backordered, null);
        }

        private long Coverage(int c)
        {
            var row = _available[c];
            long coverage = 0;
            foreach (var s in _openSkus)
            {
                coverage += Math.Min(row[s], _skuRemaining[s]);
            }

            return coverage;
        }
    }
}
