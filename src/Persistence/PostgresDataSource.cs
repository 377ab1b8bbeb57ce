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
/// <para>
/// They also skip Npgsql's reset of a connection returned to the pool (<c>No Reset On Close</c>):
/// seven statements (<c>RESET ALL</c>, <c>CLOSE ALL</c>, <c>UNLISTEN *</c>, …) sent ahead of the
/// next command, ~16,000 times a minute under durable event load, to undo session state these
/// statements never set (no <c>SET</c>, no temporary tables, no session locks: the journal's lock
/// is the transaction's). A connection string that names its own setting keeps it.
/// </para>
/// </summary>
public static class PostgresDataSource
{
    /// <summary>Statements kept prepared per connection when the connection string does not say.</summary>
    public const int DefaultMaxAutoPrepare = 64;

    public static NpgsqlDataSource Create(string connectionString) =>
        NpgsqlDataSource.Create(WithStorageDefaults(connectionString));

    /// <summary>
    /// The connection string with <see cref="DefaultMaxAutoPrepare"/> and <c>No Reset On Close</c>
    /// added, each unless the string sets its own.
    /// </summary>
    public static string WithStorageDefaults(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        // Asked of a plain builder: what the string itself sets, not what Npgsql would default to.
        var written = new DbConnectionStringBuilder { ConnectionString = connectionString };
        var setsPrepare = written.ContainsKey("Max Auto Prepare") || written.ContainsKey("MaxAutoPrepare");
        var setsReset = written.ContainsKey("No Reset On Close") || written.ContainsKey("NoResetOnClose");
        if (setsPrepare && setsReset)
        {
            return connectionString;
        }

        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!setsPrepare)
        {
            builder.MaxAutoPrepare = DefaultMaxAutoPrepare;
        }

        if (!setsReset)
        {
            builder.NoResetOnClose = true;
        }

        return builder.ConnectionString;
    }
}
