using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Distribution.Gateway.Security;

/// <summary>
/// Authenticates a request by its API key: header <c>X-Api-Key</c>, <c>Authorization: Bearer</c>
/// (what Prometheus scrape configs send), or the HttpOnly cookie that <c>/login</c> sets for
/// browsers. Without a valid key: 401 problem+json with <c>WWW-Authenticate</c>, or, for a browser
/// page, a redirect to the login form.
/// </summary>
public sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyVerifier verifier,
    IProblemDetailsService problems) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";
    public const string CookieName = "distribution_key";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = PresentedKey(Request);
        if (presented is null)
        {
            return AuthenticateResult.NoResult();
        }

        var principal = await verifier.VerifyAsync(presented);
        return principal is null
            ? AuthenticateResult.Fail("unknown, wrong or revoked API key")
            : AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (IsBrowserPage(Request))
        {
            Response.Redirect(LoginApi.LoginPath + QueryString.Create("returnUrl", Request.PathBase + Request.Path + Request.QueryString));
            return;
        }

        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = $"{SchemeName} header=\"{HeaderName}\"";
        var presented = PresentedKey(Request) is not null;
        await WriteProblemAsync(
            "API key required",
            presented ? "the API key is unknown, wrong or revoked" : $"send the client's API key in the {HeaderName} header");
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        var scope = Context.GetEndpoint()?.Metadata.GetMetadata<RequiredScope>()?.Scope ?? Governance.Scopes.Admin;
        await WriteProblemAsync("Scope missing", $"this API key lacks the scope '{scope}' this endpoint requires");
    }

    private Task WriteProblemAsync(string title, string detail) =>
        problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = { Status = Response.StatusCode, Title = title, Detail = detail },
        }).AsTask();

    private static string? PresentedKey(HttpRequest request)
    {
        if (request.Headers[HeaderName].ToString() is { Length: > 0 } header)
        {
            return header;
        }

        if (request.Headers.Authorization.ToString() is { Length: > 7 } authorization
            && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return authorization[7..].Trim();
        }

        return request.Cookies[CookieName] is { Length: > 0 } cookie ? cookie : null;
    }

    /// <summary>A browser navigating to a page (not an API client): it is better served by the login form than by JSON.</summary>
    private static bool IsBrowserPage(HttpRequest request) =>
        HttpMethods.IsGet(request.Method)
        && !request.Path.StartsWithSegments("/v1")
        && request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);
}
