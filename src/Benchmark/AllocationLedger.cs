using System.Collections.Concurrent;
using System.Globalization;

namespace Distribution.Benchmark;

/// <summary>What one acknowledged order response said about its lines.</summary>
internal readonly record struct ResponseTally(int BackorderedLines, long BackorderedUnits, int InconsistentLines);

/// <summary>
/// The client's own account of the run: which SKUs any sent order touched, and the units that
/// acknowledged (2xx) responses allocated per SKU-location; with <paramref name="keepOrderIds"/> also
/// the ids of the acknowledged orders. Thread-safe; written by all workers.
/// </summary>
internal sealed class AllocationLedger(Network network, bool keepOrderIds = false)
{
    private readonly long[] allocated = new long[network.Skus.Count * network.Warehouses.Count];
    private readonly bool[] touched = new bool[network.Skus.Count];
    private readonly ConcurrentQueue<string>? acknowledgedOrders = keepOrderIds ? new() : null;
    private long unknownWarehouseUnits;

    /// <summary>Units allocated at warehouses that are not part of the benchmark network.</summary>
    public long UnknownWarehouseUnits => Interlocked.Read(ref unknownWarehouseUnits);

    public void Touch(PlannedOrder order)
    {
        foreach (var sku in order.SkuIndexes)
            touched[sku] = true;
    }

    public IReadOnlyList<int> TouchedSkus() =>
        Enumerable.Range(0, touched.Length).Where(i => touched[i]).ToArray();

    /// <summary>Ids of the acknowledged orders (a replayed one may appear twice); empty unless kept.</summary>
    public IReadOnlyCollection<string> AcknowledgedOrders => acknowledgedOrders ?? (IReadOnlyCollection<string>)[];

    public long Allocated(int sku, int warehouse) =>
        Interlocked.Read(ref allocated[(sku * network.Warehouses.Count) + warehouse]);

    /// <summary>
    /// Books the allocations of an acknowledged response and checks each line against the order:
    /// every requested line answered once, for its SKU, with allocated + backordered = quantity.
    /// </summary>
    public ResponseTally Record(PlannedOrder order, OrderResult result)
    {
        acknowledgedOrders?.Enqueue(order.Body.OrderId);
        var requested = order.Body.Lines;
        var seen = new bool[requested.Count];
        int backorderedLines = 0, inconsistent = 0;
        long backorderedUnits = 0;

        foreach (var line in result.Lines ?? [])
        {
            var index = int.TryParse(line.LineId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id - 1 : -1;
            if (index < 0 || index >= requested.Count || seen[index] || line.Sku != requested[index].Sku)
            {
                inconsistent++;
                continue;
            }

            seen[index] = true;
            var sku = order.SkuIndexes[index];
            long units = 0;
            var negative = line.BackorderedQuantity < 0;
            foreach (var allocation in line.Allocations ?? [])
            {
                negative |= allocation.Quantity < 0;
                units += allocation.Quantity;
                var warehouse = network.IndexOfWarehouse(allocation.WarehouseId);
                if (warehouse < 0)
                    Interlocked.Add(ref unknownWarehouseUnits, allocation.Quantity);
                else
                    Interlocked.Add(ref allocated[(sku * network.Warehouses.Count) + warehouse], allocation.Quantity);
            }

            if (negative || units + line.BackorderedQuantity != requested[index].Quantity)
                inconsistent++;
            if (line.BackorderedQuantity > 0)
            {
                backorderedLines++;
                backorderedUnits += line.BackorderedQuantity;
            }
        }

        inconsistent += seen.Count(s => !s);
        return new ResponseTally(backorderedLines, backorderedUnits, inconsistent);
    }
}
