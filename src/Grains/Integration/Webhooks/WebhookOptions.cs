namespace Distribution.Integration.Webhooks;

/// <summary>Webhook delivery and business event settings (configuration section <c>Webhooks</c>).</summary>
public sealed class WebhookOptions
{
    /// <summary>Attempts per event before it is dead-lettered into the exception queue.</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>Wait before the second attempt; doubled for each further attempt (with jitter).</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Longest wait between two attempts.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long one delivery request may take before it counts as failed.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often (real time) a subscription's queue looks for deliveries that are due.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Requests in flight per subscription (each for a different entity).</summary>
    public int MaxConcurrentDeliveries { get; set; } = 8;

    /// <summary>Events the bus holds longer than this (a crash) are handed over by the recovery sweep.</summary>
    public TimeSpan DispatchGrace { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Wait before the bus tries a failed hand-over again.</summary>
    public TimeSpan DispatchRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Entries the finance feed keeps (the oldest are dropped beyond this).</summary>
    public int FinanceFeedCapacity { get; set; } = 200_000;

    public const string HttpClientName = "webhooks";
}
