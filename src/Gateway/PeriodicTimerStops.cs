namespace Distribution.Gateway;

public static class PeriodicTimerStops
{
    /// <summary>
    /// The next tick, or false once <paramref name="stoppingToken"/> is cancelled. A host that fails
    /// while starting is disposed without being stopped; a background service whose wait then throws
    /// is reported as having crashed, which hides the real start-up error in the log.
    /// </summary>
    public static async Task<bool> TickUntilStoppedAsync(this PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
