using Microsoft.AspNetCore.Hosting;

namespace Distribution.Tests.Api;

/// <summary>The embedded hub with webhook retries in milliseconds, so retries and dead letters happen within a test.</summary>
public sealed class WebhookHubFactory : HubFactory
{
    public const int MaxAttempts = 3;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Webhooks:MaxAttempts", MaxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Webhooks:InitialBackoff", "00:00:00.050");
        builder.UseSetting("Webhooks:MaxBackoff", "00:00:00.200");
        builder.UseSetting("Webhooks:PollInterval", "00:00:00.050");
        builder.UseSetting("Webhooks:RequestTimeout", "00:00:05");
    }
}
