using System.Diagnostics;

namespace Distribution.Integration.Webhooks;

/// <summary>
/// W3C trace context on deliveries: each attempt is a span (source <see cref="ActivitySourceName"/>)
/// whose parent is the activity that published the event, and its <c>traceparent</c> header names
/// that span, so a subscriber's own trace continues the hub's. When nothing listens to the source
/// the header still carries a new span id in the publisher's trace (or, with no publisher trace, a
/// new trace), so every delivery carries a valid traceparent.
/// </summary>
public static class WebhookTracing
{
    public const string ActivitySourceName = "Distribution.Webhooks";
    public const string HeaderName = "traceparent";

    internal static readonly ActivitySource Source = new(ActivitySourceName);

    /// <summary>The publisher's trace context (default when there is none or it cannot be read).</summary>
    public static ActivityContext ParentOf(string? traceParent) =>
        traceParent is not null && ActivityContext.TryParse(traceParent, null, out var parent) ? parent : default;

    /// <summary>The traceparent header of an attempt: its span when one was started, else a span id of our own under <paramref name="parent"/>.</summary>
    public static string TraceParentFor(Activity? attempt, ActivityContext parent)
    {
        if (attempt is { IdFormat: ActivityIdFormat.W3C, Id: { } id })
        {
            return id;
        }

        var traceId = parent.TraceId == default ? ActivityTraceId.CreateRandom() : parent.TraceId;
        var flags = (parent.TraceFlags & ActivityTraceFlags.Recorded) != 0 ? "01" : "00";
        return $"00-{traceId.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-{flags}";
    }
}
