namespace Distribution.Common;

/// <summary>Helpers for grains that change their state and then call other grains.</summary>
public static class GrainSteps
{
    /// <summary>
    /// Runs one step of a grain. A failed step may leave memory ahead of storage (a write failed,
    /// or a call after it), so the activation is dropped and the next call starts from storage.
    /// </summary>
    public static async Task<T> DeactivateOnFailure<T>(this IGrainBase grain, Func<Task<T>> step)
    {
        try
        {
            return await step();
        }
        catch
        {
            grain.DeactivateOnIdle();
            throw;
        }
    }
}
