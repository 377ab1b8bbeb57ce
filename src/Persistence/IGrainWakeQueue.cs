using Orleans.Runtime;

namespace Distribution.Persistence;

/// <summary>
/// Grains whose stored state carries a wake-up time (filled by the storage's <c>WakeAtSelector</c>
/// on every write) that has come. A silo-side scanner polls it after a crash or restart and pings
/// the grains so they resume their work, without any reminder write on the hot path.
/// </summary>
public interface IGrainWakeQueue
{
    /// <summary>Grain ids whose wake-up time is at or before <paramref name="now"/>, earliest first.</summary>
    Task<IReadOnlyList<GrainId>> GetDueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default);
}
