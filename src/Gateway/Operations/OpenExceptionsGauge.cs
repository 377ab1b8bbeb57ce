using Distribution.Operations;

namespace Distribution.Gateway.Operations;

/// <summary>The gauge <c>distribution.exceptions.open</c> by kind (every kind, 0 included), read from the exception queue.</summary>
public sealed class OpenExceptionsGauge(IServiceProvider services, ILogger<OpenExceptionsGauge> logger)
    : PolledGauge("distribution.exceptions.open", "kind", "{exception}", "Open (and retrying) exceptions by kind", services, logger)
{
    protected override async Task<IReadOnlyDictionary<string, int>> ReadAsync(IGrainFactory grains)
    {
        var open = await grains.GetGrain<IExceptionQueueGrain>(0).CountOpen();
        return Enum.GetValues<ExceptionKind>().ToDictionary(k => k.ToString(), k => open.GetValueOrDefault(k), StringComparer.Ordinal);
    }
}
