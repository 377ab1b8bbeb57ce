using System.Globalization;
using System.Threading.RateLimiting;
using Distribution.Common;
using Distribution.Gateway.Http;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.RateLimiting;

namespace Distribution.Gateway.Security;

/// <summary>Configuration section <c>RateLimits</c>: one token bucket per API key.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    public bool Enabled { get; set; } = true;

    /// <summary>Tokens added to a key's bucket each second (one request takes one).</summary>
    public int PermitsPerSecond { get; set; } = 50_000;

    /// <summary>Most tokens a bucket holds: the burst a key may send after being idle.</summary>
    public int Burst { get; set; } = 100_000;

    /// <summary>Per key id (<c>RateLimits:Keys:{id}:PermitsPerSecond</c>, ...); <c>admin</c> is the bootstrap key.</summary>
    public Dictionary<string, KeyLimit> Keys { get; set; } = new(StringComparer.Ordinal);

    public sealed class KeyLimit
    {
        public int? PermitsPerSecond { get; set; }
        public int? Burst { get; set; }
    }
}

/// <summary>
/// Rate limits per client key (ASP.NET Core's RateLimiter, partitioned by key id). Anonymous
/// endpoints (probes, the login form, the API description) are not limited, key or not: they never
/// reach the cluster's data. Over the limit: 429 problem+json with <c>Retry-After</c>, and nothing is done.
/// </summary>
public static class ClientRateLimits
{
    public static IServiceCollection AddClientRateLimits(this IServiceCollection services, IConfiguration config)
    {
        var options = config.GetSection(RateLimitOptions.Section).Get<RateLimitOptions>() ?? new RateLimitOptions();
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = (context, _) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
                var result = ApiResults.TooManyRequests(retryAfter, "Rate limit exceeded", [new FieldError(
                    ApiKeyAuthentication.HeaderName,
                    string.Create(CultureInfo.InvariantCulture, $"this API key may send {Limit(options, KeyId(context.HttpContext)).TokensPerPeriod} requests per second; retry after the wait"))]);
                return new ValueTask(result.ExecuteAsync(context.HttpContext));
            };
            if (options.Enabled)
            {
                o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
                    KeyId(http) is { } keyId && http.GetEndpoint()?.Metadata.GetMetadata<IAllowAnonymous>() is null
                        ? RateLimitPartition.GetTokenBucketLimiter(keyId, id => Limit(options, id))
                        : RateLimitPartition.GetNoLimiter(""));
            }
        });
        return services;
    }

    private static string? KeyId(HttpContext http) => http.User.FindFirst(ApiKeyVerifier.KeyIdClaim)?.Value;

    private static TokenBucketRateLimiterOptions Limit(RateLimitOptions options, string? keyId)
    {
        var own = keyId is null ? null : options.Keys.GetValueOrDefault(keyId);
        var perSecond = Math.Max(1, own?.PermitsPerSecond ?? options.PermitsPerSecond);
        return new TokenBucketRateLimiterOptions
        {
            TokensPerPeriod = perSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            TokenLimit = Math.Max(1, own?.Burst ?? options.Burst),
            QueueLimit = 0,
            AutoReplenishment = true,
        };
    }
}
