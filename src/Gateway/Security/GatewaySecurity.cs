using Distribution.Governance;

namespace Distribution.Gateway.Security;

/// <summary>
/// Composition of the gateway's governance: API key authentication, per-scope authorization and
/// per-key rate limits (the key store grain lives in the silos).
/// </summary>
public static class GatewaySecurity
{
    private const int MinAdminKeyLength = 16;

    public static WebApplicationBuilder AddGatewaySecurity(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var section = builder.Configuration.GetSection(AuthOptions.Section);
        var adminKey = section[nameof(AuthOptions.AdminKey)];
        if (string.IsNullOrWhiteSpace(adminKey))
        {
            adminKey = ApiKey.NewBootstrapKey();
            services.AddSingleton(new GeneratedAdminKey(adminKey));
        }
        else if (adminKey.Length < MinAdminKeyLength)
        {
            throw new InvalidOperationException($"Auth:AdminKey must be at least {MinAdminKeyLength} characters.");
        }

        services.Configure<AuthOptions>(section);
        services.PostConfigure<AuthOptions>(o => o.AdminKey = adminKey);
        services.AddSingleton<ApiKeyVerifier>();
        services.AddAuthentication(ApiKeyAuthentication.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null);
        services.AddScopeAuthorization();
        services.AddClientRateLimits(builder.Configuration);
        return builder;
    }

    /// <summary>Authentication, then authorization (401/403 before anything runs), then the key's rate limit.</summary>
    public static WebApplication UseGatewaySecurity(this WebApplication app)
    {
        if (app.Services.GetService<GeneratedAdminKey>() is { } generated)
        {
            app.Lifetime.ApplicationStarted.Register(() => app.Logger.LogWarning(
                "No Auth:AdminKey configured: this process generated the admin API key {AdminKey} (X-Api-Key header, or sign in at /login). "
                + "It changes at every start; set Auth__AdminKey to keep one.",
                generated.Key));
        }

        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        return app;
    }

    public static WebApplication MapGatewaySecurity(this WebApplication app)
    {
        app.MapApiKeysApiV1();
        app.MapLogin();
        return app;
    }

    private sealed record GeneratedAdminKey(string Key);
}
