using System.Threading.Channels;
using Distribution.Events;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace Distribution.Persistence;

/// <summary>
/// The event journal on PostgreSQL (schema 004) with group commit: appends queued by concurrent
/// callers go to the database together, in one transaction of two round trips, and each caller
/// hears back only after that transaction committed. The transaction holds an advisory lock so
/// sequences become visible in order across every process writing the journal.
/// </summary>
public sealed class PostgresEventJournal : IEventJournal, IAsyncDisposable
{
    private const int MaxEntriesPerCommit = 5000;

    // Rows whose key is already there are not inserted; the join reports the stored payload's
    // sequence and whether it is the same payload (duplicate) or not (conflict).
    private const string AppendSql = """
        WITH input AS (
            SELECT * FROM unnest(@keys, @queues, @warehouses, @payloads, @occurred, @accepted, @correlations, @redrives)
                WITH ORDINALITY AS i(journal_key, queue, warehouse_id, payload, occurred_at, accepted_at, correlation_id, redrive_of, ord)
        ), inserted AS (
            INSERT INTO event_journal (service_id, journal_key, sequence, queue, warehouse_id, payload, occurred_at, accepted_at, correlation_id, redrive_of)
            SELECT @service, journal_key, nextval('event_journal_sequence'), queue, warehouse_id, payload, occurred_at, accepted_at, correlation_id, redrive_of
            FROM input ORDER BY ord
            ON CONFLICT (service_id, journal_key) DO NOTHING
            RETURNING journal_key, sequence
        )
        SELECT i.ord, n.sequence, e.sequence, e.payload = i.payload
        FROM input i
        LEFT JOIN inserted n ON n.journal_key = i.journal_key
        LEFT JOIN event_journal e ON n.journal_key IS NULL AND e.service_id = @service AND e.journal_key = i.journal_key
        ORDER BY i.ord
        """;

    private const string Columns = "sequence, journal_key, queue, warehouse_id, payload, occurred_at, accepted_at, correlation_id, redrive_of";

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _serviceId;
    private readonly ILogger _logger;
    private readonly Channel<PendingAppend> _pending = Channel.CreateUnbounded<PendingAppend>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;

    public PostgresEventJournal(NpgsqlDataSource dataSource, string serviceId, ILogger<PostgresEventJournal> logger)
    {
        _dataSource = dataSource;
        _serviceId = serviceId;
        _logger = logger;
        _loop = Task.Run(CommitLoopAsync);
    }

    public async Task<IReadOnlyList<JournalAppendResult>> AppendAsync(IReadOnlyList<JournalEntry> entries, CancellationToken cancellationToken = default)
    {
        if (entries.Count == 0)
        {
            return [];
        }

        var pending = new PendingAppend(entries);
        if (!_pending.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(PostgresEventJournal));
        }

        return await pending.Completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task CommitLoopAsync()
    {
        var reader = _pending.Reader;
        var group = new List<PendingAppend>();
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            group.Clear();
            var count = 0;
            while (count < MaxEntriesPerCommit && reader.TryRead(out var next))
            {
                group.Add(next);
                count += next.Entries.Count;
            }

            try
            {
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                await CommitAsync(group).ConfigureAwait(false);
                Distribution.Common.HubMetrics.JournalCommitDuration.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
                Distribution.Common.HubMetrics.JournalCommitSize.Record(count);
            }
            catch (Exception e)
            {
                _logger.LogWarning(e, "Appending {Count} event(s) to the journal failed", count);
                foreach (var p in group)
                {
                    p.Completion.TrySetException(e);
                }
            }
        }
    }

    private async Task CommitAsync(List<PendingAppend> group)
    {
        // A key twice in one statement: the first goes to the database, the rest follow its result.
        var unique = new List<JournalEntry>();
        var firstIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in group.SelectMany(p => p.Entries))
        {
            if (firstIndex.TryAdd(entry.Key, unique.Count))
            {
                unique.Add(entry);
            }
        }

        var results = new JournalAppendResult[unique.Count];
        await using (var connection = await _dataSource.OpenConnectionAsync().ConfigureAwait(false))
        await using (var transaction = await connection.BeginTransactionAsync().ConfigureAwait(false))
        {
            await using var batch = new NpgsqlBatch(connection, transaction);
            var lockCommand = new NpgsqlBatchCommand("SELECT pg_advisory_xact_lock(hashtext('distribution.event_journal'), hashtext(@service))");
            lockCommand.Parameters.AddWithValue("service", _serviceId);
            batch.BatchCommands.Add(lockCommand);
            var append = new NpgsqlBatchCommand(AppendSql);
            append.Parameters.AddWithValue("service", _serviceId);
            append.Parameters.Add(new NpgsqlParameter("keys", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = unique.Select(e => e.Key).ToArray() });
            append.Parameters.Add(new NpgsqlParameter("queues", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = unique.Select(e => e.Queue).ToArray() });
            append.Parameters.Add(new NpgsqlParameter("warehouses", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = unique.Select(e => e.WarehouseId).ToArray() });
            append.Parameters.Add(new NpgsqlParameter("payloads", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = unique.Select(e => e.Payload).ToArray() });
            append.Parameters.Add(new NpgsqlParameter("occurred", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = unique.Select(e => e.OccurredAt.UtcDateTime).ToArray() });
            append.Parameters.Add(new NpgsqlParameter("accepted", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = unique.Select(e => e.AcceptedAt.UtcDateTime).ToArray() });
            append.Parameters.Add(new NpgsqlParameter("correlations", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = unique.Select(e => e.CorrelationId).ToArray() });
            append.Parameters.Add(new NpgsqlParameter("redrives", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = unique.Select(e => e.RedriveOf).ToArray() });
            batch.BatchCommands.Add(append);
            await using (var reader = await batch.ExecuteReaderAsync().ConfigureAwait(false))
            {
                await reader.NextResultAsync().ConfigureAwait(false); // past the lock's result
                while (await reader.ReadAsync().ConfigureAwait(false))
                {
                    var index = (int)reader.GetInt64(0) - 1;
                    results[index] = !reader.IsDBNull(1)
                        ? new(JournalAppendStatus.Appended, reader.GetInt64(1))
                        : new(reader.GetBoolean(3) ? JournalAppendStatus.Duplicate : JournalAppendStatus.Conflict, reader.GetInt64(2));
                }
            }

            await transaction.CommitAsync().ConfigureAwait(false);
        }

        foreach (var pending in group)
        {
            var answers = new JournalAppendResult[pending.Entries.Count];
            for (var i = 0; i < answers.Length; i++)
            {
                var entry = pending.Entries[i];
                var first = firstIndex[entry.Key];
                var result = results[first];
                answers[i] = ReferenceEquals(unique[first], entry)
                    ? result
                    : new(string.Equals(unique[first].Payload, entry.Payload, StringComparison.Ordinal) && result.Status != JournalAppendStatus.Conflict
                        ? JournalAppendStatus.Duplicate
                        : JournalAppendStatus.Conflict, result.Sequence);
            }

            pending.Completion.TrySetResult(answers);
        }
    }

    public Task<IReadOnlyList<StoredJournalEntry>> ReadQueueAsync(int queue, long afterSequence, int limit, CancellationToken cancellationToken = default) =>
        QueryAsync(
            $"SELECT {Columns} FROM event_journal WHERE service_id = @service AND queue = @queue AND sequence > @after ORDER BY sequence LIMIT @limit",
            c =>
            {
                c.Parameters.AddWithValue("queue", queue);
                c.Parameters.AddWithValue("after", afterSequence);
                c.Parameters.AddWithValue("limit", limit);
            },
            cancellationToken);

    public Task<IReadOnlyList<StoredJournalEntry>> ReadRangeAsync(
        DateTimeOffset from, DateTimeOffset to, string? warehouseId, long afterSequence, int limit, CancellationToken cancellationToken = default) =>
        QueryAsync(
            $"""
            SELECT {Columns} FROM event_journal
            WHERE service_id = @service AND accepted_at >= @from AND accepted_at < @to AND sequence > @after
              AND (@warehouse::text IS NULL OR warehouse_id = @warehouse)
            ORDER BY sequence LIMIT @limit
            """,
            c =>
            {
                c.Parameters.AddWithValue("from", from.UtcDateTime);
                c.Parameters.AddWithValue("to", to.UtcDateTime);
                c.Parameters.Add(new NpgsqlParameter("warehouse", NpgsqlDbType.Text) { Value = (object?)warehouseId ?? DBNull.Value });
                c.Parameters.AddWithValue("after", afterSequence);
                c.Parameters.AddWithValue("limit", limit);
            },
            cancellationToken);

    public async Task<long> ReadCheckpointAsync(int queue, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand("SELECT sequence FROM event_journal_checkpoint WHERE service_id = @service AND queue = @queue");
        command.Parameters.AddWithValue("service", _serviceId);
        command.Parameters.AddWithValue("queue", queue);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long sequence ? sequence : 0;
    }

    public async Task WriteCheckpointAsync(int queue, long sequence, CancellationToken cancellationToken = default)
    {
        // Never backwards: an agent that lost its queue to another silo may still report late.
        await using var command = _dataSource.CreateCommand("""
            INSERT INTO event_journal_checkpoint (service_id, queue, sequence) VALUES (@service, @queue, @sequence)
            ON CONFLICT (service_id, queue) DO UPDATE SET sequence = greatest(event_journal_checkpoint.sequence, excluded.sequence)
            """);
        command.Parameters.AddWithValue("service", _serviceId);
        command.Parameters.AddWithValue("queue", queue);
        command.Parameters.AddWithValue("sequence", sequence);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<int> PurgeAsync(DateTimeOffset occurredBefore, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand("DELETE FROM event_journal WHERE service_id = @service AND occurred_at < @before");
        command.Parameters.AddWithValue("service", _serviceId);
        command.Parameters.AddWithValue("before", occurredBefore.UtcDateTime);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<StoredJournalEntry>> QueryAsync(string sql, Action<NpgsqlCommand> bind, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(sql);
        command.Parameters.AddWithValue("service", _serviceId);
        bind(command);
        var entries = new List<StoredJournalEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            entries.Add(new StoredJournalEntry(reader.GetInt64(0), new JournalEntry(
                Key: reader.GetString(1),
                Queue: reader.GetInt32(2),
                WarehouseId: reader.GetString(3),
                Payload: reader.GetString(4),
                OccurredAt: reader.GetFieldValue<DateTimeOffset>(5),
                AcceptedAt: reader.GetFieldValue<DateTimeOffset>(6),
                CorrelationId: reader.IsDBNull(7) ? null : reader.GetString(7),
                RedriveOf: reader.IsDBNull(8) ? null : reader.GetString(8))));
        }

        return entries;
    }

    public async ValueTask DisposeAsync()
    {
        _pending.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
    }

    private sealed class PendingAppend(IReadOnlyList<JournalEntry> entries)
    {
        public IReadOnlyList<JournalEntry> Entries { get; } = entries;

        public TaskCompletionSource<IReadOnlyList<JournalAppendResult>> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
