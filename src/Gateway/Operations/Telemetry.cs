using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Distribution.Gateway.Operations;

/// <summary>
/// OpenTelemetry traces: HTTP requests (ASP.NET Core), the grain calls they make (Orleans'
/// activity propagation, source <c>Microsoft.Orleans.Application</c>), warehouse events applied
/// from the journal's streams (<see cref="EventsSource"/>, continuing the trace that posted them)
/// and webhook deliveries, each span carrying the request's correlation id (attribute and baggage <see cref="CorrelationKey"/>). Off unless an
/// OTLP endpoint is configured (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c> or <c>Telemetry:OtlpEndpoint</c>)
/// or <c>Telemetry:Tracing</c> is true: with tracing off nothing listens, no span is created and
/// no grain call filter runs, so the order hot path pays nothing.
/// </summary>
public static class Telemetry
{
    public const string CorrelationKey = "correlation.id";
    public const string OrleansApplicationSource = "Microsoft.Orleans.Application";

    public static string? OtlpEndpoint(IConfiguration config) =>
        config["Telemetry:OtlpEndpoint"] is { Length: > 0 } endpoint ? endpoint
        : config["OTEL_EXPORTER_OTLP_ENDPOINT"] is { Length: > 0 } standard ? standard
        : null;

    /// <summary>Webhook delivery attempts (WebhookTracing in the grains, which the gateway does not reference).</summary>
    public const string WebhooksSource = "Distribution.Webhooks";

    /// <summary>Warehouse event batches applied by their stream's consumer (EventTracing in the grains).</summary>
    public const string EventsSource = "Distribution.Events";

    /// <summary>Whether hosts add Orleans' activity propagation (silo and client) and the gateway traces.</summary>
    public static bool TracingEnabled(IConfiguration config) =>
        config.GetValue<bool?>("Telemetry:Tracing") ?? OtlpEndpoint(config) is not null;

    public static IServiceCollection AddHubTelemetry(this IServiceCollection services, IConfiguration config)
    {
        var otlp = OtlpEndpoint(config);
        var explicitEndpoint = config["Telemetry:OtlpEndpoint"] is { Length: > 0 } e ? new Uri(e) : null;
        var otel = services.AddOpenTelemetry();
        if (TracingEnabled(config))
        {
            otel.WithTracing(tracing =>
            {
                tracing.AddSource(OrleansApplicationSource, WebhooksSource, EventsSource)
                    .AddAspNetCoreInstrumentation(o => o.Filter = http => !http.Request.Path.StartsWithSegments("/health") && !http.Request.Path.StartsWithSegments("/metrics"))
                    .AddProcessor(new CorrelationOnSpans());
                if (otlp is not null)
                {
                    // Without Telemetry:OtlpEndpoint the exporter reads the standard OTEL_EXPORTER_OTLP_* variables itself.
                    tracing.AddOtlpExporter(o => o.Endpoint = explicitEndpoint ?? o.Endpoint);
                }
            });
        }

        if (otlp is not null)
        {
            otel.WithMetrics(metrics => metrics.AddOtlpExporter(o => o.Endpoint = explicitEndpoint ?? o.Endpoint));
        }

        return services;
    }

    /// <summary>Puts the correlation id on the request's span and in its baggage (which Orleans carries to grain calls).</summary>
    public static WebApplication UseCorrelationTracing(this WebApplication app)
    {
        if (TracingEnabled(app.Configuration))
        {
            app.Use((context, next) =>
            {
                if (Activity.Current is { } activity)
                {
                    activity.SetTag(CorrelationKey, context.TraceIdentifier);
                    activity.AddBaggage(CorrelationKey, context.TraceIdentifier);
                }

                return next(context);
            });
        }

        return app;
    }

    /// <summary>Copies the correlation id from baggage to an attribute: exporters send attributes, not baggage.</summary>
    private sealed class CorrelationOnSpans : BaseProcessor<Activity>
    {
        public override void OnStart(Activity data)
        {
            if (data.GetBaggageItem(CorrelationKey) is { } id)
            {
                data.SetTag(CorrelationKey, id);
            }
        }
    }
}
