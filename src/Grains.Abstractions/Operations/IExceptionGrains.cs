namespace Distribution.Operations;

/// <summary>
/// One shard of the exception queue (key 0..<see cref="ExceptionQueue.Shards"/>-1; an exception
/// lives in the shard its id hashes to). Holds the full records, so one write keeps a record consistent.
/// </summary>
public interface IExceptionShardGrain : IGrainWithIntegerKey
{
    Task Raise(ExceptionRaise exception);

    [ReadOnly, AlwaysInterleave]
    Task<ExceptionView?> Get(string id);

    [ReadOnly, AlwaysInterleave]
    Task<IReadOnlyList<ExceptionView>> List(ExceptionFilter filter);

    Task<ExceptionCommandResult> Retry(string id);

    Task<ExceptionCommandResult> Resolve(string id, string? note);

    /// <summary>A re-driven event or re-run allocation succeeded: closes the exception.</summary>
    Task ResolveByRetry(string id, string note);

    [ReadOnly, AlwaysInterleave]
    Task<IReadOnlyDictionary<ExceptionKind, int>> CountOpen();
}

/// <summary>The exception queue as one thing: routes by id and merges the shards (stateless).</summary>
public interface IExceptionQueueGrain : IGrainWithIntegerKey
{
    Task<ExceptionPage> List(ExceptionFilter filter, int offset, int limit);

    Task<ExceptionView?> Get(string id);

    Task<ExceptionCommandResult> Retry(string id);

    Task<ExceptionCommandResult> Resolve(string id, string? note);

    /// <summary>Open (and retrying) exceptions per kind, for the metrics.</summary>
    Task<IReadOnlyDictionary<ExceptionKind, int>> CountOpen();
}

public static class ExceptionQueue
{
    public const int Shards = 8;

    /// <summary>A stable shard for an id (string.GetHashCode is randomised per process).</summary>
    public static int ShardOf(string id)
    {
        uint hash = 2166136261;
        foreach (var c in id)
        {
            hash = (hash ^ c) * 16777619;
        }

        return (int)(hash % Shards);
    }

    public static IExceptionShardGrain Shard(IGrainFactory grains, string id) =>
        grains.GetGrain<IExceptionShardGrain>(ShardOf(id));
}
