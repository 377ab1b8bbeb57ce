using Orleans.Runtime;

namespace Distribution.Persistence;

/// <summary>
/// A grain storage that can read a whole grain type's stored states in bulk, ahead of the
/// activations that will read them: a silo restarting on a million SKU-locations reads them a few
/// thousand rows per query instead of one storage read per activation.
/// </summary>
public interface IGrainStatePreloader
{
    /// <summary>
    /// Reads every stored state of <paramref name="grainType"/> under <paramref name="stateName"/>
    /// (<paramref name="chunkSize"/> rows per query) and holds them: until the hold is disposed, a
    /// grain among them that activates on this silo takes its state from memory instead of reading
    /// it. Disposing drops the rows of that grain type and state not taken, so none is served after
    /// the warm-up that asked (one hold per grain type and state at a time).
    /// </summary>
    Task<GrainStateHold> HoldAsync(GrainType grainType, string stateName, int chunkSize, IProgress<int>? progress = null, CancellationToken cancellationToken = default);
}

/// <summary>States held for activation (see <see cref="IGrainStatePreloader.HoldAsync"/>); dispose to drop what was not taken.</summary>
public sealed class GrainStateHold(IReadOnlyList<GrainId> grains, Func<GrainId, bool> isHeld, Action release) : IDisposable
{
    private Action? _release = release;

    /// <summary>The grains whose states are held, in storage key order.</summary>
    public IReadOnlyList<GrainId> Grains { get; } = grains;

    /// <summary>
    /// Whether <paramref name="grain"/>'s state is still held: no activation on this silo has taken
    /// it and no write has replaced it. False once the hold is disposed.
    /// </summary>
    public bool IsHeld(GrainId grain) => Volatile.Read(ref _release) is not null && isHeld(grain);

    public void Dispose() => Interlocked.Exchange(ref _release, null)?.Invoke();
}
