using System.Text.Json;
using Distribution.Operations;

namespace Distribution.Gateway.Operations;

/// <summary>
/// The gauge <c>distribution.exceptions.open</c> by kind (every kind, 0 included), read from the
/// exception queue. Kinds are labelled as the API spells them (<c>deadLetter</c>), so a dashboard
/// query and <c>GET /v1/exceptions?kind=</c> use the same word.
/// </summary>
public sealed class OpenExceptionsGauge(IServiceProvider services, ILogger<OpenExceptionsGauge> logger)
    : PolledGauge("distribution.exceptions.open", "kind", "{exception}", "Open (and retrying) exceptions by kind", services, logger)
{
    protected override async Task<IReadOnlyDictionary<string, int>> ReadAsync(IGrainFactory grains)
    {
        var open = await grains.GetGrain<IExceptionQueueGrain>(0).CountOpen();
        return Enum.GetValues<ExceptionKind>().ToDictionary(k => JsonNamingPolicy.CamelCase.ConvertName(k.ToString()), k => open.GetValueOrDefault(k), StringComparer.Ordinal);
    }
}
