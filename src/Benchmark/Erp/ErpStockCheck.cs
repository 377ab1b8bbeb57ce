using Npgsql;
using NpgsqlTypes;

namespace Distribution.Benchmark.Erp;

/// <summary>
/// The ERP run's end-of-run check, in SQL on its own tables: every stock row has reserved ≤ on hand;
/// per SKU-location the units the acknowledged answers allocated (the run's
/// <see cref="AllocationLedger"/>) are reserved; and every acknowledged order id is in erp_order.
/// The tables are fresh each invocation, so the cross-check always applies.
/// </summary>
internal static class ErpStockCheck
{
    private const int MaxExamples = 5;

    private const string MissingOrders = """
        SELECT count(DISTINCT a.order_id), count(DISTINCT a.order_id) FILTER (WHERE o.order_id IS NULL)
        FROM erp_acknowledged a LEFT JOIN erp_order o ON o.order_id = a.order_id
        """;

    public static async Task<OversellReport> RunAsync(NpgsqlDataSource db, Network network, AllocationLedger ledger, CancellationToken ct)
    {
        var warehouses = network.Warehouses.Count;
        var skuIndex = new Dictionary<string, int>(network.Skus.Count, StringComparer.Ordinal);
        for (var i = 0; i < network.Skus.Count; i++)
            skuIndex[network.Skus[i]] = i;

        long oversold = 0, acknowledged = 0, notReserved = 0, notAcknowledged = 0;
        var oversoldLocations = 0;
        var examples = new List<string>();
        var read = new bool[network.Skus.Count * warehouses];

        await using var connection = await db.OpenConnectionAsync(ct);
        await using (var rows = new NpgsqlCommand("SELECT sku, warehouse_id, on_hand, reserved FROM erp_stock", connection) { CommandTimeout = 0 })
        await using (var reader = await rows.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                var (sku, warehouse, onHand, reserved) = (reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3));
                var s = skuIndex.GetValueOrDefault(sku, -1);
                var w = network.IndexOfWarehouse(warehouse);
                var ack = 0L;
                if (s >= 0 && w >= 0)
                {
                    read[(s * warehouses) + w] = true;
                    ack = ledger.Allocated(s, w);
                }

                acknowledged += ack;
                if (ack > reserved)
                    notReserved += ack - reserved;
                else
                    notAcknowledged += reserved - ack;

                var committed = Math.Max(ack, reserved);
                if (committed > onHand)
                {
                    oversold += committed - onHand;
                    oversoldLocations++;
                    if (examples.Count < MaxExamples)
                        examples.Add($"{sku} @ {warehouse}: reserved {reserved}, acknowledged {ack} > on hand {onHand}");
                }
            }
        }

        // Units acknowledged at a SKU-location without a stock row were never reserved anywhere.
        var touched = ledger.TouchedSkus();
        foreach (var s in touched)
        {
            for (var w = 0; w < warehouses; w++)
            {
                if (!read[(s * warehouses) + w] && ledger.Allocated(s, w) is var ack and > 0)
                {
                    acknowledged += ack;
                    notReserved += ack;
                }
            }
        }

        var orders = await CountMissingOrdersAsync(connection, ledger.AcknowledgedOrders, ct);
        return new OversellReport(
            touched.Count, 0, null, oversold, oversoldLocations, CrossChecked: true,
            acknowledged, notReserved, notAcknowledged, examples, orders);
    }

    private static async Task<StoredOrders> CountMissingOrdersAsync(
        NpgsqlConnection connection, IReadOnlyCollection<string> acknowledgedIds, CancellationToken ct)
    {
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using (var create = new NpgsqlCommand("CREATE TEMP TABLE erp_acknowledged (order_id text NOT NULL) ON COMMIT DROP", connection))
            await create.ExecuteNonQueryAsync(ct);

        await using (var copy = await connection.BeginBinaryImportAsync("COPY erp_acknowledged (order_id) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var id in acknowledgedIds)
            {
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(id, NpgsqlDbType.Text, ct);
            }

            await copy.CompleteAsync(ct);
        }

        await using var count = new NpgsqlCommand(MissingOrders, connection) { CommandTimeout = 0 };
        await using var reader = await count.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        var result = new StoredOrders(reader.GetInt64(0), reader.GetInt64(1));
        await reader.CloseAsync();
        await transaction.CommitAsync(ct);
        return result;
    }
}
