using Distribution.Governance;
using Microsoft.AspNetCore.Authorization;

namespace Distribution.Gateway.Security;

/// <summary>The scope an endpoint requires; the most specific one (an endpoint's over its group's) applies.</summary>
public sealed record RequiredScope(string Scope);

/// <summary>
/// Per-scope authorization: <c>group.RequireScope(Scopes.OrdersWrite)</c> on a route group, and on
/// an endpoint whose scope differs from its group's. One policy checks the endpoint's
/// <see cref="RequiredScope"/> against the key's scopes (admin holds them all).
/// </summary>
public static class ScopeAuthorization
{
    public const string Policy = "scope";

    public static TBuilder RequireScope<TBuilder>(this TBuilder builder, string scope)
        where TBuilder : IEndpointConventionBuilder
    {
        if (!Scopes.IsKnown(scope))
        {
            throw new ArgumentException($"'{scope}' is not a scope", nameof(scope));
        }

        builder.WithMetadata(new RequiredScope(scope));
        return builder.RequireAuthorization(Policy);
    }

    public static IServiceCollection AddScopeAuthorization(this IServiceCollection services)
    {
        services.AddSingleton<IAuthorizationHandler, ScopeHandler>();
        services.AddAuthorizationBuilder()
            .AddPolicy(Policy, p => p.RequireAuthenticatedUser().AddRequirements(new ScopeRequirement()))
            // A route mapped without a scope is still closed: admin only (and AuthTests names it).
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser()
                .RequireClaim(ApiKeyVerifier.ScopeClaim, Scopes.Admin).Build());
        return services;
    }

    private sealed class ScopeRequirement : IAuthorizationRequirement;

    private sealed class ScopeHandler : AuthorizationHandler<ScopeRequirement>
    {
        protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ScopeRequirement requirement)
        {
            var scope = (context.Resource as HttpContext)?.GetEndpoint()?.Metadata.GetMetadata<RequiredScope>()?.Scope ?? Scopes.Admin;
            if (context.User.HasClaim(ApiKeyVerifier.ScopeClaim, scope))
            {
                context.Succeed(requirement);
            }

            return Task.CompletedTask;
        }
    }
}
