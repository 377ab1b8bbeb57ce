using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Distribution.Common;
using Distribution.Gateway.Operations;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using static Distribution.Tests.Api.ApiTestClient;

namespace Distribution.Tests.Api;

/// <summary>A hub with tracing on (Telemetry:Tracing) and no exporter: spans go to in-process listeners only.</summary>
public sealed class TracingHubFactory : HubFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Telemetry:Tracing", "true");
    }
}

/// <summary>Traces carry the correlation id from the HTTP request into the grain calls it makes.</summary>
public sealed class TracingTests(TracingHubFactory factory) : IClassFixture<TracingHubFactory>, IDisposable
{
    private readonly ConcurrentBag<Activity> _stopped = [];
    private readonly ActivityListener _listener = new()
    {
        ShouldListenTo = s => s.Name is Telemetry.OrleansApplicationSource or "Microsoft.AspNetCore",
        Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
    };

    [Fact]
    public async Task The_request_span_and_the_grain_call_spans_carry_the_correlation_id_in_one_trace()
    {
        _listener.ActivityStopped = _stopped.Add;
        ActivitySource.AddActivityListener(_listener);
        using var client = factory.CreateClient();
        var correlationId = Unique("corr");
        var warehouse = Unique("WH");

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/warehouses/{warehouse}");
        request.Headers.Add(CorrelationContext.HeaderName, correlationId);
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);

        // Spans stop as the calls complete: the server-side grain span and the request's own span
        // may both stop just after the client has the answer.
        var deadline = DateTime.UtcNow.AddSeconds(5);
        List<Activity> ours;
        do
        {
            ours = [.. _stopped.Where(a => a.GetTagItem(Telemetry.CorrelationKey) as string == correlationId)];
            if (ours.Any(a => a.Source.Name == Telemetry.OrleansApplicationSource && a.Kind == ActivityKind.Server)
                && ours.Any(a => a.Source.Name == "Microsoft.AspNetCore"))
            {
                break;
            }

            await Task.Delay(50);
        }
        while (DateTime.UtcNow < deadline);

        var http = Assert.Single(ours, a => a.Source.Name == "Microsoft.AspNetCore");
        var grainCalls = ours.Where(a => a.Source.Name == Telemetry.OrleansApplicationSource).ToList();
        Assert.Contains(grainCalls, a => a.Kind == ActivityKind.Server && a.DisplayName.Contains("INetworkGrain", StringComparison.Ordinal));
        Assert.All(grainCalls, a => Assert.Equal(http.TraceId, a.TraceId));
        Assert.All(grainCalls, a => Assert.Equal(correlationId, a.GetBaggageItem(Telemetry.CorrelationKey)));
    }

    public void Dispose() => _listener.Dispose();
}

/// <summary>GET /metrics carries ASP.NET Core's and Orleans' metrics besides the hub's own.</summary>
public sealed class FrameworkMetricsTests(HubFactory factory) : IClassFixture<HubFactory>
{
    [Fact]
    public void Without_an_exporter_no_grain_call_is_traced()
    {
        var incoming = factory.Services.GetServices<IIncomingGrainCallFilter>().Select(f => f.GetType().Name);
        var outgoing = factory.Services.GetServices<IOutgoingGrainCallFilter>().Select(f => f.GetType().Name);

        Assert.DoesNotContain(incoming.Concat(outgoing), n => n.Contains("ActivityPropagation", StringComparison.Ordinal));
        Assert.Null(factory.Services.GetService<OpenTelemetry.Trace.TracerProvider>());
    }

    [Fact]
    public void With_tracing_on_grain_calls_are_traced()
    {
        using var tracing = new TracingHubFactory();

        var incoming = tracing.Services.GetServices<IIncomingGrainCallFilter>().Select(f => f.GetType().Name);

        Assert.Contains(incoming, n => n.Contains("ActivityPropagation", StringComparison.Ordinal));
        Assert.NotNull(tracing.Services.GetService<OpenTelemetry.Trace.TracerProvider>());
    }

    [Fact]
    public async Task Metrics_show_http_request_durations_and_orleans_activations_but_not_the_gauge_that_walks_every_activation()
    {
        using var client = factory.CreateClient();
        await EnsureAsync(await client.GetAsync("/v1/warehouses"), HttpStatusCode.OK);

        var text = "";
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            text = await client.GetStringAsync("/metrics");
            if (text.Contains("http_server_request_duration_seconds", StringComparison.Ordinal)
                && text.Contains("orleans_catalog_activations", StringComparison.Ordinal))
            {
                break;
            }

            await Task.Delay(200);
        }

        Assert.Contains("http_server_request_duration_seconds_bucket", text, StringComparison.Ordinal);
        Assert.Contains("orleans_catalog_activations", text, StringComparison.Ordinal);
        Assert.DoesNotContain("orleans_messaging_processing_activation_data", text, StringComparison.Ordinal);
    }
}
