using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Streams;

namespace Distribution.Events.Streaming;

public static class EventPipelineHosting
{
    /// <summary>
    /// Adds the warehouse event pipeline to a silo: the journal-backed stream provider whose
    /// pulling agents feed each warehouse's <see cref="WarehouseEventsGrain"/>. The journal is
    /// whatever <see cref="IEventJournal"/> is registered; without one, the in-memory journal of
    /// the silo's ServiceId (embedded mode and test clusters).
    /// </summary>
    public static ISiloBuilder AddWarehouseEventPipeline(this ISiloBuilder silo, IConfiguration? section = null)
    {
        var options = silo.Services.AddOptions<EventStreamOptions>();
        if (section is not null)
        {
            options.Bind(section);
        }

        silo.Services.TryAddSingleton(sp => new EventStreams(sp.GetRequiredService<IOptions<EventStreamOptions>>().Value.QueueCount));
        silo.Services.TryAddSingleton<EventBacklog>();
        silo.Services.TryAddSingleton<IEventJournal>(sp => MemoryEventJournal.For(sp.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId));
        silo.AddPersistentStreams(EventStreams.ProviderName, JournalQueueAdapterFactory.Create, stream =>
        {
            stream.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly);
            stream.ConfigurePullingAgent(agent => agent.Configure<IOptions<EventStreamOptions>>((o, events) =>
            {
                o.GetQueueMsgsTimerPeriod = events.Value.PollInterval;
                // One cache item per delivery: the journal's cache merges a warehouse's waiting
                // items itself and learns of a delivery from the cursor's next move (JournalQueueCursor).
                o.BatchContainerBatchSize = 1;
                // Never skip an event: the consumer turns bad events into dead letters itself, so a
                // delivery failure is an outage (storage down) and waiting it out is right.
                o.MaxEventDeliveryTime = Timeout.InfiniteTimeSpan;
            }));
        });
        return silo;
    }
}
