using Distribution.Common;
using Distribution.Events.Streaming;
using Distribution.Operations;
using Microsoft.Extensions.Options;

namespace Distribution.Events;

/// <summary>
/// Accepts warehouse events: validates each, appends the valid ones to the journal in one write
/// (duplicates by event id are recognised there), and answers per event; or takes none of the
/// batch when the journal queue it goes to stays too far behind for the admission wait (see
/// <see cref="EventBacklog"/>). Stateless: any silo.
/// Reentrant: a call spends its time waiting for the journal, and concurrent calls waiting
/// together is what lets the journal commit many batches at once.
/// </summary>
[StatelessWorker, Reentrant]
public sealed class EventIngestGrain(
    IEventJournal journal,
    EventStreams streams,
    EventBacklog backlog,
    TimeProvider time,
    IOptions<AllocationOptions> options) : Grain, IEventIngestGrain
{
    private const int ReplayPage = 1000;

    /// <summary>The metric's verdict tag of each <see cref="EventVerdictStatus"/>, by value.</summary>
    private static readonly string[] VerdictNames = ["accepted", "duplicate", "rejected"];

    public async Task<EventBatchResult> Ingest(IReadOnlyList<WarehouseEventRequest> events)
    {
        var now = time.GetUtcNow();
        var correlationId = CorrelationContext.Current;
        var traceParent = EventTracing.CurrentTraceParent();
        var verdicts = new EventVerdict[events.Count];
        var entries = new List<JournalEntry>(events.Count);
        var entryIndex = new List<int>(events.Count);
        var types = new WarehouseEventType?[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            var request = events[i];
            var errors = EventValidation.Validate(request, $"events[{i}]", now, options.Value.EventDedupeWindow, out var valid);
            if (valid is null)
            {
                verdicts[i] = new EventVerdict { Index = i, EventId = request.EventId, Status = EventVerdictStatus.Rejected, Errors = errors };
                continue;
            }

            types[i] = valid.Type;
            // An event id twice in one batch needs no check here: the journal answers the second
            // as a duplicate (same body) or a conflict, as it does across batches.
            entries.Add(new JournalEntry(
                valid.EventId, streams.QueueOf(valid.WarehouseId), valid.WarehouseId, JournalCodec.Encode(valid), valid.OccurredAt, now, correlationId, null, traceParent));
            entryIndex.Add(i);
        }

        if (!await backlog.TryAdmitAsync([.. entries.Select(e => e.Queue)]))
        {
            HubMetrics.EventBatchesThrottled.Add(1);
            return new EventBatchResult { RetryAfter = EventBacklog.RetryAfter };
        }

        if (entries.Count > 0)
        {
            var appended = await journal.AppendAsync(entries);
            for (var k = 0; k < appended.Count; k++)
            {
                var i = entryIndex[k];
                verdicts[i] = appended[k].Status switch
                {
                    JournalAppendStatus.Appended => new EventVerdict { Index = i, EventId = entries[k].Key, Status = EventVerdictStatus.Accepted },
                    JournalAppendStatus.Duplicate => new EventVerdict { Index = i, EventId = entries[k].Key, Status = EventVerdictStatus.Duplicate },
                    _ => Conflict(i, entries[k].Key),
                };
            }
        }

        Count(events, verdicts, types);
        return new EventBatchResult
        {
            Accepted = verdicts.Count(v => v.Status == EventVerdictStatus.Accepted),
            Duplicates = verdicts.Count(v => v.Status == EventVerdictStatus.Duplicate),
            Rejected = verdicts.Count(v => v.Status == EventVerdictStatus.Rejected),
            Results = verdicts,
        };
    }

    public async Task<ReplayReport> Replay(DateTimeOffset from, DateTimeOffset to, string? warehouseId)
    {
        var redelivered = 0;
        long after = 0;
        while (true)
        {
            var page = await journal.ReadRangeAsync(from, to, warehouseId, after, ReplayPage);
            if (page.Count == 0)
            {
                break;
            }

            // Same path as the stream: each warehouse's consumer, in journal order.
            await Task.WhenAll(page
                .GroupBy(e => e.Entry.WarehouseId)
                .Select(g => GrainFactory.Keyed<IWarehouseEventsGrain>(g.Key)
                    .Process(new WarehouseEventBatch([.. g.Select(JournalCodec.ToJournaled)]))));
            redelivered += page.Count;
            after = page[^1].Sequence;
        }

        var retried = 0;
        var queue = GrainFactory.GetGrain<IExceptionQueueGrain>(0);
        var open = await queue.List(new ExceptionFilter { Status = ExceptionStatus.Open, WarehouseId = warehouseId, AcceptedFrom = from, AcceptedTo = to }, 0, int.MaxValue);
        foreach (var exception in open.Items.Where(e => e.Retryable && e.Event is not null))
        {
            if ((await queue.Retry(exception.Id)).Outcome == CommandOutcome.Updated)
            {
                retried++;
            }
        }

        return new ReplayReport(redelivered, retried);
    }

    private static EventVerdict Conflict(int index, string eventId) => new()
    {
        Index = index,
        EventId = eventId,
        Status = EventVerdictStatus.Rejected,
        Errors = [new($"events[{index}].eventId", $"event '{eventId}' was accepted before with a different body")],
    };

    private static void Count(IReadOnlyList<WarehouseEventRequest> events, EventVerdict[] verdicts, WarehouseEventType?[] types)
    {
        if (!HubMetrics.EventsIngested.Enabled)
        {
            return;
        }

        for (var i = 0; i < verdicts.Length; i++)
        {
            HubMetrics.EventsIngested.Add(1,
                new KeyValuePair<string, object?>("type", types[i]?.ToString() ?? "invalid"),
                new KeyValuePair<string, object?>("warehouse", Identifiers.IsValid(events[i].WarehouseId) ? events[i].WarehouseId : "invalid"),
                new KeyValuePair<string, object?>("verdict", VerdictNames[(int)verdicts[i].Status]));
        }
    }
}
