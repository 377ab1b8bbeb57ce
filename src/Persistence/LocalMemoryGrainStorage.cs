using System.Collections.Concurrent;
using Distribution.Common;
using Orleans;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace Distribution.Persistence;

/// <summary>Options of <see cref="LocalMemoryGrainStorage"/>.</summary>
public sealed class LocalMemoryGrainStorageOptions
{
    /// <summary>Same meaning as <see cref="BatchedGrainStorageOptions.WakeAtSelector"/>.</summary>
    public Func<object, DateTimeOffset?>? WakeAtSelector { get; set; }
}

/// <summary>
/// Fast in-process <see cref="IGrainStorage"/> for the embedded mode and tests, with version etags
/// and <see cref="InconsistentStateException"/> on a stale etag, like <see cref="BatchedGrainStorage"/>.
/// A write keeps a reference to the grain's state object (O(1), whatever the state's size) and a
/// read deep-copies it, so two activations never share an instance; the stored state is therefore
/// the last written object as it is now. That is only weaker than a copy for an activation that
/// goes on mutating after a failed write, which cannot happen here: nothing in memory fails.
/// A state marked <see cref="IStoredAsBytes"/> (an order) is serialized on write instead: its grain
/// is gone a moment later, and a byte array costs the collector less than the object graph.
/// All silos of the same ServiceId inside one process (e.g. a 2-silo InProcessTestCluster) share
/// one store per provider name. Nothing survives the process.
/// </summary>
public sealed class LocalMemoryGrainStorage : IGrainStorage, IGrainWakeQueue
{
    private static readonly ConcurrentDictionary<(string ServiceId, string Name), Store> Stores = new();

    private readonly Store _store;
    private readonly LocalMemoryGrainStorageOptions _options;
    private readonly Serializer _serializer;
    private readonly IActivatorProvider _activators;

    /// <summary>Creates a view on the process-wide store of (<paramref name="serviceId"/>, <paramref name="name"/>).</summary>
    public LocalMemoryGrainStorage(
        string name,
        string serviceId,
        LocalMemoryGrainStorageOptions options,
        Serializer serializer,
        IActivatorProvider activatorProvider)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(serviceId);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(serializer);
        ArgumentNullException.ThrowIfNull(activatorProvider);
        Name = name;
        ServiceId = serviceId;
        _options = options;
        _serializer = serializer;
        _activators = activatorProvider;
        _store = Stores.GetOrAdd((serviceId, name), _ => new Store());
    }

    /// <summary>The provider name.</summary>
    public string Name { get; }

    /// <summary>The ServiceId whose store this instance shares.</summary>
    public string ServiceId { get; }

    /// <summary>Number of stored grain states.</summary>
    public int Count => _store.Entries.Count;

    /// <summary>Drops every store of <paramref name="serviceId"/> (tests).</summary>
    public static void Reset(string serviceId)
    {
        foreach (var key in Stores.Keys.Where(k => k.ServiceId == serviceId))
        {
            Stores.TryRemove(key, out _);
        }
    }

    /// <inheritdoc />
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var key = (GrainStateKeys.GrainType(stateName, grainId), GrainStateKeys.GrainIdText(grainId));
        if (_store.Entries.TryGetValue(key, out var entry))
        {
            var copy = _serializer.Deserialize<T>(entry.State as byte[] ?? _serializer.SerializeToArray((T)entry.State));
            if (copy is IHasStoredEntries copied && entry.State is IHasStoredEntries stored)
            {
                // Entry values are immutable records: the copy may share them.
                copied.LoadEntries(stored.StoredEntries);
            }

            grainState.State = copy;
            grainState.ETag = GrainStateKeys.ETag(entry.Version);
            grainState.RecordExists = true;
        }
        else
        {
            grainState.State = _activators.GetActivator<T>().Create();
            grainState.ETag = null;
            grainState.RecordExists = false;
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var key = (GrainStateKeys.GrainType(stateName, grainId), GrainStateKeys.GrainIdText(grainId));
        var expected = GrainStateKeys.ExpectedVersion(grainState.ETag, key.Item1, key.Item2);
        DateTime? wakeAt = grainState.State is { } state && _options.WakeAtSelector?.Invoke(state) is { } wake
            ? wake.UtcDateTime
            : null;
        object stored = grainState.State is IStoredAsBytes and not IHasStoredEntries
            ? _serializer.SerializeToArray(grainState.State)
            : grainState.State!;
        var next = new Entry(expected + 1, stored, wakeAt);
        if (grainState.State is IHasStoredEntries entries)
        {
            // The store keeps the state object itself, entries included: the changes need no copy.
            entries.TakeChangedEntries();
        }

        while (true)
        {
            if (_store.Entries.TryGetValue(key, out var current))
            {
                if (current.Version != expected)
                {
                    throw GrainStateKeys.Conflict("Write", key.Item1, key.Item2, grainState.ETag);
                }

                if (_store.Entries.TryUpdate(key, next, current))
                {
                    break;
                }
            }
            else
            {
                if (expected != 0)
                {
                    throw GrainStateKeys.Conflict("Write", key.Item1, key.Item2, grainState.ETag);
                }

                if (_store.Entries.TryAdd(key, next))
                {
                    break;
                }
            }
        }

        _store.IndexWake(key, wakeAt);
        grainState.ETag = GrainStateKeys.ETag(next.Version);
        grainState.RecordExists = true;
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var key = (GrainStateKeys.GrainType(stateName, grainId), GrainStateKeys.GrainIdText(grainId));
        var expected = GrainStateKeys.ExpectedVersion(grainState.ETag, key.Item1, key.Item2);
        var exists = _store.Entries.TryGetValue(key, out var current);
        var ok = expected == 0
            ? !exists
            : exists && current!.Version == expected && _store.Entries.TryRemove(KeyValuePair.Create(key, current));
        if (!ok)
        {
            throw GrainStateKeys.Conflict("Clear", key.Item1, key.Item2, grainState.ETag);
        }

        _store.IndexWake(key, null);
        grainState.State = _activators.GetActivator<T>().Create();
        grainState.ETag = null;
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<GrainId>> GetDueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var cutoff = now.UtcDateTime;
        // The index names the states with a wake time (a few among a million SKU-locations and orders);
        // the entry itself has the last word, should the index lag a write.
        IReadOnlyList<GrainId> due = _store.Waking.Keys
            .Select(k => _store.Entries.TryGetValue(k, out var e) && e.WakeAt is { } at && at <= cutoff ? (k.GrainId, At: at) : default)
            .Where(x => x.GrainId is not null)
            .GroupBy(x => x.GrainId, x => x.At)
            .OrderBy(g => g.Min())
            .Take(limit)
            .Select(g => GrainId.Parse(g.Key))
            .ToList();
        return Task.FromResult(due);
    }

    private sealed class Store
    {
        // Writes lock a stripe; the default (one per core) left writers of unrelated grains contending.
        public ConcurrentDictionary<(string GrainType, string GrainId), Entry> Entries { get; } = new(Environment.ProcessorCount * 32, 1024);

        /// <summary>The keys of the entries that have a wake time, so the recovery sweep does not walk every state.</summary>
        public ConcurrentDictionary<(string GrainType, string GrainId), byte> Waking { get; } = new();

        public void IndexWake((string GrainType, string GrainId) key, DateTime? wakeAt)
        {
            if (wakeAt is null)
            {
                Waking.TryRemove(key, out _);
            }
            else
            {
                Waking.TryAdd(key, 0);
            }
        }
    }

    // A class (reference equality) so TryUpdate/TryRemove compare-and-swap on the exact instance read.
    private sealed class Entry(int version, object state, DateTime? wakeAt)
    {
        public int Version { get; } = version;
        public object State { get; } = state;
        public DateTime? WakeAt { get; } = wakeAt;
    }
}
