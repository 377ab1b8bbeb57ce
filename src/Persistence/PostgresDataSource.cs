using System.Data.Common;
using Npgsql;

namespace Distribution.Persistence;

/// <summary>
/// Data sources for the project's own storage (grain state, event journal). Their statements are
/// few and fixed (arrays as parameters, never lists spliced into the text) and run thousands of
/// times a second, so they are prepared on each pooled connection: PostgreSQL then parses and
/// plans each once per connection instead of on every call (see BENCHMARKS.md, 2026-11-28).
/// A connection string that names its own <c>Max Auto Prepare</c> keeps it: <c>0</c> turns
/// preparing off, as a pooler that cannot carry prepared statements needs.
/// </summary>
public static class PostgresDataSource
{
    /// <summary>Statements kept prepared per connection when the connection string does not say.</summary>
    public const int DefaultMaxAutoPrepare = 64;

    public static NpgsqlDataSource Create(string connectionString) =>
        NpgsqlDataSource.Create(WithStorageDefaults(connectionString));

    /// <summary>The connection string with <see cref="DefaultMaxAutoPrepare"/> added unless it sets its own.</summary>
    public static string WithStorageDefaults(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        // Asked of a plain builder: what the string itself sets, not what Npgsql would default to.
        var written = new DbConnectionStringBuilder { ConnectionString = connectionString };
        if (written.ContainsKey("Max Auto Prepare") || written.ContainsKey("MaxAutoPrepare"))
        {
            return connectionString;
        }

        return new NpgsqlConnectionStringBuilder(connectionString) { MaxAutoPrepare = DefaultMaxAutoPrepare }.ConnectionString;
    }
}
