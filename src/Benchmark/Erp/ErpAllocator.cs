using System.Data;
using Npgsql;

namespace Distribution.Benchmark.Erp;

/// <summary>How the ERP answered an order.</summary>
internal enum ErpVerdict
{
    /// <summary>Stored now, with its allocation (201).</summary>
    Placed,

    /// <summary>The order id was stored before: the stored allocation again (200).</summary>
    Replayed,

    /// <summary>A line no single warehouse could fill and the order allows no backorder: nothing stored (422).</summary>
    Unfillable,
}

internal sealed record ErpOutcome(ErpVerdict Verdict, OrderResult? Result, string? Reason);

/// <summary>
/// The database-centred ERP's allocation: one READ COMMITTED transaction per order. Lines in SKU
/// order (so two orders always lock shared rows in the same order); per line, the warehouses whose
/// stock row fits the quantity are read, the nearest is locked (SELECT ... FOR UPDATE) and checked
/// again — another order may have reserved since — and its `reserved` raised; if it no longer fits,
/// the next nearest. A line is never split: when no single warehouse fits it, it is backordered
/// whole (or the order refused, without allowBackorder). Then the order and its lines are stored
/// and the transaction commits before the answer. One round trip per statement: that is the design.
/// </summary>
internal sealed class ErpAllocator(NpgsqlDataSource db, WarehouseMap map)
{
    /// <summary>Attempts of a transaction that PostgreSQL aborted as a deadlock victim or serialization failure.</summary>
    public const int MaxAttempts = 5;

    // First, so a resent order id waits on this key until the first attempt commits, then is a replay.
    private const string InsertOrder = """
        INSERT INTO erp_order (order_id, channel, ship_to_latitude, ship_to_longitude)
        VALUES ($1, $2, $3, $4) ON CONFLICT (order_id) DO NOTHING
        """;

    private const string FindFitting = "SELECT warehouse_id FROM erp_stock WHERE sku = $1 AND on_hand - reserved >= $2";
    private const string LockRow = "SELECT on_hand - reserved FROM erp_stock WHERE sku = $1 AND warehouse_id = $2 FOR UPDATE";
    private const string Reserve = "UPDATE erp_stock SET reserved = reserved + $3 WHERE sku = $1 AND warehouse_id = $2";

    private const string InsertLines = """
        INSERT INTO erp_order_line (order_id, line_id, sku, quantity, warehouse_id, allocated, backordered)
        SELECT $1, l.* FROM unnest($2::text[], $3::text[], $4::integer[], $5::text[], $6::integer[], $7::integer[]) AS l
        """;

    private const string ReadLines = """
        SELECT line_id, sku, quantity, warehouse_id, allocated, backordered
        FROM erp_order_line WHERE order_id = $1 ORDER BY line_id
        """;

    /// <exception cref="NpgsqlException">The database failed, or a deadlock/serialization failure outlasted <see cref="MaxAttempts"/>.</exception>
    public async Task<ErpOutcome> PlaceAsync(OrderBody order, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await PlaceOnceAsync(order, ct);
            }
            catch (PostgresException e) when (attempt < MaxAttempts
                && e.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure)
            {
                // The transaction was rolled back whole; run it again.
            }
        }
    }

    private async Task<ErpOutcome> PlaceOnceAsync(OrderBody order, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);

        await using (var insert = await PrepareAsync(connection, InsertOrder, ct,
            Value(order.OrderId), Value(order.Channel), Value(order.ShipTo.Latitude), Value(order.ShipTo.Longitude)))
        {
            if (await insert.ExecuteNonQueryAsync(ct) == 0)
            {
                await transaction.RollbackAsync(ct);
                return new ErpOutcome(ErpVerdict.Replayed, await ReadAsync(connection, order.OrderId, ct), null);
            }
        }

        var nearest = map.NearestFirst(order.ShipTo.Latitude, order.ShipTo.Longitude);
        var lines = order.Lines
            .OrderBy(l => l.Sku, StringComparer.Ordinal)
            .ThenBy(l => l.LineId, StringComparer.Ordinal)
            .ToArray();
        var warehouses = new string?[lines.Length];
        for (var i = 0; i < lines.Length; i++)
        {
            warehouses[i] = await ReserveNearestAsync(connection, lines[i], nearest, ct);
            if (warehouses[i] is null && !order.AllowBackorder)
            {
                await transaction.RollbackAsync(ct);
                return new ErpOutcome(ErpVerdict.Unfillable, null,
                    $"line {lines[i].LineId}: no warehouse holds {lines[i].Quantity} of {lines[i].Sku}");
            }
        }

        await using (var insert = await PrepareAsync(connection, InsertLines, ct,
            Value(order.OrderId),
            Value(lines.Select(l => l.LineId).ToArray()),
            Value(lines.Select(l => l.Sku).ToArray()),
            Value(lines.Select(l => l.Quantity).ToArray()),
            Value(warehouses),
            Value(lines.Select((l, i) => warehouses[i] is null ? 0 : l.Quantity).ToArray()),
            Value(lines.Select((l, i) => warehouses[i] is null ? l.Quantity : 0).ToArray())))
        {
            await insert.ExecuteNonQueryAsync(ct);
        }

        await transaction.CommitAsync(ct);

        var byLine = lines.Select((l, i) => (l.LineId, Warehouse: warehouses[i])).ToDictionary(p => p.LineId, p => p.Warehouse, StringComparer.Ordinal);
        var result = order.Lines
            .Select(l => LineResult(l.LineId, l.Sku, l.Quantity, byLine[l.LineId], byLine[l.LineId] is null ? 0 : l.Quantity))
            .ToArray();
        return new ErpOutcome(ErpVerdict.Placed, Result(order.OrderId, result), null);
    }

    /// <summary>Reserves <paramref name="line"/> at the nearest warehouse it fits; its id, or null when none fits.</summary>
    private static async Task<string?> ReserveNearestAsync(NpgsqlConnection connection, OrderLineBody line, string[] nearest, CancellationToken ct)
    {
        var fitting = new HashSet<string>(StringComparer.Ordinal);
        await using (var find = await PrepareAsync(connection, FindFitting, ct, Value(line.Sku), Value((long)line.Quantity)))
        await using (var reader = await find.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
                fitting.Add(reader.GetString(0));
        }

        foreach (var warehouse in nearest)
        {
            if (!fitting.Contains(warehouse))
                continue;

            await using (var lockRow = await PrepareAsync(connection, LockRow, ct, Value(line.Sku), Value(warehouse)))
            {
                // Locked now: what other orders reserved before we got the lock is visible, so check again.
                if (await lockRow.ExecuteScalarAsync(ct) is not long available || available < line.Quantity)
                    continue;
            }

            await using var reserve = await PrepareAsync(connection, Reserve, ct, Value(line.Sku), Value(warehouse), Value((long)line.Quantity));
            await reserve.ExecuteNonQueryAsync(ct);
            return warehouse;
        }

        return null;
    }

    private static async Task<OrderResult> ReadAsync(NpgsqlConnection connection, string orderId, CancellationToken ct)
    {
        var lines = new List<OrderLineResult>();
        await using var read = await PrepareAsync(connection, ReadLines, ct, Value(orderId));
        await using var reader = await read.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            lines.Add(LineResult(
                reader.GetString(0), reader.GetString(1), reader.GetInt32(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetInt32(4)));
        }

        return Result(orderId, lines);
    }

    private static OrderLineResult LineResult(string lineId, string sku, int quantity, string? warehouse, int allocated) =>
        new(lineId, sku, quantity, warehouse is null ? [] : [new AllocationResult(warehouse, allocated)], quantity - allocated);

    private static OrderResult Result(string orderId, IReadOnlyList<OrderLineResult> lines)
    {
        var backordered = lines.Count(l => l.BackorderedQuantity > 0);
        var status = backordered == 0 ? "allocated" : backordered == lines.Count ? "backordered" : "partiallyAllocated";
        return new OrderResult(orderId, status, lines);
    }

    /// <summary>
    /// A command prepared on this physical connection. Npgsql keeps prepared statements across pool
    /// checkouts, so only a connection's first use of a statement costs the extra round trip.
    /// </summary>
    private static async Task<NpgsqlCommand> PrepareAsync(
        NpgsqlConnection connection, string sql, CancellationToken ct, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddRange(parameters);
        await command.PrepareAsync(ct);
        return command;
    }

    private static NpgsqlParameter<T> Value<T>(T value) => new() { TypedValue = value };
}
