using Distribution.Common;
using Distribution.Integration.BusinessEvents;

namespace Distribution.Integration.Webhooks;

/// <summary>
/// The webhook subscriptions. A change is stored, then the subscription's delivery queue and every
/// bus shard are told, and only then acknowledged: an event published after the 201 reaches the
/// new subscription. (If telling fails, the client's retry tells them again.)
/// </summary>
public sealed class SubscriptionRegistryGrain(
    [PersistentState("subscriptions", GrainStorage.Name)] IPersistentState<SubscriptionRegistryState> state,
    TimeProvider time) : Grain, ISubscriptionRegistryGrain
{
    private Dictionary<string, StoredSubscription> Subscriptions => state.State.Subscriptions;

    public async Task<SubscriptionCommandResult> Create(SubscriptionRequest request)
    {
        var errors = SubscriptionValidation.Validate(request);
        if (errors.Count > 0)
        {
            return new(CommandOutcome.Invalid, null, errors);
        }

        var target = new SubscriptionTarget
        {
            Id = $"sub_{Guid.NewGuid():N}",
            Url = request.Url!,
            EventTypes = [.. request.EventTypes!],
            Secret = request.Secret!,
        };
        var stored = new StoredSubscription(target, time.GetUtcNow());
        Subscriptions[target.Id] = stored;
        await state.WriteStateAsync();
        await GrainFactory.GetGrain<IWebhookDeliveryGrain>(target.Id).Configure(target);
        await TellShardsAsync();
        return new(CommandOutcome.Created, View(stored), []);
    }

    public async Task<SubscriptionCommandResult> Delete(string id)
    {
        if (!Subscriptions.Remove(id))
        {
            return new(CommandOutcome.NotFound, null, [new("id", $"unknown subscription '{id}'")]);
        }

        await state.WriteStateAsync();
        await TellShardsAsync();
        await GrainFactory.GetGrain<IWebhookDeliveryGrain>(id).Remove();
        return new(CommandOutcome.Updated, null, []);
    }

    public async Task<SubscriptionView?> Get(string id)
    {
        if (!Subscriptions.TryGetValue(id, out var stored))
        {
            return null;
        }

        var status = await GrainFactory.GetGrain<IWebhookDeliveryGrain>(id).Status();
        return View(stored) with { Delivery = status };
    }

    public Task<IReadOnlyList<SubscriptionView>> List() => Task.FromResult<IReadOnlyList<SubscriptionView>>(
        [.. Subscriptions.Values.OrderBy(s => s.CreatedAt).ThenBy(s => s.Target.Id, StringComparer.Ordinal).Select(View)]);

    public Task<IReadOnlyList<SubscriptionTarget>> Targets() =>
        Task.FromResult<IReadOnlyList<SubscriptionTarget>>([.. Subscriptions.Values.Select(s => s.Target)]);

    private Task TellShardsAsync()
    {
        IReadOnlyList<SubscriptionTarget> targets = [.. Subscriptions.Values.Select(s => s.Target)];
        return Task.WhenAll(Enumerable.Range(0, BusinessEventBus.Shards).Select(i =>
            GrainFactory.GetGrain<IBusinessEventBusGrain>(i.ToString(System.Globalization.CultureInfo.InvariantCulture)).SetSubscriptions(targets)));
    }

    private static SubscriptionView View(StoredSubscription s) => new()
    {
        Id = s.Target.Id,
        Url = s.Target.Url,
        EventTypes = s.Target.EventTypes,
        CreatedAt = s.CreatedAt,
    };
}
