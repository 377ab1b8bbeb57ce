using Distribution.Common;

namespace Distribution.Governance;

/// <summary>
/// The API keys of every client, in one activation (key <see cref="Key"/>): a handful of records,
/// read by the gateways only when a key is not in their short cache. Holds SHA-256 hashes of the
/// secrets, never a secret.
/// </summary>
public interface IApiKeyGrain : IGrainWithStringKey
{
    const string Key = "api-keys";

    /// <summary>Stores a new key; <paramref name="secretHash"/> is the SHA-256 of its secret.</summary>
    Task<ApiKeyResult> Create(string keyId, ApiKeyRequest request, byte[] secretHash);

    /// <summary>The key when <paramref name="secretHash"/> matches and it is not revoked; null otherwise.</summary>
    [ReadOnly, AlwaysInterleave]
    Task<ApiKeyInfo?> Verify(string keyId, byte[] secretHash);

    [ReadOnly, AlwaysInterleave]
    Task<IReadOnlyList<ApiKeyInfo>> List();

    [ReadOnly, AlwaysInterleave]
    Task<ApiKeyInfo?> Get(string keyId);

    /// <summary>Revokes the key (revoking twice is harmless); NotFound for an unknown id.</summary>
    Task<ApiKeyResult> Revoke(string keyId);
}

/// <summary>The body of <c>POST /v1/api-keys</c>.</summary>
[GenerateSerializer, Immutable]
public sealed record ApiKeyRequest([property: Id(0)] string? Name, [property: Id(1)] IReadOnlyList<string>? Scopes);

/// <summary>A key as listed: never its secret nor its hash.</summary>
[GenerateSerializer, Immutable]
public sealed record ApiKeyInfo(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] IReadOnlyList<string> Scopes,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] DateTimeOffset? RevokedAt);

[GenerateSerializer, Immutable]
public sealed record ApiKeyResult(
    [property: Id(0)] CommandOutcome Outcome,
    [property: Id(1)] ApiKeyInfo? Key,
    [property: Id(2)] IReadOnlyList<FieldError> Errors);
