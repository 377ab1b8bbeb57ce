namespace Distribution.Operations;

/// <summary>
/// The network's telemetry for the operations page: silos push their per-minute figures, the page
/// reads the merged last hour. Not persisted (recent activity only; silos re-send what they keep).
/// </summary>
public sealed class TelemetryGrain(TimeProvider time) : Grain, ITelemetryGrain
{
    private readonly TelemetryWindow _window = new();

    public Task Report(string siloId, IReadOnlyList<TelemetryMinute> minutes)
    {
        _window.Report(siloId, minutes, time.GetUtcNow());
        return Task.CompletedTask;
    }

    public Task<TelemetrySeries> Series() => Task.FromResult(_window.Series(time.GetUtcNow()));
}
