using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Npgsql;

namespace Distribution.Persistence;

/// <summary>One versioned schema script embedded in this assembly (<c>Schema/NNN_name.sql</c>).</summary>
public sealed record SchemaScript(int Version, string Name, string Sql);

/// <summary>
/// The project's PostgreSQL schema: Orleans ADO.NET clustering and reminders (script 001), the
/// grain state of <see cref="BatchedGrainStorage"/> (002, 003 and its entries 005) and the event
/// journal of <see cref="PostgresEventJournal"/> (004, its trace column 006). Scripts are applied in
/// order, once each, recorded in <c>schema_version</c>, inside one transaction holding an advisory
/// lock, so running it twice or from several silos at once is safe.
/// </summary>
public static partial class PostgresSchema
{
    /// <summary>Key of the transaction-scoped advisory lock taken while migrating.</summary>
    public const long AdvisoryLockKey = 0x4469_7374_5363_6831; // "DistSch1"

    /// <summary>The embedded scripts, ordered by version.</summary>
    public static IReadOnlyList<SchemaScript> Scripts { get; } = LoadScripts();

    /// <summary>The version the schema has once every script is applied.</summary>
    public static int LatestVersion => Scripts[^1].Version;

    /// <summary>Applies the missing scripts; returns the schema version afterwards.</summary>
    public static async Task<int> ApplyAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        return await ApplyAsync(dataSource, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Applies the missing scripts; returns the schema version afterwards.</summary>
    public static async Task<int> ApplyAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

        // Fast path without the lock: a started cluster normally finds the schema up to date.
        if (await ReadVersionAsync(connection, null, cancellationToken).ConfigureAwait(false) >= LatestVersion)
        {
            return LatestVersion;
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", connection, transaction))
        {
            lockCommand.Parameters.AddWithValue("key", AdvisoryLockKey);
            await lockCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var create = new NpgsqlCommand(
            """
            CREATE TABLE IF NOT EXISTS schema_version
            (
                version    integer     NOT NULL PRIMARY KEY,
                name       text        NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """, connection, transaction))
        {
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var current = await ReadVersionAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        foreach (var script in Scripts.Where(s => s.Version > current))
        {
            await using (var apply = new NpgsqlCommand(script.Sql, connection, transaction))
            {
                await apply.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await using var record = new NpgsqlCommand(
                "INSERT INTO schema_version (version, name) VALUES (@version, @name)", connection, transaction);
            record.Parameters.AddWithValue("version", script.Version);
            record.Parameters.AddWithValue("name", script.Name);
            await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            current = script.Version;
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return current;
    }

    /// <summary>The applied schema version (0 when the database has none).</summary>
    public static async Task<int> GetVersionAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await ReadVersionAsync(connection, null, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<int> ReadVersionAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        // Two statements: a query naming schema_version cannot even be planned while it is missing.
        await using var command = new NpgsqlCommand("SELECT to_regclass('schema_version') IS NOT NULL", connection, transaction);
        var exists = (bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        if (!exists)
        {
            return 0;
        }

        command.CommandText = "SELECT coalesce(max(version), 0) FROM schema_version";
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }

    private static SchemaScript[] LoadScripts()
    {
        var assembly = typeof(PostgresSchema).Assembly;
        var scripts = new List<SchemaScript>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            var match = ScriptName().Match(resource);
            if (!match.Success)
            {
                continue;
            }

            scripts.Add(new SchemaScript(
                int.Parse(match.Groups["version"].Value, CultureInfo.InvariantCulture),
                match.Groups["name"].Value,
                ReadResource(assembly, resource)));
        }

        scripts.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 0; i < scripts.Count; i++)
        {
            if (scripts[i].Version != i + 1)
            {
                throw new InvalidOperationException(
                    $"Schema scripts must be numbered 001, 002, ... without gaps; found {scripts[i].Version:000} at position {i + 1}.");
            }
        }

        if (scripts.Count == 0)
        {
            throw new InvalidOperationException("No embedded schema scripts (Schema/NNN_*.sql) found.");
        }

        return [.. scripts];
    }

    private static string ReadResource(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Resource {resource} not found.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"(?:^|\.)_?(?<version>\d{3})_(?<name>[A-Za-z0-9_]+)\.sql$")]
    private static partial Regex ScriptName();
}
