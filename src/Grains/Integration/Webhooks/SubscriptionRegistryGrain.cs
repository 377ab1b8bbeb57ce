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

    public async Task<SubscriptionCommandResult> Create(SubscriptionRequest request, string? createdByKeyId)
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
        var stored = new StoredSubscription(target, time.GetUtcNow(), Paused: request.Active == false, CreatedByKeyId: createdByKeyId);
        Subscriptions[target.Id] = stored;
        await state.WriteStateAsync();
        await GrainFactory.GetGrain<IWebhookDeliveryGrain>(target.Id).Configure(target);
        await TellShardsAsync();
        return new(CommandOutcome.Created, View(stored), []);
    }

    public async Task<SubscriptionCommandResult> Update(string id, SubscriptionRequest changes)
    {
        if (!Subscriptions.TryGetValue(id, out var stored))
        {
            return new(CommandOutcome.NotFound, null, [new("id", $"unknown subscription '{id}'")]);
        }

        var merged = new SubscriptionRequest
        {
            Url = changes.Url ?? stored.Target.Url,
            EventTypes = changes.EventTypes ?? stored.Target.EventTypes,
            Secret = changes.Secret ?? stored.Target.Secret,
            Active = changes.Active ?? !stored.Paused,
        };
        var errors = SubscriptionValidation.Validate(merged);
        if (errors.Count > 0)
        {
            return new(CommandOutcome.Invalid, null, errors);
        }

        var target = stored.Target with { Url = merged.Url!, EventTypes = [.. merged.EventTypes!], Secret = merged.Secret! };
        var updated = stored with { Target = target, Paused = merged.Active == false, UpdatedAt = time.GetUtcNow() };
        if (SameSettings(updated, stored))
        {
            return new(CommandOutcome.Updated, View(stored), []);
        }

        Subscriptions[id] = updated;
        await state.WriteStateAsync();
        // The queue signs and posts with the new settings from its next attempt; the shards route by the new types.
        await GrainFactory.GetGrain<IWebhookDeliveryGrain>(id).Configure(target);
        await TellShardsAsync();
        return new(CommandOutcome.Updated, View(updated), []);
    }

    private static bool SameSettings(StoredSubscription a, StoredSubscription b) =>
        a.Paused == b.Paused && a.Target.Url == b.Target.Url && a.Target.Secret == b.Target.Secret
        && a.Target.EventTypes.SequenceEqual(b.Target.EventTypes, StringComparer.Ordinal);

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

    public Task<IReadOnlyList<SubscriptionTarget>> Targets() => Task.FromResult(ActiveTargets());

    /// <summary>What the bus routes to: an inactive subscription gets no new events.</summary>
    private IReadOnlyList<SubscriptionTarget> ActiveTargets() => [.. Subscriptions.Values.Where(s => !s.Paused).Select(s => s.Target)];

    private Task TellShardsAsync()
    {
        var targets = ActiveTargets();
        return Task.WhenAll(Enumerable.Range(0, BusinessEventBus.Shards).Select(i =>
            GrainFactory.GetGrain<IBusinessEventBusGrain>(i.ToString(System.Globalization.CultureInfo.InvariantCulture)).SetSubscriptions(targets)));
    }

    private static SubscriptionView View(StoredSubscription s) => new()
    {
        Id = s.Target.Id,
        Url = s.Target.Url,
        EventTypes = s.Target.EventTypes,
        CreatedAt = s.CreatedAt,
        Active = !s.Paused,
        CreatedByKeyId = s.CreatedByKeyId,
        UpdatedAt = s.UpdatedAt,
    };
}
