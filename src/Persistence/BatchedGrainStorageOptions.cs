using Npgsql;

namespace Distribution.Persistence;

/// <summary>Options of <see cref="BatchedGrainStorage"/>.</summary>
public sealed class BatchedGrainStorageOptions
{
    /// <summary>
    /// PostgreSQL connection string (ignored when <see cref="DataSource"/> is set). Statements are
    /// prepared per connection unless it sets <c>Max Auto Prepare</c> (<see cref="PostgresDataSource"/>).
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>An existing data source to use instead of <see cref="ConnectionString"/> (not disposed by the storage).</summary>
    public NpgsqlDataSource? DataSource { get; set; }

    /// <summary>
    /// The service whose rows this storage reads and writes, so several services can share one
    /// database. The silo registration fills it from ClusterOptions.ServiceId when not set.
    /// </summary>
    public string? ServiceId { get; set; }

    /// <summary>Write batches in flight at once (each on its own connection). Default 4.</summary>
    public int MaxConcurrentFlushes { get; set; } = 4;

    /// <summary>Most writes (and reads) sent in one statement. Default 512.</summary>
    public int MaxBatchSize { get; set; } = 512;

    /// <summary>
    /// Reads the wake-up time stored in <c>grain_state.wake_at</c> from a state object on every
    /// write (null = no wake-up). Lets a grain persist "wake me at T" together with its state.
    /// </summary>
    public Func<object, DateTimeOffset?>? WakeAtSelector { get; set; }

    /// <summary>Apply <see cref="PostgresSchema"/> when the silo starts (default true).</summary>
    public bool ApplySchemaOnStart { get; set; } = true;
}
