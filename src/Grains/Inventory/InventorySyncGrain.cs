using Distribution.Common;
using Distribution.Network;

namespace Distribution.Inventory;

/// <summary>
/// Applies a warehouse snapshot: validates it whole (nothing changes if any line is bad), then
/// fans the lines out to their SKU-locations in parallel, in waves (<see cref="FanOut"/>).
/// Stateless, so big syncs run on any silo without blocking the warehouse's own grain.
/// </summary>
// Reentrant: a call spends its time awaiting other grains; without it a silo serves only as
// many of these at once as it has cores (the stateless worker limit).
[StatelessWorker, Reentrant]
public sealed class InventorySyncGrain(KnownItems items) : Grain, IInventorySyncGrain
{
    public const int MaxLines = 10_000;

    public async Task<InventorySyncResult> ApplySnapshot(InventorySnapshot snapshot)
    {
        var errors = new List<FieldError>();
        if (!Identifiers.Check(errors, "warehouseId", snapshot.WarehouseId))
        {
            return Invalid(errors);
        }

        if (snapshot.Items.Count == 0 || snapshot.Items.Count > MaxLines)
        {
            errors.Add(new("items", $"must contain 1 to {MaxLines} lines (got {snapshot.Items.Count})"));
            return Invalid(errors);
        }

        var warehouse = await GrainFactory.Keyed<INetworkGrain>(INetworkGrain.Key).GetWarehouse(snapshot.WarehouseId);
        if (warehouse is null)
        {
            errors.Add(new("warehouseId", $"unknown warehouse '{snapshot.WarehouseId}'"));
            return Invalid(errors);
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < snapshot.Items.Count; i++)
        {
            var line = snapshot.Items[i];
            if (line is null)
            {
                errors.Add(new($"items[{i}]", "must not be null"));
                continue;
            }

            if (Identifiers.Check(errors, $"items[{i}].sku", line.Sku) && !seen.Add(line.Sku))
            {
                errors.Add(new($"items[{i}].sku", $"SKU '{line.Sku}' appears more than once"));
            }

            if (line.OnHand < 0)
            {
                errors.Add(new($"items[{i}].onHand", "must be 0 or more"));
            }
        }

        if (errors.Count == 0)
        {
            errors.AddRange(await items.UnknownSkusAsync([.. snapshot.Items.Select(l => l.Sku)], "items"));
        }

        if (errors.Count > 0)
        {
            return Invalid(errors);
        }

        var outcomes = await FanOut.InWavesAsync(snapshot.Items, l =>
            GrainFactory.Keyed<ISkuLocationGrain>(SkuLocationKey.Format(snapshot.WarehouseId, l.Sku)).ApplySnapshot(snapshot.AsOf, l.OnHand));
        var stale = snapshot.Items.Where((_, i) => outcomes[i] == SnapshotLineOutcome.Stale).Select(l => l.Sku).ToList();
        return new InventorySyncResult(
            CommandOutcome.Updated,
            new SnapshotReport { Applied = outcomes.Length - stale.Count, Stale = stale.Count, StaleSkus = stale },
            []);
    }

    private static InventorySyncResult Invalid(List<FieldError> errors) =>
        new(CommandOutcome.Invalid, null, errors.Take(100).ToList());
}
