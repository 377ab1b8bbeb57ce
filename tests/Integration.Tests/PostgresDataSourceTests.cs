using Distribution.Persistence;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Distribution.Tests;

public sealed class PostgresDataSourceTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>, IAsyncLifetime
{
    public async Task InitializeAsync() => await PostgresSchema.ApplyAsync(database.ConnectionString);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public void A_connection_string_that_says_nothing_gets_the_storage_s_statements_prepared()
    {
        var built = new NpgsqlConnectionStringBuilder(PostgresDataSource.WithStorageDefaults("Host=127.0.0.1;Database=hub"));

        Assert.Equal(PostgresDataSource.DefaultMaxAutoPrepare, built.MaxAutoPrepare);
        Assert.True(built.NoResetOnClose);
        Assert.Equal("hub", built.Database);
    }

    [Theory]
    [InlineData("Host=127.0.0.1;Max Auto Prepare=0;No Reset On Close=false", 0, false)]
    [InlineData("Host=127.0.0.1;max auto prepare=8;noresetonclose=true", 8, true)]
    [InlineData("Host=127.0.0.1;MaxAutoPrepare=12;No Reset On Close=False", 12, false)]
    public void A_connection_string_that_sets_its_own_keeps_it(string connectionString, int prepare, bool noReset)
    {
        var kept = PostgresDataSource.WithStorageDefaults(connectionString);

        Assert.Equal(connectionString, kept);
        Assert.Equal(prepare, new NpgsqlConnectionStringBuilder(kept).MaxAutoPrepare);
        Assert.Equal(noReset, new NpgsqlConnectionStringBuilder(kept).NoResetOnClose);
    }

    [Theory]
    [InlineData("Host=127.0.0.1;Max Auto Prepare=0", 0, true)]
    [InlineData("Host=127.0.0.1;No Reset On Close=false", PostgresDataSource.DefaultMaxAutoPrepare, false)]
    public void A_connection_string_that_sets_one_of_them_gets_the_other(string connectionString, int prepare, bool noReset)
    {
        var built = new NpgsqlConnectionStringBuilder(PostgresDataSource.WithStorageDefaults(connectionString));

        Assert.Equal(prepare, built.MaxAutoPrepare);
        Assert.Equal(noReset, built.NoResetOnClose);
    }

    [Theory]
    [InlineData("", false)]
    [InlineData(";No Reset On Close=false", true)]
    public async Task A_pooled_connection_comes_back_without_a_reset_unless_asked_for(string extra, bool reset)
    {
        // One connection: the second open gets the session the first left. A setting made there
        // survives unless Npgsql reset the session (RESET ALL) on its way back to the pool.
        await using var dataSource = PostgresDataSource.Create(database.ConnectionString + ";Maximum Pool Size=1" + extra);
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            await using var set = new NpgsqlCommand("SET application_name = 'left-by-the-first-user'", connection);
            await set.ExecuteNonQueryAsync();
        }

        await using var again = await dataSource.OpenConnectionAsync();
        await using var read = new NpgsqlCommand("SHOW application_name", again);
        var name = (string)(await read.ExecuteScalarAsync())!;

        Assert.Equal(reset, name != "left-by-the-first-user");
    }

    [Theory]
    [InlineData("", true)]
    [InlineData(";Max Auto Prepare=0", false)]
    public async Task The_journal_s_statements_are_prepared_on_their_connection_unless_turned_off(string extra, bool prepared)
    {
        // One connection, so the statement that checks sees the session the journal used.
        await using var dataSource = PostgresDataSource.Create(database.ConnectionString + ";Maximum Pool Size=1" + extra);
        await using var journal = new PostgresEventJournal(dataSource, Guid.NewGuid().ToString("N"), NullLogger<PostgresEventJournal>.Instance);
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal([0, 0], await journal.CountPendingAsync([0, 1], cap: 100));
        }

        await using var check = dataSource.CreateCommand("SELECT count(*)::int FROM pg_prepared_statements WHERE statement LIKE '%event_journal_checkpoint%'");
        var count = (int)(await check.ExecuteScalarAsync())!;

        Assert.Equal(prepared, count > 0);
    }
}
