using System.Diagnostics;
using Npgsql;

namespace Distribution.Benchmark;

/// <summary>
/// The durable hub's own database, which the benchmark otherwise reaches only through the HTTP API.
/// Right after seeding, PostgreSQL has a million freshly inserted grain states to vacuum, analyze
/// and set hint bits on; the ERP's loader settles its tables the same way before it is measured.
/// </summary>
internal static class HubDatabase
{
    public static async Task SettleAsync(string connectionString, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(ct);
            // Every table of the database the role may vacuum (the hub's schema, whatever its version).
            await using var command = new NpgsqlCommand("VACUUM (ANALYZE)", connection) { CommandTimeout = 0 };
            await command.ExecuteNonQueryAsync(ct);
        }
        catch (NpgsqlException e)
        {
            throw new SetupException($"--hub-database: could not vacuum the hub's database ({e.Message})");
        }

        Console.WriteLine($"  hub database vacuumed and analyzed in {Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s");
    }
}
