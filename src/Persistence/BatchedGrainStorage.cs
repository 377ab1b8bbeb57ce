using System.Collections.Concurrent;
using System.Threading.Channels;
using Distribution.Common;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;
using Orleans;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace Distribution.Persistence;

/// <summary>
/// <see cref="IGrainStorage"/> on PostgreSQL with group commit: every <c>WriteStateAsync</c> is
/// queued, one background loop writes everything queued (up to <see cref="BatchedGrainStorageOptions.MaxBatchSize"/>)
/// in ONE statement, and each caller is acknowledged only after that statement committed. While a
/// batch is in flight the next one fills up, so throughput grows with concurrency instead of
/// paying one round trip per grain write. Reads are batched the same way.
/// </summary>
/// <remarks>
/// Versions are optimistic-concurrency counters (etag = version as a string). A write whose
/// expected version does not match fails with <see cref="InconsistentStateException"/> for that
/// caller only; a database error fails every caller of that batch (they retry or deactivate) and
/// the loop goes on with the next batch. Two writes of the same grain never share a statement.
/// State is serialized with Orleans' binary serializer.
/// </remarks>
public sealed partial class BatchedGrainStorage
    : IGrainStorage, IGrainWakeQueue, IGrainStatePreloader, ILifecycleParticipant<ISiloLifecycle>, IDisposable, IAsyncDisposable
{
    // One statement per batch: version 1 rows are inserted (ON CONFLICT = someone else created it
    // first → conflict), later versions update the row only if it still holds version - 1.
    private const string WriteSql = """
        WITH input AS (
            SELECT * FROM unnest(@types, @ids, @versions, @payloads, @wakes)
                AS i(grain_type, grain_id, version, payload, wake_at)
        ), updated AS (
            UPDATE grain_state g
            SET version = i.version, payload = i.payload, wake_at = i.wake_at, updated_at = now()
            FROM input i
            WHERE i.version > 1
              AND g.service_id = @service AND g.grain_type = i.grain_type AND g.grain_id = i.grain_id
              AND g.version = i.version - 1
            RETURNING g.grain_type, g.grain_id
        ), inserted AS (
            INSERT INTO grain_state (service_id, grain_type, grain_id, version, payload, wake_at, updated_at)
            SELECT @service, i.grain_type, i.grain_id, i.version, i.payload, i.wake_at, now()
            FROM input i
            WHERE i.version = 1
            ON CONFLICT (service_id, grain_type, grain_id) DO NOTHING
            RETURNING grain_type, grain_id
        ), written AS (
            SELECT grain_type, grain_id FROM updated
            UNION ALL
            SELECT grain_type, grain_id FROM inserted
        ), changes AS (
            -- Entries follow their body: a write that lost its version check changes none.
            SELECT c.grain_type, c.grain_id, c.entry_key, c.payload
            FROM unnest(@entry_types, @entry_ids, @entry_keys, @entry_payloads)
                AS c(grain_type, grain_id, entry_key, payload)
            JOIN written w ON w.grain_type = c.grain_type AND w.grain_id = c.grain_id
        ), upserted AS (
            INSERT INTO grain_state_entry (service_id, grain_type, grain_id, entry_key, payload)
            SELECT @service, grain_type, grain_id, entry_key, payload FROM changes WHERE payload IS NOT NULL
            ON CONFLICT (service_id, grain_type, grain_id, entry_key) DO UPDATE SET payload = EXCLUDED.payload
        ), deleted AS (
            DELETE FROM grain_state_entry e
            USING changes c
            WHERE c.payload IS NULL
              AND e.service_id = @service AND e.grain_type = c.grain_type AND e.grain_id = c.grain_id AND e.entry_key = c.entry_key
        )
        SELECT grain_type, grain_id FROM written
        """;

    private const string ReadSql = """
        SELECT g.grain_type, g.grain_id, g.version, g.payload
        FROM unnest(@types, @ids) AS k(grain_type, grain_id)
        JOIN grain_state g ON g.service_id = @service AND g.grain_type = k.grain_type AND g.grain_id = k.grain_id
        """;

    // Not a join against the keys: PostgreSQL estimates a join's rows per grain from the table's
    // average, and while the item catalog's thousands of entries under one grain are most of the
    // table it hash-joined every read against the whole table (BENCHMARKS.md, 2026-11-28). Arrays
    // are estimated value by value and looked up in the primary key. Their cross product can match
    // grains not asked for: those have no body in this read and are ignored.
    internal const string ReadEntriesSql = """
        SELECT e.grain_type, e.grain_id, e.entry_key, e.payload
        FROM grain_state_entry e
        WHERE e.service_id = @service AND e.grain_type = ANY(@types) AND e.grain_id = ANY(@ids)
        """;

    // Preloading: a chunk of bodies in key order (keyset paging on the primary key), then the
    // entries of exactly that key range; both in one repeatable-read transaction (one snapshot).
    private const string PreloadSql = """
        SELECT grain_id, version, payload
        FROM grain_state
        WHERE service_id = @service AND grain_type = @type AND grain_id > @after
        ORDER BY grain_id
        LIMIT @limit
        """;

    private const string PreloadEntriesSql = """
        SELECT grain_id, entry_key, payload
        FROM grain_state_entry
        WHERE service_id = @service AND grain_type = @type AND grain_id > @after AND grain_id <= @last
        """;

    private const string DueSql = """
        SELECT grain_id
        FROM grain_state
        WHERE service_id = @service AND wake_at <= @now
        GROUP BY grain_id
        ORDER BY min(wake_at)
        LIMIT @limit
        """;

    private readonly string _name;
    private readonly BatchedGrainStorageOptions _options;
    private readonly Serializer _serializer;
    private readonly IActivatorProvider _activators;
    private readonly ILogger _logger;
    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;
    private readonly int _maxBatchSize;
    private readonly Channel<WriteRequest> _writes =
        Channel.CreateUnbounded<WriteRequest>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Channel<ReadRequest> _reads =
        Channel.CreateUnbounded<ReadRequest>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writeLoop;
    private readonly SemaphoreSlim _flushSlots;
    private readonly Task _readLoop;
    /// <summary>Rows a warm-up holds (<see cref="HoldAsync"/>), each taken by the first read of its grain.</summary>
    private readonly ConcurrentDictionary<(string, string), StoredRow> _preloaded = new();
    // Holds not yet disposed: reads and writes look at the held rows only while there is one
    // (ConcurrentDictionary.IsEmpty takes every lock of the dictionary, on every write).
    private int _holds;
    private long _flushedBatches;
    private long _flushedWrites;
    private long _failedBatches;
    private long _readBatches;
    private int _stopped;
    private int _disposed;

    /// <summary>Creates the storage and starts its flush loops.</summary>
    public BatchedGrainStorage(
        string name,
        BatchedGrainStorageOptions options,
        Serializer serializer,
        IActivatorProvider activatorProvider,
        ILogger<BatchedGrainStorage>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(serializer);
        ArgumentNullException.ThrowIfNull(activatorProvider);
        if (options.MaxBatchSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxBatchSize, "MaxBatchSize must be at least 1.");
        }

        _name = name;
        _options = options;
        _serializer = serializer;
        _activators = activatorProvider;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _maxBatchSize = options.MaxBatchSize;
        if (options.DataSource is { } dataSource)
        {
            _dataSource = dataSource;
        }
        else
        {
            if (string.IsNullOrWhiteSpace(options.ConnectionString))
            {
                throw new ArgumentException($"Grain storage '{name}': set ConnectionString or DataSource.", nameof(options));
            }

            _dataSource = PostgresDataSource.Create(options.ConnectionString);
            _ownsDataSource = true;
        }

        _flushSlots = new SemaphoreSlim(Math.Max(1, options.MaxConcurrentFlushes));
        _writeLoop = Task.Run(WriteLoopAsync);
        _readLoop = Task.Run(ReadLoopAsync);
    }

    /// <summary>The provider name.</summary>
    public string Name => _name;

    /// <summary>Write statements that committed (one per batch).</summary>
    public long FlushedBatches => Interlocked.Read(ref _flushedBatches);

    /// <summary>Writes carried by committed batches (acknowledged or rejected as conflicts).</summary>
    public long FlushedWrites => Interlocked.Read(ref _flushedWrites);

    /// <summary>Write batches that failed with a database error.</summary>
    public long FailedBatches => Interlocked.Read(ref _failedBatches);

    /// <summary>Read statements executed (one per read batch).</summary>
    public long ReadBatches => Interlocked.Read(ref _readBatches);

    /// <inheritdoc />
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ReadStateAsync(stateName, grainId, grainState, CancellationToken.None);

    /// <inheritdoc />
    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var request = new ReadRequest(GrainStateKeys.GrainType(stateName, grainId), GrainStateKeys.GrainIdText(grainId));
        StoredRow? stored;
        if (Volatile.Read(ref _holds) > 0 && _preloaded.TryRemove(request.Key, out var preloaded))
        {
            stored = preloaded;
        }
        else
        {
            Enqueue(_reads, request);
            stored = await request.Task.WaitAsync(cancellationToken);
        }

        if (stored is { } row)
        {
            grainState.State = _serializer.Deserialize<T>(row.Payload);
            if (grainState.State is IHasStoredEntries entries)
            {
                entries.LoadEntries(row.Entries.Select(e => new KeyValuePair<string, object>(e.Key, _serializer.Deserialize<object>(e.Value)!)));
            }

            grainState.ETag = GrainStateKeys.ETag(row.Version);
            grainState.RecordExists = true;
        }
        else
        {
            grainState.State = CreateInstance<T>();
            grainState.ETag = null;
            grainState.RecordExists = false;
        }
    }

    /// <inheritdoc />
    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        WriteStateAsync(stateName, grainId, grainState, CancellationToken.None);

    /// <inheritdoc />
    /// <remarks>
    /// Cancellation stops the wait only; a write already queued may still commit, and the next
    /// write then fails with <see cref="InconsistentStateException"/> as it should.
    /// </remarks>
    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var grainType = GrainStateKeys.GrainType(stateName, grainId);
        var id = GrainStateKeys.GrainIdText(grainId);
        var version = GrainStateKeys.ExpectedVersion(grainState.ETag, grainType, id) + 1;
        var payload = _serializer.SerializeToArray(grainState.State);
        var entries = grainState.State is IHasStoredEntries stored
            ? stored.TakeChangedEntries().Select(e => new KeyValuePair<string, byte[]?>(e.Key, e.Value is null ? null : _serializer.SerializeToArray(e.Value))).ToList()
            : null;
        DateTime? wakeAt = grainState.State is { } state && _options.WakeAtSelector?.Invoke(state) is { } wake
            ? wake.UtcDateTime
            : null;

        var request = new WriteRequest(grainType, id, version, payload, wakeAt, grainState.ETag, entries);
        // A held row is older than this write: a reactivation must not read it.
        if (Volatile.Read(ref _holds) > 0)
        {
            _preloaded.TryRemove(request.Key, out _);
        }

        Enqueue(_writes, request);
        await request.Task.WaitAsync(cancellationToken);
        grainState.ETag = GrainStateKeys.ETag(version);
        grainState.RecordExists = true;
    }

    /// <inheritdoc />
    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ClearStateAsync(stateName, grainId, grainState, CancellationToken.None);

    /// <inheritdoc />
    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        ThrowIfStopped();
        var grainType = GrainStateKeys.GrainType(stateName, grainId);
        var id = GrainStateKeys.GrainIdText(grainId);
        var expected = GrainStateKeys.ExpectedVersion(grainState.ETag, grainType, id);

        await using var command = _dataSource.CreateCommand(expected == 0
            ? "SELECT count(*)::int FROM grain_state WHERE service_id = @service AND grain_type = @type AND grain_id = @id"
            : """
              WITH cleared AS (
                  DELETE FROM grain_state WHERE service_id = @service AND grain_type = @type AND grain_id = @id AND version = @version
                  RETURNING grain_type, grain_id
              ), entries AS (
                  DELETE FROM grain_state_entry e USING cleared c
                  WHERE e.service_id = @service AND e.grain_type = c.grain_type AND e.grain_id = c.grain_id
              )
              SELECT count(*)::int FROM cleared
              """);
        command.Parameters.Add(ServiceParameter());
        command.Parameters.Add(new NpgsqlParameter<string>("type", NpgsqlDbType.Text) { TypedValue = grainType });
        command.Parameters.Add(new NpgsqlParameter<string>("id", NpgsqlDbType.Text) { TypedValue = id });
        bool ok;
        if (expected == 0)
        {
            // Nothing stored as far as the caller knows: fine only if nothing is stored indeed.
            ok = (int)(await command.ExecuteScalarAsync(cancellationToken))! == 0;
        }
        else
        {
            command.Parameters.Add(new NpgsqlParameter<int>("version", NpgsqlDbType.Integer) { TypedValue = expected });
            ok = (int)(await command.ExecuteScalarAsync(cancellationToken))! == 1;
        }

        if (!ok)
        {
            throw GrainStateKeys.Conflict("Clear", grainType, id, grainState.ETag);
        }

        grainState.State = CreateInstance<T>();
        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<GrainId>> GetDueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await using var command = _dataSource.CreateCommand(DueSql);
        command.Parameters.Add(ServiceParameter());
        command.Parameters.Add(new NpgsqlParameter<DateTime>("now", NpgsqlDbType.TimestampTz) { TypedValue = now.UtcDateTime });
        command.Parameters.Add(new NpgsqlParameter<int>("limit", NpgsqlDbType.Integer) { TypedValue = limit });
        var due = new List<GrainId>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            due.Add(GrainId.Parse(reader.GetString(0)));
        }

        return due;
    }

    /// <inheritdoc />
    /// <remarks>
    /// Two statements per chunk; the next chunk is read while this one is decoded. A write on this
    /// silo drops the grain's held row. A held row can still be stale if another silo writes the
    /// grain before it activates here (or a write here races the read of its chunk); the grain's
    /// first write then fails the version check like any stale writer's, and it reads again.
    /// </remarks>
    public async Task<GrainStateHold> HoldAsync(
        GrainType grainType, string stateName, int chunkSize, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkSize, 1);
        ThrowIfStopped();
        var type = GrainStateKeys.GrainType(stateName, grainType);
        var ids = new List<GrainId>();
        Interlocked.Increment(ref _holds);
        var hold = new GrainStateHold(ids, grain => _preloaded.ContainsKey((type, GrainStateKeys.GrainIdText(grain))), () =>
        {
            // What is left of this grain type's rows (enumerating takes no lock of the dictionary).
            foreach (var (key, _) in _preloaded)
            {
                if (key.Item1 == type)
                {
                    _preloaded.TryRemove(key, out _);
                }
            }

            Interlocked.Decrement(ref _holds);
        });
        try
        {
            var next = ReadChunkAsync(type, "", chunkSize, cancellationToken);
            while (true)
            {
                var chunk = await next;
                if (chunk.Count == 0)
                {
                    break;
                }

                next = chunk.Count < chunkSize
                    ? Task.FromResult<List<(string Id, StoredRow Row)>>([])
                    : ReadChunkAsync(type, chunk[^1].Id, chunkSize, cancellationToken);
                foreach (var (id, row) in chunk)
                {
                    _preloaded[(type, id)] = row;
                    ids.Add(GrainId.Parse(id));
                }

                progress?.Report(ids.Count);
            }
        }
        catch
        {
            hold.Dispose();
            throw;
        }

        return hold;
    }

    /// <summary>The next <paramref name="limit"/> rows of <paramref name="type"/> after <paramref name="after"/>, with their entries, in key order.</summary>
    private async Task<List<(string Id, StoredRow Row)>> ReadChunkAsync(string type, string after, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        var chunk = new List<(string Id, StoredRow Row)>(limit);
        await using (var bodies = new NpgsqlCommand(PreloadSql, connection, transaction))
        {
            bodies.Parameters.Add(ServiceParameter());
            bodies.Parameters.Add(new NpgsqlParameter<string>("type", NpgsqlDbType.Text) { TypedValue = type });
            bodies.Parameters.Add(new NpgsqlParameter<string>("after", NpgsqlDbType.Text) { TypedValue = after });
            bodies.Parameters.Add(new NpgsqlParameter<int>("limit", NpgsqlDbType.Integer) { TypedValue = limit });
            await using var reader = await bodies.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                chunk.Add((reader.GetString(0), new StoredRow(reader.GetInt32(1), reader.GetFieldValue<byte[]>(2), [])));
            }
        }

        if (chunk.Count > 0)
        {
            // The range (after, last] in the index's own order: exactly the chunk's grains.
            var byId = chunk.ToDictionary(c => c.Id, c => c.Row, StringComparer.Ordinal);
            await using var entries = new NpgsqlCommand(PreloadEntriesSql, connection, transaction);
            entries.Parameters.Add(ServiceParameter());
            entries.Parameters.Add(new NpgsqlParameter<string>("type", NpgsqlDbType.Text) { TypedValue = type });
            entries.Parameters.Add(new NpgsqlParameter<string>("after", NpgsqlDbType.Text) { TypedValue = after });
            entries.Parameters.Add(new NpgsqlParameter<string>("last", NpgsqlDbType.Text) { TypedValue = chunk[^1].Id });
            await using var reader = await entries.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                if (byId.TryGetValue(reader.GetString(0), out var row))
                {
                    row.Entries.Add(new(reader.GetString(1), reader.GetFieldValue<byte[]>(2)));
                }
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return chunk;
    }

    private NpgsqlParameter<string> ServiceParameter() =>
        new("service", NpgsqlDbType.Text) { TypedValue = _options.ServiceId ?? "default" };

    /// <inheritdoc />
    public void Participate(ISiloLifecycle lifecycle)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        lifecycle.Subscribe(
            $"{nameof(BatchedGrainStorage)}-{_name}",
            ServiceLifecycleStage.RuntimeStorageServices,
            async ct =>
            {
                if (_options.ApplySchemaOnStart)
                {
                    await PostgresSchema.ApplyAsync(_dataSource, ct);
                }
            },
            StopAsync);
    }

    /// <summary>
    /// Stops accepting work, flushes what is queued and waits for the loops. Called by the silo
    /// lifecycle (after grains deactivated) and by Dispose.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 0)
        {
            _writes.Writer.TryComplete();
            _reads.Writer.TryComplete();
        }

        await Task.WhenAll(_writeLoop, _readLoop).WaitAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            await StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            LogStopTimeout(_logger, _name);
        }

        if (_ownsDataSource)
        {
            await _dataSource.DisposeAsync();
        }
    }

    /// <inheritdoc />
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private T CreateInstance<T>() => _activators.GetActivator<T>().Create();

    private void Enqueue<TRequest>(Channel<TRequest> channel, TRequest request)
    {
        if (!channel.Writer.TryWrite(request))
        {
            throw Stopped();
        }
    }

    private void ThrowIfStopped()
    {
        if (Volatile.Read(ref _stopped) != 0)
        {
            throw Stopped();
        }
    }

    private OrleansException Stopped() => new($"Grain storage '{_name}' is stopped.");

    private async Task WriteLoopAsync()
    {
        var reader = _writes.Reader;
        var deferred = new Queue<WriteRequest>();
        var batch = new List<WriteRequest>(_maxBatchSize);
        var keys = new HashSet<(string, string)>();
        while (deferred.Count > 0 || await reader.WaitToReadAsync())
        {
            batch.Clear();
            keys.Clear();

            // Writes held back from the previous batch go first, in their order. A second write of a
            // grain already in this batch waits for the next one: one statement never carries two
            // versions of a grain.
            for (var n = deferred.Count; n > 0; n--)
            {
                var request = deferred.Dequeue();
                if (batch.Count < _maxBatchSize && keys.Add(request.Key))
                {
                    batch.Add(request);
                }
                else
                {
                    deferred.Enqueue(request);
                }
            }

            while (batch.Count < _maxBatchSize && reader.TryRead(out var request))
            {
                if (keys.Add(request.Key))
                {
                    batch.Add(request);
                }
                else
                {
                    deferred.Enqueue(request);
                }
            }

            if (batch.Count > 0)
            {
                // Several batches in flight let PostgreSQL group their commits (one WAL flush for
                // many transactions) instead of paying a flush per round trip. A grain never has
                // two writes outstanding, so concurrent batches never race on one grain.
                await _flushSlots.WaitAsync();
                var flushing = batch;
                batch = new List<WriteRequest>(_maxBatchSize);
                _ = FlushAndReleaseAsync(flushing);
            }
        }

        for (var i = 0; i < _options.MaxConcurrentFlushes; i++)
        {
            await _flushSlots.WaitAsync();
        }
    }

    private async Task FlushAndReleaseAsync(List<WriteRequest> batch)
    {
        try
        {
            await FlushWritesAsync(batch);
        }
        finally
        {
            _flushSlots.Release();
        }
    }

    private async Task FlushWritesAsync(List<WriteRequest> batch)
    {
        var count = batch.Count;
        var types = new string[count];
        var ids = new string[count];
        var versions = new int[count];
        var payloads = new byte[count][];
        var wakes = new DateTime?[count];
        var entryTypes = new List<string>();
        var entryIds = new List<string>();
        var entryKeys = new List<string>();
        var entryPayloads = new List<byte[]?>();
        for (var i = 0; i < count; i++)
        {
            var request = batch[i];
            types[i] = request.GrainType;
            ids[i] = request.GrainId;
            versions[i] = request.Version;
            payloads[i] = request.Payload;
            wakes[i] = request.WakeAt;
            foreach (var (key, entry) in request.Entries ?? [])
            {
                entryTypes.Add(request.GrainType);
                entryIds.Add(request.GrainId);
                entryKeys.Add(key);
                entryPayloads.Add(entry);
            }
        }

        var written = new HashSet<(string, string)>(count);
        try
        {
            await using var command = _dataSource.CreateCommand(WriteSql);
            command.Parameters.Add(ServiceParameter());
            command.Parameters.Add(new NpgsqlParameter<string[]>("types", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = types });
            command.Parameters.Add(new NpgsqlParameter<string[]>("ids", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = ids });
            command.Parameters.Add(new NpgsqlParameter<int[]>("versions", NpgsqlDbType.Array | NpgsqlDbType.Integer) { TypedValue = versions });
            command.Parameters.Add(new NpgsqlParameter<byte[][]>("payloads", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { TypedValue = payloads });
            command.Parameters.Add(new NpgsqlParameter<DateTime?[]>("wakes", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { TypedValue = wakes });
            command.Parameters.Add(new NpgsqlParameter<string[]>("entry_types", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = [.. entryTypes] });
            command.Parameters.Add(new NpgsqlParameter<string[]>("entry_ids", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = [.. entryIds] });
            command.Parameters.Add(new NpgsqlParameter<string[]>("entry_keys", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = [.. entryKeys] });
            command.Parameters.Add(new NpgsqlParameter<byte[]?[]>("entry_payloads", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { TypedValue = [.. entryPayloads] });

            // Read to the end (disposing the reader consumes the rest): only then has the implicit
            // transaction committed and may callers be acknowledged.
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    written.Add((reader.GetString(0), reader.GetString(1)));
                }
            }
        }
        catch (Exception ex)
        {
            Interlocked.Increment(ref _failedBatches);
            LogBatchFailed(_logger, ex, _name, count);
            foreach (var request in batch)
            {
                request.TrySetException(new OrleansException(
                    $"Grain storage '{_name}': the batch of {count} writes carrying {request.GrainType} {request.GrainId} failed: {ex.Message}", ex));
            }

            return;
        }

        Interlocked.Increment(ref _flushedBatches);
        Interlocked.Add(ref _flushedWrites, count);
        foreach (var request in batch)
        {
            if (written.Contains(request.Key))
            {
                request.TrySetResult();
            }
            else
            {
                request.TrySetException(GrainStateKeys.Conflict("Write", request.GrainType, request.GrainId, request.ETag));
            }
        }
    }

    private async Task ReadLoopAsync()
    {
        var reader = _reads.Reader;
        var batch = new List<ReadRequest>(_maxBatchSize);
        while (await reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < _maxBatchSize && reader.TryRead(out var request))
            {
                batch.Add(request);
            }

            if (batch.Count > 0)
            {
                await FlushReadsAsync(batch);
            }
        }
    }

    private async Task FlushReadsAsync(List<ReadRequest> batch)
    {
        var distinct = new HashSet<(string, string)>(batch.Count);
        var types = new List<string>(batch.Count);
        var ids = new List<string>(batch.Count);
        foreach (var request in batch)
        {
            if (distinct.Add(request.Key))
            {
                types.Add(request.GrainType);
                ids.Add(request.GrainId);
            }
        }

        var rows = new Dictionary<(string, string), StoredRow>(types.Count);
        try
        {
            // Bodies and entries in one round trip and one snapshot (an implicit transaction).
            await using var batchCommand = _dataSource.CreateBatch();
            string[] typeArray = [.. types], idArray = [.. ids];
            foreach (var sql in new[] { ReadSql, ReadEntriesSql })
            {
                var command = new NpgsqlBatchCommand(sql);
                command.Parameters.Add(ServiceParameter());
                command.Parameters.Add(new NpgsqlParameter<string[]>("types", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = typeArray });
                command.Parameters.Add(new NpgsqlParameter<string[]>("ids", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = idArray });
                batchCommand.BatchCommands.Add(command);
            }

            await using var reader = await batchCommand.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                rows[(reader.GetString(0), reader.GetString(1))] =
                    new StoredRow(reader.GetInt32(2), reader.GetFieldValue<byte[]>(3), []);
            }

            await reader.NextResultAsync();
            while (await reader.ReadAsync())
            {
                // An entry of a grain not asked for, or without its body (cannot happen: they are
                // written and cleared together), is ignored.
                if (rows.TryGetValue((reader.GetString(0), reader.GetString(1)), out var row))
                {
                    row.Entries.Add(new(reader.GetString(2), reader.GetFieldValue<byte[]>(3)));
                }
            }
        }
        catch (Exception ex)
        {
            LogReadBatchFailed(_logger, ex, _name, batch.Count);
            foreach (var request in batch)
            {
                request.TrySetException(new OrleansException(
                    $"Grain storage '{_name}': reading {request.GrainType} {request.GrainId} failed: {ex.Message}", ex));
            }

            return;
        }

        Interlocked.Increment(ref _readBatches);
        foreach (var request in batch)
        {
            request.TrySetResult(rows.TryGetValue(request.Key, out var row) ? row : null);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Grain storage {Name}: a batch of {Count} writes failed; its callers get the error")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception, string name, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Grain storage {Name}: a batch of {Count} reads failed")]
    private static partial void LogReadBatchFailed(ILogger logger, Exception exception, string name, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Grain storage {Name}: queued work did not finish within 30 s of stopping")]
    private static partial void LogStopTimeout(ILogger logger, string name);

    private readonly record struct StoredRow(int Version, byte[] Payload, List<KeyValuePair<string, byte[]>> Entries);

    private sealed class WriteRequest(
        string grainType, string grainId, int version, byte[] payload, DateTime? wakeAt, string? etag, List<KeyValuePair<string, byte[]?>>? entries)
        : TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public string GrainType { get; } = grainType;
        public string GrainId { get; } = grainId;
        public int Version { get; } = version;
        public byte[] Payload { get; } = payload;
        public DateTime? WakeAt { get; } = wakeAt;
        public string? ETag { get; } = etag;
        /// <summary>Changed entries of an <see cref="IHasStoredEntries"/> state (null payload: removed).</summary>
        public List<KeyValuePair<string, byte[]?>>? Entries { get; } = entries;
        public (string, string) Key => (GrainType, GrainId);
    }

    private sealed class ReadRequest(string grainType, string grainId)
        : TaskCompletionSource<StoredRow?>(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public string GrainType { get; } = grainType;
        public string GrainId { get; } = grainId;
        public (string, string) Key => (GrainType, GrainId);
    }
}
