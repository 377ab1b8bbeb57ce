using Orleans;
using Orleans.Runtime;

namespace Distribution.Tests;

public interface IProbeGrain : IGrainWithStringKey
{
    Task<int> IncrementAsync();

    Task<string?> RegisterReminderAsync(string name);

    Task<int> CountRemindersAsync();

    Task<bool> UnregisterReminderAsync(string name);
}

/// <summary>A grain that uses the storage and the reminder service, for the silo test.</summary>
public sealed class ProbeGrain([PersistentState("probe", "store")] IPersistentState<CounterState> state)
    : Grain, IProbeGrain, IRemindable
{
    public async Task<int> IncrementAsync()
    {
        state.State = state.State with { Count = state.State.Count + 1 };
        await state.WriteStateAsync();
        return state.State.Count;
    }

    public async Task<string?> RegisterReminderAsync(string name)
    {
        await this.RegisterOrUpdateReminder(name, TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(10));
        var reminder = await this.GetReminder(name);
        return reminder?.ReminderName;
    }

    public async Task<int> CountRemindersAsync() => (await this.GetReminders()).Count;

    public async Task<bool> UnregisterReminderAsync(string name)
    {
        if (await this.GetReminder(name) is not { } reminder)
        {
            return false;
        }

        await this.UnregisterReminder(reminder);
        return await this.GetReminder(name) is null;
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => Task.CompletedTask;
}
