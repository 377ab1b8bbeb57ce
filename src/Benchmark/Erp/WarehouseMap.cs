using Distribution.Orders.Sourcing;
using Npgsql;

namespace Distribution.Benchmark.Erp;

/// <summary>
/// Where the ERP's warehouses are, read once from erp_warehouse, and their order by distance from a
/// ship-to: great-circle kilometres (the hub's own <see cref="GeoDistance"/>, compiled in), ties by
/// warehouse id — the hub's ranking (SourcingPlanner in src/Grains), so both designs pick the same "nearest".
/// </summary>
internal sealed class WarehouseMap
{
    private readonly (string Id, double Latitude, double Longitude)[] warehouses;

    private WarehouseMap((string, double, double)[] warehouses) => this.warehouses = warehouses;

    public int Count => warehouses.Length;

    public static async Task<WarehouseMap> LoadAsync(NpgsqlDataSource db, CancellationToken ct)
    {
        var list = new List<(string, double, double)>();
        await using var command = db.CreateCommand("SELECT warehouse_id, latitude, longitude FROM erp_warehouse");
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            list.Add((reader.GetString(0), reader.GetDouble(1), reader.GetDouble(2)));
        return new WarehouseMap([.. list]);
    }

    /// <summary>Warehouse ids, nearest to the point first.</summary>
    public string[] NearestFirst(double latitude, double longitude)
    {
        var distances = new double[warehouses.Length];
        var ids = new string[warehouses.Length];
        for (var i = 0; i < warehouses.Length; i++)
        {
            ids[i] = warehouses[i].Id;
            distances[i] = GeoDistance.Kilometres(latitude, longitude, warehouses[i].Latitude, warehouses[i].Longitude);
        }

        var order = Enumerable.Range(0, ids.Length).ToArray();
        Array.Sort(order, (a, b) =>
        {
            var byDistance = distances[a].CompareTo(distances[b]);
            return byDistance != 0 ? byDistance : string.CompareOrdinal(ids[a], ids[b]);
        });
        return [.. order.Select(i => ids[i])];
    }
}
