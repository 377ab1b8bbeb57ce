using Orleans.Configuration;
using Orleans.Streams;

namespace Distribution.Events.Streaming;

/// <summary>
/// Where warehouse events flow: stream provider <see cref="ProviderName"/>, one stream per
/// warehouse in namespace <see cref="Namespace"/>, spread over the journal's queues. The journal
/// stores each entry's queue, so the append and the pulling agents must agree on the mapping:
/// both use <see cref="QueueOf"/>.
/// </summary>
public sealed class EventStreams
{
    public const string ProviderName = "events";
    public const string Namespace = "warehouse";

    public EventStreams(int queueCount)
    {
        QueueCount = queueCount;
        Mapper = new HashRingBasedStreamQueueMapper(new HashRingStreamQueueMapperOptions { TotalQueueCount = queueCount }, "events");
    }

    public int QueueCount { get; }

    public HashRingBasedStreamQueueMapper Mapper { get; }

    public static StreamId StreamOf(string warehouseId) => StreamId.Create(Namespace, warehouseId);

    public int QueueOf(string warehouseId) => (int)Mapper.GetQueueForStream(StreamOf(warehouseId)).GetNumericId();
}

/// <summary>Tunables of the event pipeline (configuration section <c>Events</c>).</summary>
public sealed class EventStreamOptions
{
    /// <summary>Journal queues (each read by one pulling agent somewhere in the cluster). Fixed for a journal's life.</summary>
    public int QueueCount { get; set; } = 4;

    /// <summary>Most events one read of a queue takes from the journal.</summary>
    public int ReadBatchSize { get; set; } = 2000;

    /// <summary>
    /// Most stream items (each one journal read's entries of a warehouse) the queue cache merges into
    /// one delivery to a warehouse's consumer, applied as one batch. Items queue up while the previous
    /// batch is applied; taking them together pays each SKU-location's write and the finance feed's
    /// write once.
    /// </summary>
    public int DeliveryBatchSize { get; set; } = 16;

    /// <summary>How often each pulling agent reads its queue.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>The durable silo's default for <see cref="MaxPendingPerQueue"/>.</summary>
    public const int DurableMaxPendingPerQueue = 1200;

    /// <summary>
    /// Accepted but unprocessed events a queue may hold before ingest holds, then refuses (429),
    /// batches that go to it (0: never). With the queues together, well under a second of applying
    /// on a 2-core machine: 5,000 in memory, <see cref="DurableMaxPendingPerQueue"/> on PostgreSQL
    /// (see BENCHMARKS.md).
    /// </summary>
    public int MaxPendingPerQueue { get; set; } = 5000;

    /// <summary>
    /// How long a count of the queues' backlogs serves ingest before it is counted again. A stale
    /// count keeps pushing back after the backlog has drained.
    /// </summary>
    public TimeSpan BacklogRefreshInterval { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// How long a batch for a queue at <see cref="MaxPendingPerQueue"/> waits for room before ingest
    /// answers 429 (0: answer at once).
    /// </summary>
    public TimeSpan AdmissionWait { get; set; } = TimeSpan.FromMilliseconds(500);
}
