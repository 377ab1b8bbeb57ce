using Distribution.Common;
using Distribution.Integration.Webhooks;
using Microsoft.Extensions.Options;

namespace Distribution.Integration.BusinessEvents;

/// <summary>
/// One shard of the business event bus. A publisher is answered once its events are stored (an
/// event nobody wants is not stored at all, so with no subscription the order path pays one call
/// and no write). A single pump then hands the stored events, in publication order, to every
/// subscription's delivery queue and every in-hub consumer that wants them, and forgets them once
/// all took them; a failed hand-over is tried again, so targets see an event at least once.
/// </summary>
[Reentrant]
public sealed class BusinessEventBusGrain : Grain, IBusinessEventBusGrain
{
    private const int BatchSize = 500;

    /// <summary>Ids seen lately, so a republished transition is not stored twice (targets dedupe too).</summary>
    private readonly RecentIds _recent = new(20_000);
    private readonly IPersistentState<BusinessEventBusState> _state;
    private readonly CoalescedWriter _writer;
    private readonly TimeProvider _time;
    private readonly IReadOnlyList<BusinessEventConsumer> _consumers;
    private readonly WebhookOptions _options;
    private readonly ILogger<BusinessEventBusGrain> _logger;
    private IReadOnlyList<SubscriptionTarget> _subscriptions = [];
    /// <summary>What each of <see cref="_consumers"/> wants now (its <see cref="BusinessEventConsumer.EventTypes"/> unless it says otherwise).</summary>
    private IReadOnlyCollection<string>[] _consumerTypes = [];
    private bool _pumping;

    public BusinessEventBusGrain(
        IPersistentStateFactory stateFactory,
        IGrainContext context,
        TimeProvider time,
        IEnumerable<BusinessEventConsumer> consumers,
        IOptions<WebhookOptions> options,
        ILogger<BusinessEventBusGrain> logger)
    {
        _state = GrainStorage.Create<BusinessEventBusState>(stateFactory, context, "businessEvents");
        _writer = CoalescedWriter.ForState(this, _state, logger);
        _time = time;
        _consumers = [.. consumers];
        _options = options.Value;
        _logger = logger;
    }

    private BusinessEventBusState S => _state.State;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _subscriptions = await GrainFactory.GetGrain<ISubscriptionRegistryGrain>(0).Targets();
        await RefreshConsumers();
        foreach (var pending in S.Pending.Values)
        {
            _recent.Add(pending.Event.EventId);
        }

        if (S.Pending.Count > 0)
        {
            _ = PumpAsync();
        }
    }

    public async Task Publish(IReadOnlyList<BusinessEvent> events)
    {
        var added = false;
        var repeated = false;
        foreach (var e in events)
        {
            if (!IsWanted(e.Type))
            {
                continue;
            }

            if (!_recent.Add(e.EventId))
            {
                repeated = true;
                continue;
            }

            var sequence = S.NextSequence++;
            S.Pending[BusinessEventBusState.KeyOf(sequence)] = new PendingBusinessEvent(sequence, e);
            added = true;
        }

        if (!added && !repeated)
        {
            return;
        }

        // A repeat may still be in the write of its first publication: answer after that write too.
        S.WakeAt ??= _time.GetUtcNow() + _options.DispatchGrace;
        await _writer.WriteAsync();
        if (added)
        {
            _ = PumpAsync();
        }
    }

    public Task SetSubscriptions(IReadOnlyList<SubscriptionTarget> subscriptions)
    {
        _subscriptions = subscriptions;
        return Task.CompletedTask;
    }

    public async Task RefreshConsumers() => _consumerTypes = await Task.WhenAll(_consumers.Select(CurrentTypesOf));

    private async Task<IReadOnlyCollection<string>> CurrentTypesOf(BusinessEventConsumer consumer)
    {
        if (consumer.CurrentTypes is null)
        {
            return consumer.EventTypes;
        }

        try
        {
            return [.. (await consumer.CurrentTypes(GrainFactory)).Intersect(consumer.EventTypes, StringComparer.Ordinal)];
        }
        catch (Exception e)
        {
            // Storing more than needed costs writes; storing less would lose events: when in doubt, all of them.
            _logger.LogWarning(e, "Business event consumer {Consumer} could not say what it wants; every type it takes is kept", consumer.Name);
            return consumer.EventTypes;
        }
    }

    public Task<int> CountPending() => Task.FromResult(S.Pending.Count);

    public Task Wake()
    {
        if (S.Pending.Count > 0)
        {
            _ = PumpAsync();
        }

        return Task.CompletedTask;
    }

    private bool IsWanted(string type) =>
        _consumerTypes.Any(types => types.Contains(type))
        || _subscriptions.Any(s => Wants(s, type));

    private static bool Wants(SubscriptionTarget s, string type) =>
        s.EventTypes.Contains(type, StringComparer.Ordinal) || s.EventTypes.Contains("*", StringComparer.Ordinal);

    private async Task PumpAsync()
    {
        if (_pumping)
        {
            return;
        }

        _pumping = true;
        try
        {
            while (S.Pending.Count > 0)
            {
                var batch = S.Pending.Values.OrderBy(p => p.Sequence).Take(BatchSize).ToList();
                try
                {
                    await DispatchAsync([.. batch.Select(p => p.Event)]);
                }
                catch (Exception e)
                {
                    _logger.LogWarning(e, "Handing {Count} business event(s) to their targets failed; trying again", batch.Count);
                    await Task.Delay(_options.DispatchRetryDelay);
                    continue;
                }

                foreach (var p in batch)
                {
                    S.Pending.Remove(BusinessEventBusState.KeyOf(p.Sequence));
                }

                if (S.Pending.Count == 0)
                {
                    S.WakeAt = null;
                }

                await _writer.WriteAsync();
            }
        }
        catch (Exception e)
        {
            // The write failed and the activation is being dropped; the stored events wait for the sweep.
            _logger.LogWarning(e, "Business event bus {Shard} stopped dispatching", this.GetPrimaryKeyString());
        }
        finally
        {
            _pumping = false;
        }
    }

    private Task DispatchAsync(IReadOnlyList<BusinessEvent> events)
    {
        var handOvers = new List<Task>();
        foreach (var subscription in _subscriptions)
        {
            var wanted = events.Where(e => Wants(subscription, e.Type)).ToList();
            if (wanted.Count > 0)
            {
                handOvers.Add(GrainFactory.GetGrain<IWebhookDeliveryGrain>(subscription.Id).Consume(wanted));
            }
        }

        for (var i = 0; i < _consumers.Count; i++)
        {
            var consumer = _consumers[i];
            // Events stored while the consumer wanted them are handed over even if it no longer does.
            var wanted = events.Where(e => consumer.EventTypes.Contains(e.Type)).ToList();
            if (wanted.Count > 0)
            {
                handOvers.Add(consumer.Resolve(GrainFactory).Consume(wanted));
            }
        }

        return Task.WhenAll(handOvers);
    }
}
