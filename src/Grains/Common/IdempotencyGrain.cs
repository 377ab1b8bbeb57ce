namespace Distribution.Common;

/// <summary>One idempotency key. Keys are honoured for <see cref="Retention"/>, then may be reused.</summary>
public sealed class IdempotencyGrain(
    [PersistentState("idempotency", GrainStorage.Name)] IPersistentState<IdempotencyState> state,
    TimeProvider time) : Grain, IIdempotencyGrain
{
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    // A claim that never completed (the gateway died mid-request) does not block the key forever.
    private static readonly TimeSpan InProgressTimeout = TimeSpan.FromMinutes(1);

    public async Task<IdempotencyClaim> Begin(string fingerprint)
    {
        var s = state.State;
        var now = time.GetUtcNow();
        if (s.Fingerprint is not null)
        {
            var age = now - s.At;
            var expired = s.Response is null ? age > InProgressTimeout : age > Retention;
            if (!expired)
            {
                if (!string.Equals(s.Fingerprint, fingerprint, StringComparison.Ordinal))
                {
                    return new IdempotencyClaim(IdempotencyClaimState.Mismatch, null);
                }

                return s.Response is null
                    ? new IdempotencyClaim(IdempotencyClaimState.InProgress, null)
                    : new IdempotencyClaim(IdempotencyClaimState.Completed, s.Response);
            }
        }

        s.Fingerprint = fingerprint;
        s.Response = null;
        s.At = now;
        await state.WriteStateAsync();
        return new IdempotencyClaim(IdempotencyClaimState.Claimed, null);
    }

    public async Task Complete(StoredResponse response)
    {
        state.State.Response = response;
        state.State.At = time.GetUtcNow();
        await state.WriteStateAsync();
    }

    public async Task Abandon()
    {
        await state.ClearStateAsync();
        state.State = new IdempotencyState();
    }
}
