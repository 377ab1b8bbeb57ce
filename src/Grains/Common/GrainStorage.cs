namespace Distribution.Common;

/// <summary>Names shared by the grains and the hosts that configure their storage.</summary>
public static class GrainStorage
{
    /// <summary>The storage every grain of the hub persists to (memory when embedded, PostgreSQL when durable).</summary>
    public const string Name = "distribution";

    /// <summary>
    /// Creates a grain's persistent state without the [PersistentState] attribute, whose
    /// reflection runs on every activation: for grains activated once per order, that matters.
    /// </summary>
    public static IPersistentState<T> Create<T>(IPersistentStateFactory factory, IGrainContext context, string stateName) =>
        factory.Create<T>(context, new StateConfiguration(stateName, Name));

    private sealed record StateConfiguration(string StateName, string StorageName) : IPersistentStateConfiguration;
}

/// <summary>
/// Implemented by state that needs its grain woken by a time even if nothing activates it (see
/// <see cref="IRecoverableGrain"/>); the durable storage keeps this time in an indexed column.
/// </summary>
public interface IHasWakeTime
{
    DateTimeOffset? WakeAt { get; }
}
