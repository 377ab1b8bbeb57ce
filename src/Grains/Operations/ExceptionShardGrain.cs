using Distribution.Common;
using Distribution.Events;
using Distribution.Events.Streaming;
using Distribution.Integration.BusinessEvents;
using Distribution.Integration.Webhooks;
using Distribution.Orders;

namespace Distribution.Operations;

/// <summary>
/// One shard of the exception queue. Reentrant with one coalesced write, because grains raise
/// exceptions from inside their own turns and a burst of dead letters should not queue up.
/// </summary>
[Reentrant]
public sealed class ExceptionShardGrain : Grain, IExceptionShardGrain
{
    private readonly IPersistentState<ExceptionShardState> _state;
    private readonly IEventJournal _journal;
    private readonly EventStreams _streams;
    private readonly TimeProvider _time;
    private readonly CoalescedWriter _writer;

    public ExceptionShardGrain(
        [PersistentState("exceptions", GrainStorage.Name)] IPersistentState<ExceptionShardState> state,
        IEventJournal journal,
        EventStreams streams,
        TimeProvider time,
        ILogger<ExceptionShardGrain> logger)
    {
        _state = state;
        _journal = journal;
        _streams = streams;
        _time = time;
        _writer = CoalescedWriter.ForState(this, _state, logger);
    }

    private Dictionary<string, ExceptionRecord> Records => _state.State.Exceptions;

    public async Task Raise(ExceptionRaise exception)
    {
        var now = _time.GetUtcNow();
        if (!Records.TryGetValue(exception.Id, out var record))
        {
            Records[exception.Id] = new ExceptionRecord
            {
                Raised = exception,
                Status = ExceptionStatus.Open,
                RaisedAt = now,
                UpdatedAt = now,
                History = [new(now, "raised", exception.Reason, exception.CorrelationId)],
            };
        }
        else if (exception.Event is { } e && record.Event?.Sequence == e.Sequence)
        {
            // The same occurrence again (a redelivered event): nothing new.
        }
        else
        {
            record.Occurrences++;
            record.Raised = exception with { Event = exception.Event ?? record.Event };
            record.UpdatedAt = now;
            var reopened = record.Status != ExceptionStatus.Open;
            record.Status = ExceptionStatus.Open;
            AddHistory(record, new(now, reopened ? "reopened" : "raised again", exception.Reason, exception.CorrelationId));
        }

        await _writer.WriteAsync();
        // Published on every raise, the same occurrence included (same event id): a raise repeated
        // after a crash publishes what the first may not have.
        if (exception.Kind != ExceptionKind.WebhookFailed)
        {
            await BusinessEventBus.Publish(GrainFactory, [ExceptionEvents.Raised(exception.Id, Records[exception.Id])]);
        }
    }

    public Task<ExceptionView?> Get(string id) => Task.FromResult(Records.TryGetValue(id, out var r) ? View(id, r) : null);

    public Task<IReadOnlyList<ExceptionView>> List(ExceptionFilter filter) => Task.FromResult<IReadOnlyList<ExceptionView>>(
        [.. Records.Where(r => Matches(r.Value, filter)).Select(r => View(r.Key, r.Value))]);

    public Task<IReadOnlyDictionary<ExceptionKind, int>> CountOpen() => Task.FromResult<IReadOnlyDictionary<ExceptionKind, int>>(
        Records.Values.Where(r => r.Status != ExceptionStatus.Resolved)
            .GroupBy(r => r.Raised.Kind)
            .ToDictionary(g => g.Key, g => g.Count()));

    public async Task<ExceptionCommandResult> Retry(string id)
    {
        if (!Records.TryGetValue(id, out var record))
        {
            return NotFound(id);
        }

        if (record.Status != ExceptionStatus.Open)
        {
            return new(CommandOutcome.Conflict, View(id, record), [new("status", $"a {record.Status.ToString().ToLowerInvariant()} exception cannot be retried")]);
        }

        if (!record.Raised.Retryable)
        {
            return new(CommandOutcome.Conflict, View(id, record), [new("kind", $"nothing to retry for a {record.Raised.Kind} exception; resolve it with a note")]);
        }

        var now = _time.GetUtcNow();
        var correlationId = CorrelationContext.Current;
        // Marked before the first await: a second retry arriving meanwhile is refused, not doubled.
        record.Status = ExceptionStatus.Retrying;
        record.Retries++;
        try
        {
            if (record.Event is { } journaled)
            {
                await RedriveAsync(id, record, journaled, now, correlationId);
            }
            else if (record.Raised.Kind == ExceptionKind.BackorderOverdue && record.Raised.OrderId is { } orderId)
            {
                AddHistory(record, new(now, "retried", "allocation of the backordered lines re-run", correlationId));
                var left = await GrainFactory.GetGrain<IOrderGrain>(orderId).RetryBackorders();
                if (left > 0 && record.Status == ExceptionStatus.Retrying)
                {
                    record.Status = ExceptionStatus.Open;
                    AddHistory(record, new(_time.GetUtcNow(), "retry failed", $"{left} unit(s) still backordered", correlationId));
                }
            }
            else if (record.Raised.Kind == ExceptionKind.WebhookFailed && WebhookExceptionIds.Parse(id) is { } webhook)
            {
                AddHistory(record, new(now, "retried", "delivery re-driven from its first attempt", correlationId));
                if (!await GrainFactory.GetGrain<IWebhookDeliveryGrain>(webhook.SubscriptionId).Redrive(webhook.EventId) && record.Status == ExceptionStatus.Retrying)
                {
                    record.Status = ExceptionStatus.Open;
                    AddHistory(record, new(_time.GetUtcNow(), "retry failed", "the delivery is no longer queued (subscription deleted?); resolve it", correlationId));
                }
            }
        }
        catch
        {
            record.Status = ExceptionStatus.Open;
            record.Retries--;
            throw;
        }

        record.UpdatedAt = now;
        await _writer.WriteAsync();
        return new(CommandOutcome.Updated, View(id, record), []);
    }

    /// <summary>
    /// Appends the event again under a key naming the attempt. The append comes before the state
    /// write, and a crash in between leaves the attempt number unchanged: the next retry appends
    /// the same key, which the journal recognises, so one retry never applies the event twice.
    /// The entry carries the retry's trace (the operator's request), not the original post's.
    /// </summary>
    private async Task RedriveAsync(string id, ExceptionRecord record, JournaledEvent journaled, DateTimeOffset now, string? correlationId)
    {
        var e = journaled.Event;
        var key = $"{e.EventId}#retry{record.Retries}";
        await _journal.AppendAsync([new JournalEntry(
            key, _streams.QueueOf(e.WarehouseId), e.WarehouseId, JournalCodec.Encode(e), e.OccurredAt, now, correlationId ?? journaled.CorrelationId, id, EventTracing.CurrentTraceParent())]);
        AddHistory(record, new(now, "retried", $"event re-driven as journal entry '{key}'", correlationId));
    }

    public async Task<ExceptionCommandResult> Resolve(string id, string? note)
    {
        if (!Records.TryGetValue(id, out var record))
        {
            return NotFound(id);
        }

        if (record.Status == ExceptionStatus.Resolved)
        {
            return new(CommandOutcome.Replayed, View(id, record), []);
        }

        await CloseAsync(record, note);
        if (record.Raised.Kind == ExceptionKind.WebhookFailed && WebhookExceptionIds.Parse(id) is { } webhook)
        {
            // Resolving gives up on the delivery: the entity's later events may go.
            await GrainFactory.GetGrain<IWebhookDeliveryGrain>(webhook.SubscriptionId).Discard(webhook.EventId);
        }

        return new(CommandOutcome.Updated, View(id, record), []);
    }

    public async Task ResolveByRetry(string id, string note)
    {
        if (Records.TryGetValue(id, out var record) && record.Status != ExceptionStatus.Resolved)
        {
            await CloseAsync(record, note);
        }
    }

    private Task CloseAsync(ExceptionRecord record, string? note)
    {
        var now = _time.GetUtcNow();
        record.Status = ExceptionStatus.Resolved;
        record.ResolutionNote = note;
        record.UpdatedAt = now;
        AddHistory(record, new(now, "resolved", note, CorrelationContext.Current));
        return _writer.WriteAsync();
    }

    private static bool Matches(ExceptionRecord r, ExceptionFilter f) =>
        (f.Kind is null || r.Raised.Kind == f.Kind)
        && (f.Status is null || r.Status == f.Status)
        && (f.WarehouseId is null || string.Equals(r.Raised.WarehouseId, f.WarehouseId, StringComparison.Ordinal))
        && (f.AcceptedFrom is null || r.Event?.AcceptedAt >= f.AcceptedFrom)
        && (f.AcceptedTo is null || r.Event?.AcceptedAt < f.AcceptedTo);

    private static void AddHistory(ExceptionRecord record, ExceptionHistoryEntry entry)
    {
        record.History.Add(entry);
        if (record.History.Count > ExceptionRecord.MaxHistory)
        {
            record.History.RemoveRange(1, record.History.Count - ExceptionRecord.MaxHistory); // keep the first (raised)
        }
    }

    private static ExceptionCommandResult NotFound(string id) => new(CommandOutcome.NotFound, null, [new("id", $"unknown exception '{id}'")]);

    private static ExceptionView View(string id, ExceptionRecord r) => new()
    {
        Id = id,
        Kind = r.Raised.Kind,
        Status = r.Status,
        Reason = r.Raised.Reason,
        WarehouseId = r.Raised.WarehouseId,
        Sku = r.Raised.Sku,
        OrderId = r.Raised.OrderId,
        LineId = r.Raised.LineId,
        Event = r.Event?.Event,
        JournalSequence = r.Event?.Sequence,
        CorrelationId = r.Raised.CorrelationId,
        OccurredAt = r.Raised.OccurredAt,
        RaisedAt = r.RaisedAt,
        UpdatedAt = r.UpdatedAt,
        Retryable = r.Raised.Retryable,
        Occurrences = r.Occurrences,
        Retries = r.Retries,
        ResolutionNote = r.ResolutionNote,
        History = [.. r.History],
        TransferId = r.Raised.TransferId,
        PurchaseOrderId = r.Raised.PurchaseOrderId,
    };
}
