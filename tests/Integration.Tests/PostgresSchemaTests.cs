using System.Diagnostics;
using Distribution.Persistence;
using Npgsql;
using Xunit.Abstractions;

namespace Distribution.Tests;

public sealed class PostgresSchemaTests(PostgresDatabase database, ITestOutputHelper output) : IClassFixture<PostgresDatabase>
{
    // What Microsoft.Orleans.Clustering.AdoNet / Reminders.AdoNet 10.4.x look up in OrleansQuery.
    private static readonly string[] RequiredQueryKeys =
    [
        "GatewaysQueryKey", "MembershipReadRowKey", "MembershipReadAllKey", "InsertMembershipVersionKey",
        "UpdateIAmAlivetimeKey", "InsertMembershipKey", "UpdateMembershipKey", "DeleteMembershipTableEntriesKey",
        "CleanupDefunctSiloEntriesKey", "CleanupDefunctSiloEntryKey",
        "ReadReminderRowsKey", "ReadRangeRows1Key", "ReadRangeRows2Key", "ReadReminderRowKey",
        "UpsertReminderRowKey", "DeleteReminderRowKey", "DeleteReminderRowsKey",
    ];

    [Fact]
    public async Task Applying_twice_is_a_no_op_the_second_time()
    {
        var first = await PostgresSchema.ApplyAsync(database.ConnectionString);
        var afterFirst = await SnapshotAsync(database.ConnectionString);
        var second = await PostgresSchema.ApplyAsync(database.ConnectionString);
        var afterSecond = await SnapshotAsync(database.ConnectionString);

        Assert.Equal(PostgresSchema.LatestVersion, first);
        Assert.Equal(PostgresSchema.LatestVersion, second);
        Assert.Equal(afterFirst, afterSecond);
        Assert.Equal(PostgresSchema.Scripts.Count, await database.ScalarAsync<long>("SELECT count(*) FROM schema_version"));

        var keys = new List<string>();
        await using (var connection = new NpgsqlConnection(database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT QueryKey FROM OrleansQuery", connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                keys.Add(reader.GetString(0));
            }
        }

        Assert.Empty(RequiredQueryKeys.Except(keys));
    }

    [Fact]
    public async Task Four_concurrent_appliers_end_in_the_same_schema_as_one()
    {
        await PostgresSchema.ApplyAsync(database.ConnectionString);
        var expected = await SnapshotAsync(database.ConnectionString);

        var clock = Stopwatch.StartNew();
        var (name, connectionString) = await TestPostgres.CreateDatabaseAsync("dist_test_concurrent");
        output.WriteLine($"database created in {clock.ElapsedMilliseconds} ms");
        try
        {
            var dataSources = Enumerable.Range(0, 4).Select(_ => NpgsqlDataSource.Create(connectionString)).ToArray();
            try
            {
                var versions = await Task.WhenAll(dataSources.Select(ds => Task.Run(() => PostgresSchema.ApplyAsync(ds))));
                Assert.All(versions, v => Assert.Equal(PostgresSchema.LatestVersion, v));
                output.WriteLine($"4 concurrent ApplyAsync done after {clock.ElapsedMilliseconds} ms");
            }
            finally
            {
                foreach (var ds in dataSources)
                {
                    await ds.DisposeAsync();
                }
            }

            Assert.Equal(expected, await SnapshotAsync(connectionString));
        }
        finally
        {
            await TestPostgres.DropDatabaseAsync(name);
        }
    }

    [Fact]
    public async Task The_trace_column_script_runs_again_without_change_and_upgrades_a_journal_with_rows()
    {
        var (name, connectionString) = await TestPostgres.CreateDatabaseAsync("dist_test_trace");
        try
        {
            await PostgresSchema.ApplyAsync(connectionString);
            var latest = await SnapshotAsync(connectionString);
            var script = Assert.Single(PostgresSchema.Scripts, s => s.Name == "event_journal_trace");
            Assert.Equal(6, script.Version);

            // A journal of schema 005 holding a row, then upgraded.
            await ExecuteAsync(connectionString, """
                ALTER TABLE event_journal DROP COLUMN trace_parent;
                DELETE FROM schema_version WHERE version >= 6;
                INSERT INTO event_journal (service_id, journal_key, sequence, queue, warehouse_id, payload, occurred_at, accepted_at)
                VALUES ('svc', 'before-006', nextval('event_journal_sequence'), 0, 'AMS', '{}', now(), now());
                """);
            Assert.Equal(PostgresSchema.LatestVersion, await PostgresSchema.ApplyAsync(connectionString));
            await ExecuteAsync(connectionString, script.Sql);
            await ExecuteAsync(connectionString, script.Sql);

            Assert.Equal(latest, await SnapshotAsync(connectionString));
            await using var dataSource = NpgsqlDataSource.Create(connectionString);
            await using var journal = new PostgresEventJournal(dataSource, "svc", Microsoft.Extensions.Logging.Abstractions.NullLogger<PostgresEventJournal>.Instance);
            var row = Assert.Single(await journal.ReadQueueAsync(0, 0, 10));
            Assert.Equal(("before-006", null), (row.Entry.Key, row.Entry.TraceParent));
        }
        finally
        {
            await TestPostgres.DropDatabaseAsync(name);
        }
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Tables, columns, indexes, stored queries and applied versions, as one comparable text.</summary>
    private static async Task<string> SnapshotAsync(string connectionString)
    {
        const string sql = """
            SELECT concat_ws(E'\n--\n',
              (SELECT string_agg(format('%s.%s %s %s %s', table_name, column_name, data_type, is_nullable, column_default), E'\n'
                                 ORDER BY table_name, ordinal_position)
                 FROM information_schema.columns WHERE table_schema = 'public'),
              (SELECT string_agg(indexdef, E'\n' ORDER BY indexname) FROM pg_indexes WHERE schemaname = 'public'),
              (SELECT string_agg(QueryKey || ' ' || md5(QueryText), E'\n' ORDER BY QueryKey) FROM OrleansQuery),
              (SELECT string_agg(version || ' ' || name, E'\n' ORDER BY version) FROM schema_version))
            """;
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
