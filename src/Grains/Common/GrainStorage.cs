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

/// <summary>
/// Implemented by state whose grain writes it and then leaves it alone: an order, deactivated as
/// soon as it is placed. The in-memory storage of the embedded mode keeps such a state serialized,
/// one byte array that the collector never marks through, instead of the grain's object graph
/// (dozens of objects per order, for the life of the process). Durable storage
/// serializes every state anyway. A state that also has <see cref="IHasStoredEntries"/> is kept by
/// reference: its entries are not part of its serialized body.
/// </summary>
public interface IStoredAsBytes;

/// <summary>
/// Implemented by state that keeps one large keyed collection (a hot SKU-location's reservations)
/// outside its serialized body. The storage saves only the entries changed since the previous
/// write, in the same transaction as the body, so a write costs what changed, not what is held.
/// </summary>
/// <remarks>
/// The storage takes the changes when it accepts a write. If that write then fails, the changes
/// are not offered again: the activation must be dropped and reloaded (as <see cref="CoalescedWriter"/> does).
/// </remarks>
public interface IHasStoredEntries
{
    /// <summary>Every entry as it is now.</summary>
    IEnumerable<KeyValuePair<string, object>> StoredEntries { get; }

    /// <summary>The entries changed since the last call, each once; a null value means removed.</summary>
    IReadOnlyList<KeyValuePair<string, object?>> TakeChangedEntries();

    /// <summary>Replaces the entries with those read from storage (called after the body was read).</summary>
    void LoadEntries(IEnumerable<KeyValuePair<string, object>> entries);
}
