using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace Distribution.Persistence;

/// <summary>Silo registration of the project's grain storages and schema.</summary>
public static class PersistenceSiloBuilderExtensions
{
    /// <summary>
    /// Adds <see cref="BatchedGrainStorage"/> (PostgreSQL, group commit) as the named grain storage
    /// <paramref name="name"/> (keyed <see cref="IGrainStorage"/>). Also registers it as keyed
    /// <see cref="IGrainWakeQueue"/> under the same name, and as the unkeyed
    /// <see cref="IGrainWakeQueue"/> if none is registered yet. Its flush loops stop with the silo
    /// (storage stage, after grains deactivated); the schema is applied at start unless
    /// <see cref="BatchedGrainStorageOptions.ApplySchemaOnStart"/> is false.
    /// </summary>
    public static ISiloBuilder AddBatchedPostgresGrainStorage(this ISiloBuilder builder, string name, Action<BatchedGrainStorageOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configure);

        builder.Services.AddOptions<BatchedGrainStorageOptions>(name)
            .Configure(configure)
            .PostConfigure<IOptions<ClusterOptions>>((o, cluster) => o.ServiceId ??= cluster.Value.ServiceId);
        builder.Services.AddGrainStorage(name, static (sp, key) => new BatchedGrainStorage(
            key,
            sp.GetRequiredService<IOptionsMonitor<BatchedGrainStorageOptions>>().Get(key),
            sp.GetRequiredService<Serializer>(),
            sp.GetRequiredService<IActivatorProvider>(),
            sp.GetService<ILogger<BatchedGrainStorage>>()));
        AddWakeQueue(builder.Services, name);
        return builder;
    }

    /// <summary>
    /// Makes the event journal PostgreSQL (<see cref="PostgresEventJournal"/>, schema 004, keyed by
    /// the silo's ServiceId; statements prepared as in <see cref="PostgresDataSource"/>). Register
    /// before the event pipeline, which otherwise uses memory.
    /// </summary>
    public static ISiloBuilder AddPostgresEventJournal(this ISiloBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        builder.Services.AddSingleton<Distribution.Events.IEventJournal>(sp => new PostgresEventJournal(
            PostgresDataSource.Create(connectionString),
            sp.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId,
            sp.GetRequiredService<ILogger<PostgresEventJournal>>(),
            ownsDataSource: true));
        return builder;
    }

    /// <summary>
    /// Adds <see cref="LocalMemoryGrainStorage"/> as the named grain storage <paramref name="name"/>:
    /// in-process, shared by all silos of the same ServiceId in this process. Also registered as
    /// keyed (and, if none yet, unkeyed) <see cref="IGrainWakeQueue"/>.
    /// </summary>
    public static ISiloBuilder AddLocalMemoryGrainStorage(this ISiloBuilder builder, string name, Action<LocalMemoryGrainStorageOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);

        var options = builder.Services.AddOptions<LocalMemoryGrainStorageOptions>(name);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        builder.Services.AddGrainStorage(name, static (sp, key) => new LocalMemoryGrainStorage(
            key,
            sp.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId,
            sp.GetRequiredService<IOptionsMonitor<LocalMemoryGrainStorageOptions>>().Get(key),
            sp.GetRequiredService<Serializer>(),
            sp.GetRequiredService<IActivatorProvider>()));
        AddWakeQueue(builder.Services, name);
        return builder;
    }

    /// <summary>
    /// Applies <see cref="PostgresSchema"/> early in silo start-up (before clustering and
    /// reminders read their queries). Needed when the silo uses ADO.NET clustering/reminders on
    /// this schema without <see cref="AddBatchedPostgresGrainStorage"/>; harmless otherwise.
    /// </summary>
    public static ISiloBuilder ApplyPostgresSchemaOnStart(this ISiloBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        builder.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(new SchemaParticipant(connectionString));
        return builder;
    }

    private static void AddWakeQueue(IServiceCollection services, string name)
    {
        services.AddKeyedSingleton<IGrainWakeQueue>(name, static (sp, key) =>
            (IGrainWakeQueue)sp.GetRequiredKeyedService<IGrainStorage>(key));
        services.TryAddSingleton<IGrainWakeQueue>(sp => sp.GetRequiredKeyedService<IGrainWakeQueue>(name));
    }

    private sealed class SchemaParticipant(string connectionString) : ILifecycleParticipant<ISiloLifecycle>
    {
        public void Participate(ISiloLifecycle lifecycle) =>
            lifecycle.Subscribe(
                nameof(PostgresSchema),
                ServiceLifecycleStage.RuntimeInitialize,
                ct => PostgresSchema.ApplyAsync(connectionString, ct),
                _ => Task.CompletedTask);
    }
}
