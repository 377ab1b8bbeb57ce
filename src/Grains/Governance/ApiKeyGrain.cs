using System.Security.Cryptography;
using Distribution.Common;

namespace Distribution.Governance;

/// <summary>
/// The API key store. Creating and revoking are rare admin actions; verification is a read served
/// from memory (gateways cache the answer for a few seconds on top).
/// </summary>
public sealed class ApiKeyGrain(
    [PersistentState("apiKeys", GrainStorage.Name)] IPersistentState<ApiKeyState> state,
    TimeProvider time) : Grain, IApiKeyGrain
{
    private const int HashLength = 32;

    private Dictionary<string, StoredApiKey> Keys => state.State.Keys;

    public async Task<ApiKeyResult> Create(string keyId, ApiKeyRequest request, byte[] secretHash)
    {
        var errors = ApiKeyValidation.Validate(request);
        if (errors.Count > 0)
        {
            return new(CommandOutcome.Invalid, null, errors);
        }

        if (!Identifiers.IsValid(keyId) || secretHash.Length != HashLength)
        {
            throw new ArgumentException("a key id and a SHA-256 hash are required");
        }

        if (Keys.ContainsKey(keyId))
        {
            // Ids are random: a clash means a caller reused one, never two clients sharing a key.
            return new(CommandOutcome.Conflict, null, [new("id", $"key '{keyId}' exists")]);
        }

        var key = new StoredApiKey
        {
            Id = keyId,
            Name = request.Name!.Trim(),
            Scopes = [.. request.Scopes!.Distinct(StringComparer.Ordinal)],
            SecretHash = secretHash,
            CreatedAt = time.GetUtcNow(),
        };
        Keys[keyId] = key;
        await state.WriteStateAsync();
        return new(CommandOutcome.Created, key.ToInfo(), []);
    }

    public Task<ApiKeyInfo?> Verify(string keyId, byte[] secretHash) =>
        Task.FromResult(
            Keys.TryGetValue(keyId, out var key)
            && key.RevokedAt is null
            && CryptographicOperations.FixedTimeEquals(key.SecretHash, secretHash)
                ? key.ToInfo()
                : null);

    public Task<IReadOnlyList<ApiKeyInfo>> List() =>
        Task.FromResult<IReadOnlyList<ApiKeyInfo>>([.. Keys.Values.OrderBy(k => k.CreatedAt).ThenBy(k => k.Id, StringComparer.Ordinal).Select(k => k.ToInfo())]);

    public Task<ApiKeyInfo?> Get(string keyId) => Task.FromResult(Keys.GetValueOrDefault(keyId)?.ToInfo());

    public async Task<ApiKeyResult> Revoke(string keyId)
    {
        if (!Keys.TryGetValue(keyId, out var key))
        {
            return new(CommandOutcome.NotFound, null, [new("id", $"unknown API key '{keyId}'")]);
        }

        if (key.RevokedAt is null)
        {
            key.RevokedAt = time.GetUtcNow();
            await state.WriteStateAsync();
        }

        return new(CommandOutcome.Updated, key.ToInfo(), []);
    }
}
