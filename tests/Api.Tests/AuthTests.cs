using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Distribution.Gateway.Security;
using Distribution.Governance;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static Distribution.Tests.Api.ApiTestClient;

namespace Distribution.Tests.Api;

/// <summary>A hub whose gateways never cache a verified key, so a revocation shows at once.</summary>
public sealed class UncachedKeysHubFactory : HubFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Auth:KeyCacheDuration", "00:00:00");
    }
}

/// <summary>
/// API keys and scopes: every endpoint of the app (as its EndpointDataSource lists them, so routes
/// added later are covered) answers 401 without a key, 403 with a key lacking its scope, and runs
/// with a key holding exactly its scope.
/// </summary>
public sealed partial class AuthTests(UncachedKeysHubFactory factory) : IClassFixture<UncachedKeysHubFactory>
{
    /// <summary>Endpoints anyone may call: probes, the login form, the API's description, the root redirect.</summary>
    private static readonly HashSet<string> AnonymousRoutes = new(StringComparer.Ordinal)
    {
        "/health/live",
        "/health/ready",
        "/login",
        "/logout",
        "/openapi/{documentName}.json",
        "/",
    };

    private readonly HttpClient _admin = factory.CreateClient();

    private HttpClient Anonymous()
    {
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Remove(ApiKeyAuthentication.HeaderName);
        return client;
    }

    private HttpClient WithKey(string key)
    {
        var client = Anonymous();
        client.DefaultRequestHeaders.Add(ApiKeyAuthentication.HeaderName, key);
        return client;
    }

    private IReadOnlyList<RouteEndpoint> Endpoints() =>
        [.. factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()];

    private static bool IsAnonymous(RouteEndpoint e) =>
        e.Metadata.GetMetadata<IAllowAnonymous>() is not null && e.Metadata.GetMetadata<RequiredScope>() is null;

    private static string Route(RouteEndpoint e) => "/" + (e.RoutePattern.RawText ?? "").TrimStart('/');

    [Fact]
    public void Every_endpoint_requires_a_scope_unless_it_is_a_known_anonymous_one()
    {
        var endpoints = Endpoints();
        Assert.Contains(endpoints, e => Route(e) == "/v1/orders/");
        // Changing a webhook subscription (where events and their data go) is an admin matter.
        Assert.Contains(endpoints, e => Route(e) == "/v1/subscriptions/{id}" && Methods(e) == "PUT" && e.Metadata.GetMetadata<RequiredScope>()?.Scope == Scopes.Admin);

        var unscoped = endpoints
            .Where(e => e.Metadata.GetMetadata<RequiredScope>() is null)
            .Where(e => !(IsAnonymous(e) && (AnonymousRoutes.Contains(Route(e)) || Route(e).StartsWith("/api-reference", StringComparison.Ordinal))))
            .Select(e => $"{Methods(e)} {Route(e)}")
            .ToList();
        Assert.True(unscoped.Count == 0, "endpoints without .RequireScope(...) (or not on the anonymous list): " + string.Join(", ", unscoped));
    }

    [Fact]
    public async Task Every_scoped_endpoint_answers_401_without_a_key_403_with_a_wrong_scope_and_runs_with_its_scope()
    {
        var keys = new Dictionary<string, (string Only, string AllBut)>();
        foreach (var scope in Scopes.All)
        {
            var others = Scopes.All.Where(s => s != scope && s != Scopes.Admin).ToArray();
            keys[scope] = (await CreateKeyAsync($"only {scope}", scope), await CreateKeyAsync($"all but {scope}", others));
        }

        using var anonymous = Anonymous();
        var failures = new List<string>();
        var checkedEndpoints = 0;
        foreach (var endpoint in Endpoints().Where(e => e.Metadata.GetMetadata<RequiredScope>() is not null))
        {
            var scope = endpoint.Metadata.GetMetadata<RequiredScope>()!.Scope;
            foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
            {
                var path = SamplePath(endpoint);
                checkedEndpoints++;

                using (var response = await anonymous.SendAsync(Request(method, path)))
                {
                    if (response.StatusCode != HttpStatusCode.Unauthorized || !response.Headers.WwwAuthenticate.Any()
                        || response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                    {
                        failures.Add($"{method} {path} without a key: {(int)response.StatusCode}, expected a 401 problem with WWW-Authenticate");
                    }
                }

                using (var wrong = WithKey(keys[scope].AllBut))
                using (var response = await wrong.SendAsync(Request(method, path)))
                {
                    if (response.StatusCode != HttpStatusCode.Forbidden || response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                    {
                        failures.Add($"{method} {path} with every scope but {scope}: {(int)response.StatusCode}, expected a 403 problem");
                    }
                }

                // The dashboard's own API polls and streams; its routes' authorization is what matters here.
                if (path.StartsWith("/dashboard/", StringComparison.Ordinal))
                {
                    continue;
                }

                using (var right = WithKey(keys[scope].Only))
                using (var response = await right.SendAsync(Request(method, path)))
                {
                    if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                    {
                        failures.Add($"{method} {path} with only {scope}: {(int)response.StatusCode}");
                    }
                }
            }
        }

        Assert.True(checkedEndpoints > 40, $"only {checkedEndpoints} endpoints found");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task A_created_key_is_shown_once_works_with_its_scopes_only_and_is_refused_once_revoked()
    {
        using var created = await _admin.PostAsJsonAsync("/v1/api-keys", new { name = "web shop", scopes = new[] { Scopes.OrdersRead, Scopes.InventoryRead } });
        await EnsureAsync(created, HttpStatusCode.Created);
        var body = await ReadJsonAsync(created);
        var id = body.Str("id")!;
        var key = body.Str("key")!;
        Assert.StartsWith($"dk_{id}_", key, StringComparison.Ordinal);
        Assert.Equal($"/v1/api-keys/{id}", created.Headers.Location?.OriginalString);
        Assert.Equal([Scopes.OrdersRead, Scopes.InventoryRead], body.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));

        var listed = await _admin.GetStringAsync("/v1/api-keys");
        Assert.Contains(id, listed, StringComparison.Ordinal);
        Assert.DoesNotContain(key["dk_".Length..].Split('_', 2)[1], listed, StringComparison.Ordinal);
        Assert.DoesNotContain("hash", listed, StringComparison.OrdinalIgnoreCase);

        using var client = WithKey(key);
        using (var read = await client.GetAsync("/v1/orders/no-such-order"))
        {
            Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
        }

        using (var write = await client.PostAsJsonAsync("/v1/orders", Order(Unique("ORD"), lines: ("1", "SKU-1", 1))))
        {
            Assert.Equal(HttpStatusCode.Forbidden, write.StatusCode);
        }

        using (var revoke = await _admin.DeleteAsync($"/v1/api-keys/{id}"))
        {
            await EnsureAsync(revoke, HttpStatusCode.OK);
            Assert.Equal(JsonValueKind.String, (await ReadJsonAsync(revoke)).GetProperty("revokedAt").ValueKind);
        }

        using var refused = await client.GetAsync("/v1/orders/no-such-order");
        await AssertProblemAsync(refused, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_wrong_secret_for_a_real_key_id_is_refused()
    {
        var key = await CreateKeyAsync("partner", Scopes.OrdersRead);
        var forged = key[..^4] + (key.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA");

        using var client = WithKey(forged);
        using var response = await client.GetAsync("/v1/orders/no-such-order");

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("""{"name":"x","scopes":["orders:delete"]}""", "scopes[0]")]
    [InlineData("""{"name":"","scopes":["orders:read"]}""", "name")]
    [InlineData("""{"name":"x","scopes":[]}""", "scopes")]
    public async Task A_key_with_a_bad_name_or_scope_is_refused_naming_the_field(string json, string field)
    {
        using var response = await _admin.PostAsync("/v1/api-keys", RawJson(json));

        await AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, field);
    }

    [Fact]
    public async Task Revoking_an_unknown_key_is_404()
    {
        using var response = await _admin.DeleteAsync("/v1/api-keys/000000000000");

        await AssertProblemAsync(response, HttpStatusCode.NotFound, "id");
    }

    [Fact]
    public async Task The_bearer_form_of_a_key_is_accepted_for_scrapers()
    {
        using var client = Anonymous();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", HubFactory.AdminKey);

        using var response = await client.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_browser_is_sent_to_the_login_form_and_its_cookie_opens_the_dashboard()
    {
        using var browser = Anonymous();
        using var page = new HttpRequestMessage(HttpMethod.Get, "/dashboard");
        page.Headers.Accept.ParseAdd("text/html");
        using (var redirected = await browser.SendAsync(page))
        {
            Assert.Equal(HttpStatusCode.Redirect, redirected.StatusCode);
            Assert.Equal("/login?returnUrl=%2Fdashboard", redirected.Headers.Location?.OriginalString);
        }

        using (var wrong = await browser.PostAsync("/login", Form(("apiKey", "not-a-key"), ("returnUrl", "/dashboard"))))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            Assert.False(wrong.Headers.Contains("Set-Cookie"));
        }

        var readOnly = await CreateKeyAsync("not an operator", Scopes.OrdersRead);
        using (var notAdmin = await browser.PostAsync("/login", Form(("apiKey", readOnly), ("returnUrl", "/dashboard"))))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, notAdmin.StatusCode);
        }

        using var login = await browser.PostAsync("/login", Form(("apiKey", HubFactory.AdminKey), ("returnUrl", "https://evil.example/")));
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal("/dashboard", login.Headers.Location?.OriginalString);
        var cookie = Assert.Single(login.Headers.GetValues("Set-Cookie"));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);

        // The dashboard answers /dashboard with a redirect to its page: follow it, with the cookie.
        var path = "/dashboard";
        HttpResponseMessage dashboard;
        for (var hops = 0; ; hops++)
        {
            using var withCookie = new HttpRequestMessage(HttpMethod.Get, path);
            withCookie.Headers.Accept.ParseAdd("text/html");
            withCookie.Headers.Add("Cookie", cookie.Split(';')[0]);
            dashboard = await browser.SendAsync(withCookie);
            if (hops == 3 || dashboard.Headers.Location is not { } next || next.OriginalString.StartsWith("/login", StringComparison.Ordinal))
            {
                break;
            }

            path = next.OriginalString;
            dashboard.Dispose();
        }

        using (dashboard)
        {
            Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
            Assert.Equal("text/html", dashboard.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task The_openapi_document_declares_the_api_key_header()
    {
        var document = await _admin.GetJsonAsync("/openapi/v1.json");

        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("ApiKey");
        Assert.Equal("apiKey", scheme.Str("type"));
        Assert.Equal("header", scheme.Str("in"));
        Assert.Equal(ApiKeyAuthentication.HeaderName, scheme.Str("name"));
        Assert.Contains(document.GetProperty("security").EnumerateArray(), r => r.TryGetProperty("ApiKey", out _));
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    [InlineData("/openapi/v1.json")]
    [InlineData("/login")]
    public async Task Probes_the_login_form_and_the_api_description_need_no_key(string path)
    {
        using var client = Anonymous();
        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<string> CreateKeyAsync(string name, params string[] scopes)
    {
        using var response = await _admin.PostAsJsonAsync("/v1/api-keys", new { name, scopes });
        await EnsureAsync(response, HttpStatusCode.Created);
        return (await ReadJsonAsync(response)).Str("key")!;
    }

    private static string Methods(RouteEndpoint e) => string.Join("|", e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"]);

    /// <summary>The route with every parameter filled with a plausible id (the values need not exist).</summary>
    private static string SamplePath(RouteEndpoint e) => Parameter().Replace(Route(e), "x1");

    private static HttpRequestMessage Request(string method, string path) => new(new HttpMethod(method), path)
    {
        Content = method is "POST" or "PUT" or "PATCH" ? new StringContent("{}", Encoding.UTF8, "application/json") : null,
    };

    private static FormUrlEncodedContent Form(params (string Name, string Value)[] fields) =>
        new(fields.Select(f => KeyValuePair.Create(f.Name, f.Value)));

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex Parameter();
}

/// <summary>A hub started without Auth:AdminKey, keeping what it logs.</summary>
public sealed class NoConfiguredKeyHubFactory : HubFactory
{
    public System.Collections.Concurrent.ConcurrentQueue<string> Logged { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Auth:AdminKey", "");
        builder.ConfigureLogging(logging => logging.AddProvider(new Recorder(Logged)));
    }

    private sealed class Recorder(System.Collections.Concurrent.ConcurrentQueue<string> into) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(into);

        public void Dispose()
        {
        }

        private sealed class Logger(System.Collections.Concurrent.ConcurrentQueue<string> into) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                into.Enqueue(formatter(state, exception));
        }
    }
}

/// <summary>Embedded mode without a configured admin key: the process makes one and logs it, and that key works.</summary>
public sealed partial class GeneratedAdminKeyTests(NoConfiguredKeyHubFactory factory) : IClassFixture<NoConfiguredKeyHubFactory>
{
    [Fact]
    public async Task A_process_without_a_configured_admin_key_logs_a_generated_one_that_works()
    {
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions());
        client.DefaultRequestHeaders.Remove(ApiKeyAuthentication.HeaderName);
        using (var refused = await client.GetAsync("/v1/api-keys"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        var line = Assert.Single(factory.Logged, l => l.Contains("generated the admin API key", StringComparison.Ordinal));
        var key = GeneratedKey().Match(line).Value;
        Assert.NotEqual(HubFactory.AdminKey, key);

        client.DefaultRequestHeaders.Add(ApiKeyAuthentication.HeaderName, key);
        using var served = await client.GetAsync("/v1/api-keys");
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
    }

    [GeneratedRegex(@"dk_admin_[A-Za-z0-9_\-]+")]
    private static partial Regex GeneratedKey();
}
