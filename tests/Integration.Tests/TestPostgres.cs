using Npgsql;

namespace Distribution.Tests;

/// <summary>
/// The PostgreSQL the integration tests run against: <c>DISTRIBUTION_TEST_PG</c> is the admin
/// connection string (the role needs CREATEDB); each test class creates its own database with it.
/// </summary>
public static class TestPostgres
{
    public const string Variable = "DISTRIBUTION_TEST_PG";

    public static string AdminConnectionString =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{Variable} is not set. The integration tests need a real PostgreSQL: run scripts/test.sh, "
                + $"or run 'bash scripts/postgres.sh' and export {Variable} with the connection string it prints on its last line.");

    /// <summary>Creates an empty database with a unique name; returns its connection string.</summary>
    public static async Task<(string Name, string ConnectionString)> CreateDatabaseAsync(string prefix)
    {
        var name = $"{prefix}_{Guid.NewGuid():N}".ToLowerInvariant();
        if (name.Length > 63)
        {
            name = name[..63];
        }

        await using (var admin = new NpgsqlConnection(AdminConnectionString))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
            await create.ExecuteNonQueryAsync();
        }

        var builder = new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name };
        return (name, builder.ConnectionString);
    }

    public static async Task DropDatabaseAsync(string name)
    {
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(AdminConnectionString);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }
}

/// <summary>A fresh database per test class (xunit class fixture), dropped when the class is done.</summary>
public sealed class PostgresDatabase : IAsyncLifetime
{
    private string? _name;
    private string? _connectionString;

    public string Name => _name ?? throw new InvalidOperationException("Database not created.");

    public string ConnectionString => _connectionString ?? throw new InvalidOperationException("Database not created.");

    public async Task InitializeAsync() => (_name, _connectionString) = await TestPostgres.CreateDatabaseAsync("dist_test");

    public async Task DisposeAsync()
    {
        if (_name is not null)
        {
            await TestPostgres.DropDatabaseAsync(_name);
        }
    }

    public async Task<T> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return (T)(await command.ExecuteScalarAsync())!;
    }

    public async Task<int> ExecuteAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return await command.ExecuteNonQueryAsync();
    }
}
