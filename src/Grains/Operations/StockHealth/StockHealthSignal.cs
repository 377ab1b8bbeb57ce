using Distribution.Inventory;

namespace Distribution.Operations;

/// <summary>
/// How a SKU's view tells its warehouses' live stock health: on each new report of a location, only
/// when what the location contributes changed (or the location is new), one-way.
/// </summary>
public static class StockHealthSignal
{
    /// <summary>What a location contributes: the same stockout rule as the pass's count (<see cref="StockHealthTally"/>).</summary>
    public static StockHealthFlags Of(LocationAvailability location) =>
        (location.Policy is { Kind: not ReplenishmentPolicyKind.None } ? StockHealthFlags.WithPolicy : StockHealthFlags.None)
        | (location.Available <= 0 ? StockHealthFlags.Stockout : StockHealthFlags.None);

    /// <summary>Whether a report changes what the location contributes.</summary>
    public static bool Changed(LocationAvailability? known, LocationAvailability location) =>
        known is null || Of(known) != Of(location);

    /// <param name="known">The location's previous report in the view (null when it is new).</param>
    public static void OnReport(IGrainFactory grains, string sku, LocationAvailability? known, LocationAvailability location)
    {
        if (Changed(known, location))
        {
            // One-way: completes at once; the SKU's turn never waits on the warehouse's counts.
            _ = grains.GetGrain<IStockHealthGrain>(location.WarehouseId).Report(sku, Of(location));
        }
    }
}
