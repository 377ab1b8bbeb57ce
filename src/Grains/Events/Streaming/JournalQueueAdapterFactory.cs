using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Providers.Streams.Common;
using Orleans.Streams;

namespace Distribution.Events.Streaming;

/// <summary>
/// A read-only persistent stream provider over the event journal: the journal is the queue, so an
/// event is enqueued by the same write that accepts it, and a replay reads the same rows.
/// Events are never enqueued through the stream API.
/// </summary>
public sealed class JournalQueueAdapterFactory(
    string name,
    IEventJournal journal,
    EventStreams streams,
    EventStreamOptions options,
    ILoggerFactory loggerFactory) : IQueueAdapterFactory, IQueueAdapter
{
    // Items (one read's entries of one warehouse) a queue's cache holds before its reads pause;
    // Orleans' default for its own cache.
    private const int CacheCapacity = 4096;

    private readonly JournalQueueAdapterCache _cache = new(CacheCapacity, Math.Max(1, options.DeliveryBatchSize));

    public static IQueueAdapterFactory Create(IServiceProvider services, string name) => new JournalQueueAdapterFactory(
        name,
        services.GetRequiredService<IEventJournal>(),
        services.GetRequiredService<EventStreams>(),
        services.GetRequiredService<IOptions<EventStreamOptions>>().Value,
        services.GetRequiredService<ILoggerFactory>());

    public string Name => name;

    public bool IsRewindable => false;

    public StreamProviderDirection Direction => StreamProviderDirection.ReadOnly;

    [Obsolete("Use the overload which accepts a CancellationToken.")]
    public Task<IQueueAdapter> CreateAdapter() => Task.FromResult<IQueueAdapter>(this);

    public Task<IQueueAdapter> CreateAdapter(CancellationToken cancellationToken) => Task.FromResult<IQueueAdapter>(this);

    public IQueueAdapterCache GetQueueAdapterCache() => _cache;

    public IStreamQueueMapper GetStreamQueueMapper() => streams.Mapper;

    public Task<IStreamFailureHandler> GetDeliveryFailureHandler(QueueId queueId) =>
        Task.FromResult<IStreamFailureHandler>(new NoOpStreamDeliveryFailureHandler());

    public Task QueueMessageBatchAsync<T>(StreamId streamId, IEnumerable<T> events, StreamSequenceToken? token, Dictionary<string, object>? requestContext) =>
        throw new NotSupportedException("Warehouse events enter through the event journal (POST /v1/events), not the stream API.");

    public IQueueAdapterReceiver CreateReceiver(QueueId queueId) =>
        new JournalQueueReceiver((int)queueId.GetNumericId(), journal, options, loggerFactory.CreateLogger<JournalQueueReceiver>());
}
