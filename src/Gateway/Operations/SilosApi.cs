using Distribution.Gateway.Security;
using Distribution.Governance;
using Orleans.Runtime;

namespace Distribution.Gateway.Operations;

/// <summary>
/// The cluster's silos and how many grain activations each hosts, for platform engineers watching
/// silos join and leave. Membership comes from the management grain; each silo is asked for its
/// counts separately, so a silo that died but is not yet declared dead delays the answer by at
/// most <see cref="SiloTimeout"/> and does not hide the others.
/// </summary>
public static class SilosApi
{
    /// <summary>A silo that has not answered by then is listed without counts.</summary>
    public static readonly TimeSpan SiloTimeout = TimeSpan.FromSeconds(3);

    private static readonly TimeSpan MembershipTimeout = TimeSpan.FromSeconds(5);

    public static RouteGroupBuilder MapOperationsApiV1(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/operations").WithTags("Operations").RequireScope(Scopes.Admin);

        group.MapGet("/silos", async (IGrainFactory grains, bool? includeDead, CancellationToken ct) =>
        {
            var management = grains.GetGrain<IManagementGrain>(0);
            // A timeout here (the management grain's silo just died) is answered 503 by the exception handler.
            var members = await management.GetDetailedHosts(onlyActive: false).WaitAsync(MembershipTimeout, ct);
            var listed = members
                .Where(m => includeDead == true || m.Status != SiloStatus.Dead)
                .OrderBy(m => m.SiloAddress.Endpoint.Port)
                .ThenBy(m => m.SiloAddress.Generation)
                .ToList();
            var counts = await Task.WhenAll(listed.Select(m =>
                m.Status == SiloStatus.Active ? CountActivationsAsync(management, m.SiloAddress, ct) : Task.FromResult<Dictionary<string, long>?>(null)));
            return Results.Ok(listed.Select((m, i) => SiloView.From(m, counts[i])).ToList());
        }).WithSummary("The cluster's silos (membership status, start time, gateway port) with grain activations per silo, total and by grain type; dead silos only with includeDead=true");

        return group;
    }

    /// <summary>Activations by grain type on one silo; null when it does not answer in time.</summary>
    private static async Task<Dictionary<string, long>?> CountActivationsAsync(IManagementGrain management, SiloAddress silo, CancellationToken ct)
    {
        try
        {
            var statistics = await management.GetSimpleGrainStatistics([silo]).WaitAsync(SiloTimeout, ct);
            return statistics
                .GroupBy(s => TypeName(s.GrainType), StringComparer.Ordinal)
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Sum(s => (long)s.ActivationCount), StringComparer.Ordinal);
        }
        catch (Exception e) when (e is TimeoutException or OrleansException)
        {
            return null;
        }
    }

    /// <summary>"Namespace.Type" without Orleans' ",Assembly" suffix (generic names stay whole).</summary>
    private static string TypeName(string grainType)
    {
        var comma = grainType.IndexOf(',', StringComparison.Ordinal);
        return comma > 0 && !grainType.Contains('[', StringComparison.Ordinal) ? grainType[..comma] : grainType;
    }
}

/// <summary>One silo as GET /v1/operations/silos shows it.</summary>
/// <param name="Address">host:port of its silo-to-silo endpoint.</param>
/// <param name="Generation">Distinguishes restarts of a silo on the same endpoint.</param>
/// <param name="Activations">Grain activations it hosts; null when it is not active or did not answer in time.</param>
public sealed record SiloView(
    string Address,
    int Generation,
    string Name,
    SiloStatus Status,
    DateTimeOffset StartedAt,
    DateTimeOffset LastHeartbeatAt,
    int GatewayPort,
    long? Activations,
    IReadOnlyDictionary<string, long>? ActivationsByGrainType)
{
    public static SiloView From(MembershipEntry entry, Dictionary<string, long>? byType) => new(
        $"{entry.SiloAddress.Endpoint.Address}:{entry.SiloAddress.Endpoint.Port}",
        entry.SiloAddress.Generation,
        entry.SiloName,
        entry.Status,
        new DateTimeOffset(DateTime.SpecifyKind(entry.StartTime, DateTimeKind.Utc)),
        new DateTimeOffset(DateTime.SpecifyKind(entry.IAmAliveTime, DateTimeKind.Utc)),
        entry.ProxyPort,
        byType?.Values.Sum(),
        byType);
}
