using System.Net;
using Distribution.Governance;

namespace Distribution.Gateway.Security;

/// <summary>
/// A small login form for browsers (the dashboard, the operations page): it takes an admin key and
/// keeps it in an HttpOnly, SameSite=Strict cookie that the API key handler reads like the header.
/// </summary>
public static class LoginApi
{
    public const string LoginPath = "/login";
    public const string LogoutPath = "/logout";
    private const string DefaultReturnUrl = "/dashboard";

    public static IEndpointRouteBuilder MapLogin(this IEndpointRouteBuilder app)
    {
        app.MapGet(LoginPath, (string? returnUrl) => Page(returnUrl, error: null))
            .AllowAnonymous().ExcludeFromDescription();

        app.MapPost(LoginPath, async (HttpContext http, ApiKeyVerifier verifier) =>
        {
            var form = await http.Request.ReadFormAsync();
            var key = form["apiKey"].ToString().Trim();
            var returnUrl = form["returnUrl"].ToString();
            var principal = key.Length == 0 ? null : await verifier.VerifyAsync(key);
            if (principal is null || !principal.HasClaim(ApiKeyVerifier.ScopeClaim, Scopes.Admin))
            {
                return Page(returnUrl, principal is null ? "That key is unknown, wrong or revoked." : "That key has no admin scope.", StatusCodes.Status401Unauthorized);
            }

            http.Response.Cookies.Append(ApiKeyAuthentication.CookieName, key, new CookieOptions
            {
                HttpOnly = true,
                // Never sent by another site's page: the cookie cannot be used for cross-site requests.
                SameSite = SameSiteMode.Strict,
                Secure = http.Request.IsHttps,
                Path = "/",
                MaxAge = TimeSpan.FromHours(12),
            });
            return Results.Redirect(IsLocal(returnUrl) ? returnUrl : DefaultReturnUrl);
        }).AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();

        app.MapPost(LogoutPath, (HttpContext http) =>
        {
            http.Response.Cookies.Delete(ApiKeyAuthentication.CookieName, new CookieOptions { Path = "/" });
            return Results.Redirect(LoginPath);
        }).AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();

        return app;
    }

    /// <summary>Only paths on this host: an open redirect would let a link send the user elsewhere after login.</summary>
    private static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'));

    private static IResult Page(string? returnUrl, string? error, int status = StatusCodes.Status200OK)
    {
        var target = WebUtility.HtmlEncode(IsLocal(returnUrl) ? returnUrl : DefaultReturnUrl);
        var message = error is null ? "" : $"<p role=\"alert\" style=\"color:#b00\">{WebUtility.HtmlEncode(error)}</p>";
        var html = $$"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>Distribution.Orleans: sign in</title>
            <style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:4rem auto}input{width:100%;padding:.5rem;margin:.5rem 0}</style></head>
            <body><h1>Sign in</h1>
            <p>The dashboard and the operations page need an admin API key.</p>{{message}}
            <form method="post" action="{{LoginPath}}">
            <label for="apiKey">Admin API key</label>
            <input id="apiKey" name="apiKey" type="password" autocomplete="off" required autofocus>
            <input type="hidden" name="returnUrl" value="{{target}}">
            <button type="submit">Sign in</button>
            </form></body></html>
            """;
        return Results.Content(html, "text/html; charset=utf-8", statusCode: status);
    }
}
