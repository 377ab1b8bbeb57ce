using System.Diagnostics;
using System.Globalization;
using System.Text;
using Distribution.Common;
using Distribution.Integration.BusinessEvents;
using Distribution.Operations;
using Microsoft.Extensions.Options;

namespace Distribution.Integration.Webhooks;

/// <summary>
/// One subscription's delivery queue. Events are stored when the bus hands them over, then sent by
/// a single pump: the oldest of each entity that is due, several entities at once, each request
/// signed. A failure waits (exponential backoff with jitter, in business time) and the entity's
/// later events wait behind it; after the last attempt the event is dead-lettered into the
/// exception queue (<see cref="ExceptionKind.WebhookFailed"/>), where retry re-drives it and
/// resolve drops it. The queue is grain state, so pending deliveries survive a restart (the
/// stored wake-up time brings the queue back through the recovery sweep).
/// </summary>
[Reentrant]
public sealed class WebhookDeliveryGrain : Grain, IWebhookDeliveryGrain
{
    private readonly IPersistentState<WebhookDeliveryState> _state;
    private readonly CoalescedWriter _writer;
    private readonly IHttpClientFactory _http;
    private readonly TimeProvider _time;
    private readonly WebhookOptions _options;
    private readonly ILogger<WebhookDeliveryGrain> _logger;
    private bool _pumping;

    public WebhookDeliveryGrain(
        IPersistentStateFactory stateFactory,
        IGrainContext context,
        IHttpClientFactory http,
        TimeProvider time,
        IOptions<WebhookOptions> options,
        ILogger<WebhookDeliveryGrain> logger)
    {
        _state = GrainStorage.Create<WebhookDeliveryState>(stateFactory, context, "webhookDelivery");
        _writer = CoalescedWriter.ForState(this, _state, logger);
        _http = http;
        _time = time;
        _options = options.Value;
        _logger = logger;
    }

    private WebhookDeliveryState S => _state.State;

    private string SubscriptionId => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Real-time polling; whether a delivery is due is judged on the business clock.
        this.RegisterGrainTimer(
            static (grain, _) => grain.PumpAsync(),
            this,
            new GrainTimerCreationOptions(_options.PollInterval, _options.PollInterval) { Interleave = true, KeepAlive = false });
        return Task.CompletedTask;
    }

    public async Task Configure(SubscriptionTarget target)
    {
        S.Target = target;
        await _writer.WriteAsync();
    }

    public async Task Remove()
    {
        S.Target = null;
        foreach (var d in S.Queue.Values.ToList())
        {
            S.Queue.Remove(WebhookDeliveryState.KeyOf(d.Sequence));
        }

        S.WakeAt = null;
        await _writer.WriteAsync();
    }

    public async Task Consume(IReadOnlyList<BusinessEvent> events)
    {
        if (S.Target is null)
        {
            return; // deleted (or never created): nothing to deliver to
        }

        var now = _time.GetUtcNow();
        var queued = S.Queue.Values.Select(d => d.Event.EventId).ToHashSet(StringComparer.Ordinal);
        var added = false;
        foreach (var e in events)
        {
            if (queued.Contains(e.EventId) || S.RecentlyDelivered.Contains(e.EventId, StringComparer.Ordinal))
            {
                continue; // a republished event: delivered (or queued) once
            }

            var sequence = S.NextSequence++;
            S.Queue[WebhookDeliveryState.KeyOf(sequence)] = new QueuedDelivery { Sequence = sequence, Event = e, NextAttemptAt = now };
            queued.Add(e.EventId);
            added = true;
        }

        if (!added)
        {
            return;
        }

        S.WakeAt = DeliveryQueue.NextDue(S.Queue.Values);
        await _writer.WriteAsync();
        _ = PumpAsync();
    }

    public async Task<bool> Redrive(string eventId)
    {
        var d = Find(eventId);
        if (d is null || !d.DeadLettered || S.Target is null)
        {
            return false;
        }

        S.Queue[WebhookDeliveryState.KeyOf(d.Sequence)] = d with
        {
            DeadLettered = false,
            Attempts = 0,
            NextAttemptAt = _time.GetUtcNow(),
            Redriven = true,
        };
        S.WakeAt = DeliveryQueue.NextDue(S.Queue.Values);
        await _writer.WriteAsync();
        _ = PumpAsync();
        return true;
    }

    public async Task Discard(string eventId)
    {
        if (Find(eventId) is { DeadLettered: true } d)
        {
            S.Queue.Remove(WebhookDeliveryState.KeyOf(d.Sequence));
            S.WakeAt = DeliveryQueue.NextDue(S.Queue.Values);
            await _writer.WriteAsync();
            _ = PumpAsync();
        }
    }

    public Task<DeliveryStatus> Status() => Task.FromResult(new DeliveryStatus
    {
        Pending = S.Queue.Values.Count(d => !d.DeadLettered),
        DeadLettered = S.Queue.Values.Count(d => d.DeadLettered),
        Delivered = S.Delivered,
    });

    public Task Wake() => PumpAsync();

    private QueuedDelivery? Find(string eventId) => S.Queue.Values.FirstOrDefault(d => d.Event.EventId == eventId);

    private async Task PumpAsync()
    {
        if (_pumping || S.Target is null || S.Queue.Count == 0)
        {
            return;
        }

        _pumping = true;
        try
        {
            while (S.Target is { } target)
            {
                var due = DeliveryQueue.Due(S.Queue.Values, _time.GetUtcNow(), _options.MaxConcurrentDeliveries);
                if (due.Count == 0)
                {
                    break;
                }

                var errors = await Task.WhenAll(due.Select(d => SendAsync(target, d)));
                if (S.Target is null)
                {
                    break; // removed while the requests were out
                }

                await RecordAsync(due, errors);
            }
        }
        catch (Exception e)
        {
            // A failed write drops the activation; the stored queue is picked up again on reactivation.
            _logger.LogWarning(e, "Webhook delivery for subscription {Subscription} stopped", SubscriptionId);
        }
        finally
        {
            _pumping = false;
        }
    }

    private async Task RecordAsync(IReadOnlyList<QueuedDelivery> sent, string?[] errors)
    {
        var now = _time.GetUtcNow();
        var resolved = new List<string>();
        var raised = new List<ExceptionRaise>();
        for (var i = 0; i < sent.Count; i++)
        {
            var d = sent[i];
            var key = WebhookDeliveryState.KeyOf(d.Sequence);
            if (!S.Queue.ContainsKey(key))
            {
                continue; // discarded meanwhile
            }

            if (errors[i] is null)
            {
                S.Queue.Remove(key);
                S.Delivered++;
                S.RecentlyDelivered.Add(d.Event.EventId);
                if (S.RecentlyDelivered.Count > WebhookDeliveryState.MaxRecent)
                {
                    S.RecentlyDelivered.RemoveRange(0, S.RecentlyDelivered.Count - WebhookDeliveryState.MaxRecent);
                }

                if (d.Redriven)
                {
                    resolved.Add(WebhookExceptionIds.For(SubscriptionId, d.Event.EventId));
                }

                continue;
            }

            var attempts = d.Attempts + 1;
            if (attempts >= _options.MaxAttempts)
            {
                S.Queue[key] = d with { Attempts = attempts, LastError = errors[i], DeadLettered = true };
                raised.Add(DeadLetter(d, attempts, errors[i]!));
            }
            else
            {
                var wait = DeliveryQueue.Backoff(attempts, _options.InitialBackoff, _options.MaxBackoff, Random.Shared.NextDouble());
                S.Queue[key] = d with { Attempts = attempts, LastError = errors[i], NextAttemptAt = now + wait };
            }
        }

        S.WakeAt = DeliveryQueue.NextDue(S.Queue.Values);
        // Raised before the write: a crash in between makes the next attempts raise it again (same id).
        await Task.WhenAll(raised.Select(r => ExceptionQueue.Shard(GrainFactory, r.Id).Raise(r)));
        await _writer.WriteAsync();
        await Task.WhenAll(resolved.Select(id => ExceptionQueue.Shard(GrainFactory, id).ResolveByRetry(id, "re-driven delivery succeeded")));
    }

    private ExceptionRaise DeadLetter(QueuedDelivery d, int attempts, string error) => new()
    {
        Id = WebhookExceptionIds.For(SubscriptionId, d.Event.EventId),
        Kind = ExceptionKind.WebhookFailed,
        Reason = $"delivery of {d.Event.Type} '{d.Event.EventId}' to subscription {SubscriptionId} failed {attempts} time(s); last: {error}",
        OrderId = d.Event.EntityKind == "order" ? d.Event.EntityId : null,
        TransferId = d.Event.EntityKind == "transfer" ? d.Event.EntityId : null,
        PurchaseOrderId = d.Event.EntityKind == "purchaseOrder" ? d.Event.EntityId : null,
        CorrelationId = d.Event.CorrelationId,
        OccurredAt = d.Event.OccurredAt,
        Retryable = true,
    };

    /// <summary>One attempt; null when the subscriber answered 2xx, else what went wrong.</summary>
    private async Task<string?> SendAsync(SubscriptionTarget target, QueuedDelivery d)
    {
        var body = WebhookBody.Of(d.Event);
        var timestamp = _time.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, target.Url)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation(WebhookSignature.HeaderName, WebhookSignature.Header(target.Secret, timestamp, body));
        request.Headers.TryAddWithoutValidation(WebhookBody.EventIdHeader, d.Event.EventId);
        request.Headers.TryAddWithoutValidation(WebhookBody.EventTypeHeader, d.Event.Type);
        request.Headers.TryAddWithoutValidation(WebhookBody.AttemptHeader, (d.Attempts + 1).ToString(CultureInfo.InvariantCulture));
        if (d.Event.CorrelationId is { } correlationId)
        {
            request.Headers.TryAddWithoutValidation(CorrelationContext.HeaderName, correlationId);
        }

        var parent = WebhookTracing.ParentOf(d.Event.TraceParent);
        using var span = WebhookTracing.Source.StartActivity($"webhook {d.Event.Type}", ActivityKind.Client, parent);
        span?.SetTag("webhook.subscription_id", target.Id);
        span?.SetTag("webhook.event_id", d.Event.EventId);
        span?.SetTag("webhook.attempt", d.Attempts + 1);
        // Set before sending: HttpClient does not overwrite a traceparent already on the request.
        request.Headers.TryAddWithoutValidation(WebhookTracing.HeaderName, WebhookTracing.TraceParentFor(span, parent));
        var error = await PostAsync(request);
        if (error is not null)
        {
            span?.SetStatus(ActivityStatusCode.Error, error);
        }

        return error;
    }

    private async Task<string?> PostAsync(HttpRequestMessage request)
    {
        try
        {
            using var timeout = new CancellationTokenSource(_options.RequestTimeout);
            using var response = await _http.CreateClient(WebhookOptions.HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            return response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode}";
        }
        catch (OperationCanceledException)
        {
            return $"no answer within {_options.RequestTimeout.TotalSeconds:0.#} s";
        }
        catch (HttpRequestException e)
        {
            return e.Message;
        }
    }
}
