namespace Distribution.Operations;

/// <summary>The exception queue across its shards: lists merged newest first, commands routed by id.</summary>
[StatelessWorker, Reentrant]
public sealed class ExceptionQueueGrain : Grain, IExceptionQueueGrain
{
    public async Task<ExceptionPage> List(ExceptionFilter filter, int offset, int limit)
    {
        var shards = await Task.WhenAll(Enumerable.Range(0, ExceptionQueue.Shards)
            .Select(i => GrainFactory.GetGrain<IExceptionShardGrain>(i).List(filter)));
        var all = shards.SelectMany(s => s)
            .OrderByDescending(e => e.RaisedAt)
            .ThenBy(e => e.Id, StringComparer.Ordinal)
            .ToList();
        return new ExceptionPage([.. all.Skip(offset).Take(limit)], all.Count, offset, limit);
    }

    public Task<ExceptionView?> Get(string id) => ExceptionQueue.Shard(GrainFactory, id).Get(id);

    public Task<ExceptionCommandResult> Retry(string id) => ExceptionQueue.Shard(GrainFactory, id).Retry(id);

    public Task<ExceptionCommandResult> Resolve(string id, string? note) => ExceptionQueue.Shard(GrainFactory, id).Resolve(id, note);

    public async Task<IReadOnlyDictionary<ExceptionKind, int>> CountOpen()
    {
        var shards = await Task.WhenAll(Enumerable.Range(0, ExceptionQueue.Shards)
            .Select(i => GrainFactory.GetGrain<IExceptionShardGrain>(i).CountOpen()));
        return shards.SelectMany(s => s)
            .GroupBy(p => p.Key)
            .ToDictionary(g => g.Key, g => g.Sum(p => p.Value));
    }
}
