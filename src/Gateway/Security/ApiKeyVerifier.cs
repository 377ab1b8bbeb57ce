using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Distribution.Governance;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Distribution.Gateway.Security;

/// <summary>
/// Turns a presented key into the client it belongs to: the bootstrap admin key from
/// configuration, or a stored key verified by the key store grain. Answers (also "unknown") are
/// cached for <see cref="AuthOptions.KeyCacheDuration"/>, so the order hot path does not pay a
/// grain call per request.
/// </summary>
public sealed class ApiKeyVerifier : IDisposable
{
    public const string KeyIdClaim = "key_id";
    public const string ScopeClaim = "scope";
    public const string BootstrapKeyId = "admin";

    // Bounded: a flood of made-up keys must not grow the cache without limit.
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = 10_000 });
    private readonly IServiceProvider _services;
    private readonly TimeSpan _cacheDuration;
    private readonly byte[] _adminKey;
    private readonly ClaimsPrincipal _admin;

    public ApiKeyVerifier(IServiceProvider services, IOptions<AuthOptions> options)
    {
        _services = services;
        _cacheDuration = options.Value.KeyCacheDuration;
        _adminKey = Encoding.UTF8.GetBytes(options.Value.AdminKey ?? throw new InvalidOperationException("Auth:AdminKey is not set"));
        _admin = Principal(BootstrapKeyId, "bootstrap admin key", [Scopes.Admin]);
    }

    /// <summary>The client of <paramref name="presented"/>, or null for a key that is unknown, wrong or revoked.</summary>
    public async ValueTask<ClaimsPrincipal?> VerifyAsync(string presented)
    {
        if (CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), _adminKey))
        {
            return _admin;
        }

        if (!ApiKey.TryParse(presented, out var id, out var secret))
        {
            return null;
        }

        if (_cacheDuration > TimeSpan.Zero && _cache.TryGetValue(presented, out ClaimsPrincipal? cached))
        {
            return cached;
        }

        // Resolved lazily: in the embedded host the cluster client exists only once the silo started.
        var grains = _services.GetRequiredService<IGrainFactory>();
        var key = await grains.GetGrain<IApiKeyGrain>(IApiKeyGrain.Key).Verify(id, ApiKey.Hash(secret));
        var principal = key is null ? null : Principal(key.Id, key.Name, key.Scopes);
        if (_cacheDuration > TimeSpan.Zero)
        {
            _cache.Set(presented, principal, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = _cacheDuration });
        }

        return principal;
    }

    private static ClaimsPrincipal Principal(string keyId, string name, IEnumerable<string> scopes)
    {
        var claims = new List<Claim> { new(KeyIdClaim, keyId), new(ClaimTypes.Name, name) };
        claims.AddRange(Scopes.Granted(scopes).Select(s => new Claim(ScopeClaim, s)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, ApiKeyAuthentication.SchemeName, ClaimTypes.Name, null));
    }

    public void Dispose() => _cache.Dispose();
}
