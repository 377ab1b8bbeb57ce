using System.Net;
using System.Net.Http.Json;
using Distribution.Gateway.Security;
using Distribution.Governance;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using static Distribution.Tests.Api.ApiTestClient;

namespace Distribution.Tests.Api;

/// <summary>A hub where the bootstrap admin key may send 1 request a second after a burst of 3; other keys keep the defaults.</summary>
public sealed class TightAdminLimitHubFactory : HubFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting($"RateLimits:Keys:{ApiKeyVerifier.BootstrapKeyId}:PermitsPerSecond", "1");
        builder.UseSetting($"RateLimits:Keys:{ApiKeyVerifier.BootstrapKeyId}:Burst", "3");
    }
}

/// <summary>Rate limits are per client key: one key over its limit gets 429 with Retry-After; other keys and probes go on.</summary>
public sealed class RateLimitTests(TightAdminLimitHubFactory factory) : IClassFixture<TightAdminLimitHubFactory>
{
    [Fact]
    public async Task A_key_over_its_limit_gets_429_with_retry_after_while_other_keys_and_probes_are_served()
    {
        using var admin = factory.CreateClient();
        using var created = await admin.PostAsJsonAsync("/v1/api-keys", new { name = "channel", scopes = new[] { Scopes.OrdersRead } });
        await EnsureAsync(created, HttpStatusCode.Created);
        var otherKey = (await ReadJsonAsync(created)).Str("key")!;

        HttpResponseMessage? limited = null;
        for (var i = 0; i < 20 && limited is null; i++)
        {
            var response = await admin.GetAsync("/v1/api-keys");
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                limited = response;
            }
            else
            {
                await EnsureAsync(response, HttpStatusCode.OK);
                response.Dispose();
            }
        }

        Assert.NotNull(limited);
        using (limited)
        {
            await AssertProblemAsync(limited, HttpStatusCode.TooManyRequests, ApiKeyAuthentication.HeaderName);
            Assert.True(limited.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), $"Retry-After: {limited.Headers.RetryAfter}");
        }

        using var other = factory.CreateClient(new WebApplicationFactoryClientOptions());
        other.DefaultRequestHeaders.Remove(ApiKeyAuthentication.HeaderName);
        other.DefaultRequestHeaders.Add(ApiKeyAuthentication.HeaderName, otherKey);
        using (var served = await other.GetAsync("/v1/orders/no-such-order"))
        {
            Assert.Equal(HttpStatusCode.NotFound, served.StatusCode);
        }

        using var probe = await admin.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, probe.StatusCode);
    }
}
