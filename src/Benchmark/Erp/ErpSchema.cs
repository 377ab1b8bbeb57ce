using System.Diagnostics;
using Npgsql;
using NpgsqlTypes;

namespace Distribution.Benchmark.Erp;

/// <summary>
/// The ERP-centric design's tables: warehouses, stock per SKU-location (on hand and reserved),
/// orders and their lines. Dropped and recreated by every invocation so runs start alike, then
/// loaded with binary COPY from the same <see cref="Network"/> and on-hand the hub gets.
/// </summary>
internal static class ErpSchema
{
    private const string Drop = "DROP TABLE IF EXISTS erp_order_line, erp_order, erp_stock, erp_warehouse";

    // No primary keys yet: they are built after the bulk load, which is much faster than
    // maintaining the index row by row. fillfactor leaves room on each stock page so updates of
    // `reserved` stay HOT (no index write), as a DBA would set it for a table updated this often.
    private const string Create = """
        CREATE TABLE erp_warehouse (
            warehouse_id text NOT NULL,
            name text NOT NULL,
            latitude double precision NOT NULL,
            longitude double precision NOT NULL);
        CREATE TABLE erp_stock (
            sku text NOT NULL,
            warehouse_id text NOT NULL,
            on_hand bigint NOT NULL,
            reserved bigint NOT NULL) WITH (fillfactor = 80);
        CREATE TABLE erp_order (
            order_id text PRIMARY KEY,
            channel text NOT NULL,
            ship_to_latitude double precision NOT NULL,
            ship_to_longitude double precision NOT NULL,
            placed_at timestamptz NOT NULL DEFAULT now());
        CREATE TABLE erp_order_line (
            order_id text NOT NULL REFERENCES erp_order,
            line_id text NOT NULL,
            sku text NOT NULL,
            quantity integer NOT NULL,
            warehouse_id text,
            allocated integer NOT NULL,
            backordered integer NOT NULL,
            PRIMARY KEY (order_id, line_id));
        """;

    private const string Index = """
        ALTER TABLE erp_warehouse ADD PRIMARY KEY (warehouse_id);
        ALTER TABLE erp_stock ADD PRIMARY KEY (sku, warehouse_id);
        ALTER TABLE erp_stock ADD FOREIGN KEY (warehouse_id) REFERENCES erp_warehouse;
        """;

    /// <summary>Drops and recreates the tables and loads the network: every SKU at every warehouse with <paramref name="onHand"/>.</summary>
    public static async Task CreateAndLoadAsync(NpgsqlDataSource db, Network network, long onHand, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        await using var connection = await db.OpenConnectionAsync(ct);
        await ExecuteAsync(connection, Drop, ct);
        await ExecuteAsync(connection, Create, ct);

        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY erp_warehouse (warehouse_id, name, latitude, longitude) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var w in network.Warehouses)
            {
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(w.Id, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(w.Name, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(w.Latitude, NpgsqlDbType.Double, ct);
                await copy.WriteAsync(w.Longitude, NpgsqlDbType.Double, ct);
            }

            await copy.CompleteAsync(ct);
        }

        // SKU-major, the primary key's order: a SKU's rows share pages, as they would after a clustered load.
        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY erp_stock (sku, warehouse_id, on_hand, reserved) FROM STDIN (FORMAT BINARY)", ct))
        {
            copy.Timeout = TimeSpan.FromMinutes(10);
            foreach (var sku in network.Skus)
            {
                foreach (var w in network.Warehouses)
                {
                    await copy.StartRowAsync(ct);
                    await copy.WriteAsync(sku, NpgsqlDbType.Text, ct);
                    await copy.WriteAsync(w.Id, NpgsqlDbType.Text, ct);
                    await copy.WriteAsync(onHand, NpgsqlDbType.Bigint, ct);
                    await copy.WriteAsync(0L, NpgsqlDbType.Bigint, ct);
                }
            }

            await copy.CompleteAsync(ct);
        }

        await ExecuteAsync(connection, Index, ct);

        // Fresh statistics and visibility map, so the first measured level does not pay for them.
        await ExecuteAsync(connection, "VACUUM (ANALYZE) erp_warehouse, erp_stock, erp_order, erp_order_line", ct);
        var rows = (long)network.Skus.Count * network.Warehouses.Count;
        Console.WriteLine($"  ERP tables recreated and loaded: {network.Warehouses.Count} warehouses, {rows:N0} stock rows "
            + $"in {Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s");
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(ct);
    }
}
