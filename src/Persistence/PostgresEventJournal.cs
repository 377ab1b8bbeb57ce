using System.Diagnostics;
using System.Threading.Channels;
using Distribution.Common;
using Distribution.Events;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace Distribution.Persistence;

/// <summary>
/// The event journal on PostgreSQL (schemas 004 and 006) with group commit per queue: appends queued by
/// concurrent callers go to the database together, one transaction per queue, and each caller
/// hears back only after the transactions holding its entries committed. A transaction holds its
/// queue's advisory lock, so within a queue sequences become visible in order across every process
/// writing the journal; different queues commit in parallel.
/// </summary>
public sealed class PostgresEventJournal : IEventJournal, IAsyncDisposable
{
    private const int MaxEntriesPerCommit = 5000;

    private const string InsertSql = """
        WITH input AS (
            SELECT * FROM unnest(@keys, @queues, @warehouses, @payloads, @occurred, @accepted, @correlations, @redrives, @traces)
                WITH ORDINALITY AS i(journal_key, queue, warehouse_id, payload, occurred_at, accepted_at, correlation_id, redrive_of, trace_parent, ord)
        )
        INSERT INTO event_journal (service_id, journal_key, sequence, queue, warehouse_id, payload, occurred_at, accepted_at, correlation_id, redrive_of, trace_parent)
        SELECT @service, journal_key, nextval('event_journal_sequence'), queue, warehouse_id, payload, occurred_at, accepted_at, correlation_id, redrive_of, trace_parent
        FROM input ORDER BY ord
        ON CONFLICT (service_id, journal_key) DO NOTHING
        RETURNING journal_key, sequence
        """;

    // Only for keys the insert skipped: their stored sequence, and whether the payload is the same
    // (duplicate) or not (conflict).
    private const string ExistingSql = "SELECT journal_key, sequence, payload FROM event_journal WHERE service_id = @service AND journal_key = ANY(@keys)";

    private const string Columns = "sequence, journal_key, queue, warehouse_id, payload, occurred_at, accepted_at, correlation_id, redrive_of, trace_parent";

    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;
    private readonly string _serviceId;
    private readonly ILogger _logger;
    private readonly Dictionary<int, Lane> _lanes = [];
    private bool _disposed;

    /// <param name="ownsDataSource">Dispose <paramref name="dataSource"/> with the journal (its connections closed at shutdown).</param>
    public PostgresEventJournal(NpgsqlDataSource dataSource, string serviceId, ILogger<PostgresEventJournal> logger, bool ownsDataSource = false)
    {
        _dataSource = dataSource;
        _ownsDataSource = ownsDataSource;
        _serviceId = serviceId;
        _logger = logger;
    }

    public async Task<IReadOnlyList<JournalAppendResult>> AppendAsync(IReadOnlyList<JournalEntry> entries, CancellationToken cancellationToken = default)
    {
        if (entries.Count == 0)
        {
            return [];
        }

        var parts = new List<(PendingAppend Pending, List<int> Indexes)>();
        foreach (var byQueue in entries.Select((e, i) => (Entry: e, Index: i)).GroupBy(x => x.Entry.Queue))
        {
            var pending = new PendingAppend([.. byQueue.Select(x => x.Entry)]);
            if (!LaneOf(byQueue.Key).Pending.Writer.TryWrite(pending))
            {
                throw new ObjectDisposedException(nameof(PostgresEventJournal));
            }

            parts.Add((pending, [.. byQueue.Select(x => x.Index)]));
        }

        var results = new JournalAppendResult[entries.Count];
        foreach (var (pending, indexes) in parts)
        {
            var answers = await pending.Completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < indexes.Count; i++)
            {
                results[indexes[i]] = answers[i];
            }
        }

        return results;
    }

    private Lane LaneOf(int queue)
    {
        lock (_lanes)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_lanes.TryGetValue(queue, out var lane))
            {
                _lanes[queue] = lane = new Lane(queue);
                lane.Loop = Task.Run(() => CommitLoopAsync(lane));
            }

            return lane;
        }
    }

    private async Task CommitLoopAsync(Lane lane)
    {
        var reader = lane.Pending.Reader;
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
                var started = Stopwatch.GetTimestamp();
                await CommitAsync(lane.Queue, group).ConfigureAwait(false);
                HubMetrics.JournalCommitDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
                HubMetrics.JournalCommitSize.Record(count);
            }
            catch (Exception e)
            {
                _logger.LogWarning(e, "Appending {Count} event(s) to journal queue {Queue} failed", count, lane.Queue);
                foreach (var p in group)
                {
                    p.Completion.TrySetException(e);
                }
            }
        }
    }

    private async Task CommitAsync(int queue, List<PendingAppend> group)
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
            await using (var batch = new NpgsqlBatch(connection, transaction))
            {
                var lockCommand = new NpgsqlBatchCommand("SELECT pg_advisory_xact_lock(hashtext('distribution.event_journal:' || @service), @queue)");
                lockCommand.Parameters.AddWithValue("service", _serviceId);
                lockCommand.Parameters.AddWithValue("queue", queue);
                batch.BatchCommands.Add(lockCommand);
                var insert = new NpgsqlBatchCommand(InsertSql);
                insert.Parameters.AddWithValue("service", _serviceId);
                insert.Parameters.Add(new NpgsqlParameter("keys", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = unique.Select(e => e.Key).ToArray() });
                insert.Parameters.Add(new NpgsqlParameter("queues", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = unique.Select(e => e.Queue).ToArray() });
                insert.Parameters.Add(new NpgsqlParameter("warehouses", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = unique.Select(e => e.WarehouseId).ToArray() });
                insert.Parameters.Add(new NpgsqlParameter("payloads", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = unique.Select(e => e.Payload).ToArray() });
                insert.Parameters.Add(new NpgsqlParameter("occurred", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = unique.Select(e => e.OccurredAt.UtcDateTime).ToArray() });
                insert.Parameters.Add(new NpgsqlParameter("accepted", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = unique.Select(e => e.AcceptedAt.UtcDateTime).ToArray() });
                insert.Parameters.Add(new NpgsqlParameter("correlations", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = unique.Select(e => e.CorrelationId).ToArray() });
                insert.Parameters.Add(new NpgsqlParameter("redrives", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = unique.Select(e => e.RedriveOf).ToArray() });
                insert.Parameters.Add(new NpgsqlParameter("traces", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = unique.Select(e => e.TraceParent).ToArray() });
                batch.BatchCommands.Add(insert);
                await using var reader = await batch.ExecuteReaderAsync().ConfigureAwait(false);
                await reader.NextResultAsync().ConfigureAwait(false); // past the lock's result
                while (await reader.ReadAsync().ConfigureAwait(false))
                {
                    results[firstIndex[reader.GetString(0)]] = new(JournalAppendStatus.Appended, reader.GetInt64(1));
                }
            }

            var skipped = unique.Where((_, i) => results[i] == default).ToList();
            if (skipped.Count > 0)
            {
                await using var existing = new NpgsqlCommand(ExistingSql, connection, transaction);
                existing.Parameters.AddWithValue("service", _serviceId);
                existing.Parameters.Add(new NpgsqlParameter("keys", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = skipped.Select(e => e.Key).ToArray() });
                await using var reader = await existing.ExecuteReaderAsync().ConfigureAwait(false);
                while (await reader.ReadAsync().ConfigureAwait(false))
                {
                    var index = firstIndex[reader.GetString(0)];
                    var same = string.Equals(reader.GetString(2), unique[index].Payload, StringComparison.Ordinal);
                    results[index] = new(same ? JournalAppendStatus.Duplicate : JournalAppendStatus.Conflict, reader.GetInt64(1));
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

    public async Task<IReadOnlyList<int>> CountPendingAsync(IReadOnlyList<int> queues, int cap, CancellationToken cancellationToken = default)
    {
        // An index range scan per queue on (service_id, queue, sequence), stopped at the cap.
        await using var command = _dataSource.CreateCommand("""
            SELECT q.queue, (
                SELECT count(*)::int FROM (
                    SELECT 1 FROM event_journal j
                    WHERE j.service_id = @service AND j.queue = q.queue
                      AND j.sequence > coalesce((SELECT c.sequence FROM event_journal_checkpoint c WHERE c.service_id = @service AND c.queue = q.queue), 0)
                    LIMIT @cap) AS pending)
            FROM unnest(@queues) AS q(queue)
            """);
        command.Parameters.AddWithValue("service", _serviceId);
        command.Parameters.AddWithValue("queues", queues.ToArray());
        command.Parameters.AddWithValue("cap", cap);
        var counts = queues.ToDictionary(q => q, _ => 0);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            counts[reader.GetInt32(0)] = reader.GetInt32(1);
        }

        return [.. queues.Select(q => counts[q])];
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
                RedriveOf: reader.IsDBNull(8) ? null : reader.GetString(8),
                TraceParent: reader.IsDBNull(9) ? null : reader.GetString(9))));
        }

        return entries;
    }

    public async ValueTask DisposeAsync()
    {
        List<Lane> lanes;
        lock (_lanes)
        {
            _disposed = true;
            lanes = [.. _lanes.Values];
        }

        foreach (var lane in lanes)
        {
            lane.Pending.Writer.TryComplete();
        }

        await Task.WhenAll(lanes.Select(l => l.Loop)).ConfigureAwait(false);
        if (_ownsDataSource)
        {
            await _dataSource.DisposeAsync().ConfigureAwait(false);
        }
    }

    private sealed class Lane(int queue)
    {
        public int Queue { get; } = queue;

        public Channel<PendingAppend> Pending { get; } = Channel.CreateUnbounded<PendingAppend>(new UnboundedChannelOptions { SingleReader = true });

        public Task Loop { get; set; } = Task.CompletedTask;
    }

    private sealed class PendingAppend(IReadOnlyList<JournalEntry> entries)
    {
        public IReadOnlyList<JournalEntry> Entries { get; } = entries;

        public TaskCompletionSource<IReadOnlyList<JournalAppendResult>> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
