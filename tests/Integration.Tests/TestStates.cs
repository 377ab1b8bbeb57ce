using Distribution.Common;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Serialization;
using Orleans.Serialization.Serializers;

namespace Distribution.Tests;

[GenerateSerializer]
public sealed record CounterState
{
    [Id(0)] public int Count { get; init; }

    [Id(1)] public string Note { get; init; } = "";

    [Id(2)] public DateTimeOffset? WakeAt { get; init; }
}

/// <summary>A state its grain writes and then leaves alone, like an order once placed.</summary>
[GenerateSerializer]
public sealed class PlacedState : IStoredAsBytes
{
    [Id(0)] public List<string> Lines { get; set; } = [];
}

/// <summary>A state keeping its lines as stored entries, like a SKU-location's reservations.</summary>
[GenerateSerializer]
public sealed class LedgerState : IHasStoredEntries
{
    [Id(0)] public int Total { get; set; }

    [field: NonSerialized]
    public StoredEntries<LedgerLine> Lines { get; } = new();

    IEnumerable<KeyValuePair<string, object>> IHasStoredEntries.StoredEntries =>
        Lines.Pairs.Select(p => new KeyValuePair<string, object>(p.Key, p.Value));

    IReadOnlyList<KeyValuePair<string, object?>> IHasStoredEntries.TakeChangedEntries() => Lines.TakeChanges();

    void IHasStoredEntries.LoadEntries(IEnumerable<KeyValuePair<string, object>> entries) => Lines.Load(entries);

    public Dictionary<string, int> Snapshot() => Lines.Pairs.ToDictionary(p => p.Key, p => p.Value.Quantity);
}

[GenerateSerializer, Immutable]
public sealed record LedgerLine([property: Id(0)] int Quantity);

/// <summary>Orleans' serializer outside a silo, knowing this assembly's [GenerateSerializer] types.</summary>
public static class TestSerialization
{
    private static readonly ServiceProvider Services = new ServiceCollection()
        .AddSerializer(b => b.AddAssembly(typeof(CounterState).Assembly))
        .BuildServiceProvider();

    public static Serializer Serializer => Services.GetRequiredService<Serializer>();

    public static IActivatorProvider Activators => Services.GetRequiredService<IActivatorProvider>();
}
