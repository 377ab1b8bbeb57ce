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

/// <summary>Orleans' serializer outside a silo, knowing this assembly's [GenerateSerializer] types.</summary>
public static class TestSerialization
{
    private static readonly ServiceProvider Services = new ServiceCollection()
        .AddSerializer(b => b.AddAssembly(typeof(CounterState).Assembly))
        .BuildServiceProvider();

    public static Serializer Serializer => Services.GetRequiredService<Serializer>();

    public static IActivatorProvider Activators => Services.GetRequiredService<IActivatorProvider>();
}
