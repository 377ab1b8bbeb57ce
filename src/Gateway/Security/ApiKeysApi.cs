using Distribution.Common;
using Distribution.Gateway.Http;
using Distribution.Governance;

namespace Distribution.Gateway.Security;

/// <summary>Admin endpoints for the clients' API keys: create (the key is shown once), list, revoke.</summary>
public static class ApiKeysApi
{
    public const string Path = "/v1/api-keys";

    public static RouteGroupBuilder MapApiKeysApiV1(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Path).WithTags("API keys").RequireScope(Scopes.Admin);

        group.MapPost("/", async (ApiKeyRequest body, IGrainFactory grains) =>
        {
            var (id, hash, text) = ApiKey.Issue();
            var result = await grains.GetGrain<IApiKeyGrain>(IApiKeyGrain.Key).Create(id, body, hash);
            return result.Key is { } key
                ? Results.Created($"{Path}/{key.Id}", new CreatedApiKey(key.Id, key.Name, key.Scopes, key.CreatedAt, text))
                : ApiResults.From<object>(result.Outcome, null, result.Errors);
        }).WithSummary("Create a client's API key with its scopes; the answer carries the key, which is never shown again");

        group.MapGet("/", async (IGrainFactory grains) =>
            Results.Ok(await grains.GetGrain<IApiKeyGrain>(IApiKeyGrain.Key).List()))
            .WithSummary("Every API key with its scopes and whether it is revoked (never a secret)");

        group.MapGet("/{keyId}", async (string keyId, IGrainFactory grains) =>
            Identifiers.IsValid(keyId) && await grains.GetGrain<IApiKeyGrain>(IApiKeyGrain.Key).Get(keyId) is { } key
                ? Results.Ok(key)
                : ApiResults.NotFound("keyId", $"unknown API key '{keyId}'"))
            .WithSummary("One API key (never its secret)");

        group.MapDelete("/{keyId}", async (string keyId, IGrainFactory grains) =>
        {
            if (!Identifiers.IsValid(keyId))
            {
                return ApiResults.NotFound("keyId", $"unknown API key '{keyId}'");
            }

            var result = await grains.GetGrain<IApiKeyGrain>(IApiKeyGrain.Key).Revoke(keyId);
            return ApiResults.From(result.Outcome, result.Key, result.Errors);
        }).WithSummary("Revoke an API key: gateways refuse it once their key cache expires (Auth:KeyCacheDuration, 30 s by default)");

        return group;
    }

    /// <summary>The answer to a creation: the only time <paramref name="Key"/> is shown.</summary>
    public sealed record CreatedApiKey(string Id, string Name, IReadOnlyList<string> Scopes, DateTimeOffset CreatedAt, string Key);
}
