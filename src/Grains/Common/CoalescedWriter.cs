using Orleans.Core;

namespace Distribution.Common;

/// <summary>
/// Keeps one state write outstanding for a reentrant grain: callers that mutate while a write is
/// in flight share the next write, so a hot grain persists many changes per round trip and never
/// races itself on the etag. Every caller's task completes only after a write that started after
/// its mutation has finished.
/// </summary>
internal abstract class CoalescedWriter
{
    /// <summary>
    /// The writer of a grain's persistent state. When a write fails the grain's memory is ahead of
    /// storage, so the activation is dropped (the next call reloads it from storage).
    /// </summary>
    public static CoalescedWriter ForState(Grain grain, IStorage state, ILogger logger) => new StateWriter(grain, state, logger);

    /// <summary>One write of everything changed so far.</summary>
    protected abstract Task WriteOnceAsync();

    protected abstract void OnFailure(Exception e);

    private TaskCompletionSource? _next;
    private bool _running;

    public Task WriteAsync()
    {
        _next ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var task = _next.Task;
        if (!_running)
        {
            _ = PumpAsync();
        }

        return task;
    }

    private async Task PumpAsync()
    {
        _running = true;
        try
        {
            while (_next is { } waiting)
            {
                _next = null;
                try
                {
                    await WriteOnceAsync();
                    waiting.SetResult();
                }
                catch (Exception e)
                {
                    // Callers learn of the failure even if the failure handler itself throws.
                    waiting.SetException(e);
                    OnFailure(e);
                }
            }
        }
        finally
        {
            _running = false;
        }
    }

    // The grain, its state and logger as plain fields, not closures: a SKU-location is one of a
    // million live activations, and two delegates with their closure cost it 170 bytes.
    private sealed class StateWriter(Grain grain, IStorage state, ILogger logger) : CoalescedWriter
    {
        protected override Task WriteOnceAsync() => state.WriteStateAsync();

        protected override void OnFailure(Exception e)
        {
            logger.LogError(e, "Persisting {Grain} failed; deactivating", grain.GetGrainId());
            grain.GrainContext.Deactivate(new DeactivationReason(DeactivationReasonCode.ApplicationError, "persisting state failed"));
        }
    }
}
