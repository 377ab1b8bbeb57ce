namespace Distribution.Common;

/// <summary>
/// Remembers the answer to a write sent with an <c>Idempotency-Key</c> (key: <c>{client scope}|{key}</c>),
/// so a retry gets the same answer and a different body under the same key is refused.
/// </summary>
public interface IIdempotencyGrain : IGrainWithStringKey
{
    /// <summary>Claims the key for a request with this body fingerprint, or says what is already known of it.</summary>
    Task<IdempotencyClaim> Begin(string fingerprint);

    /// <summary>Stores the answer of the request that claimed the key.</summary>
    Task Complete(StoredResponse response);

    /// <summary>The request failed without an answer worth repeating (5xx): a retry may run it again.</summary>
    Task Abandon();
}

public enum IdempotencyClaimState
{
    /// <summary>First time: run the request, then Complete or Abandon.</summary>
    Claimed = 0,
    /// <summary>Same key and body, answered before: replay the stored response.</summary>
    Completed = 1,
    /// <summary>Same key and body, still running.</summary>
    InProgress = 2,
    /// <summary>Same key, different body.</summary>
    Mismatch = 3,
}

[GenerateSerializer, Immutable]
public sealed record IdempotencyClaim(
    [property: Id(0)] IdempotencyClaimState State,
    [property: Id(1)] StoredResponse? Response);

[GenerateSerializer, Immutable]
public sealed record StoredResponse(
    [property: Id(0)] int StatusCode,
    [property: Id(1)] string? ContentType,
    [property: Id(2)] byte[] Body,
    [property: Id(3)] string? Location);
