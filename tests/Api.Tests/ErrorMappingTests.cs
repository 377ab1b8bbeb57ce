using Distribution.Gateway.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Distribution.Tests.Api;

/// <summary>How failures inside the cluster reach the client.</summary>
public sealed class ErrorMappingTests(HubFactory factory) : IClassFixture<HubFactory>
{
    [Fact]
    public async Task A_call_the_cluster_cancelled_is_a_retriable_503_but_a_timeout_of_the_clients_own_is_not_answered_as_one()
    {
        using var scope = factory.Services.CreateScope();
        var handler = ActivatorUtilities.CreateInstance<ApiExceptionHandler>(scope.ServiceProvider);

        var cancelledInside = NewContext(scope.ServiceProvider);
        Assert.True(await handler.TryHandleAsync(cancelledInside, new TaskCanceledException("activation timed out"), CancellationToken.None));
        Assert.Equal(StatusCodes.Status503ServiceUnavailable, cancelledInside.Response.StatusCode);
        Assert.Equal("1", cancelledInside.Response.Headers.RetryAfter.ToString());

        using var aborted = new CancellationTokenSource();
        await aborted.CancelAsync();
        var cancelledByClient = NewContext(scope.ServiceProvider);
        cancelledByClient.RequestAborted = aborted.Token;
        await handler.TryHandleAsync(cancelledByClient, new TaskCanceledException(), CancellationToken.None);
        Assert.NotEqual(StatusCodes.Status503ServiceUnavailable, cancelledByClient.Response.StatusCode);
    }

    [Fact]
    public async Task A_failure_the_silo_could_not_serialize_is_a_retriable_503_not_a_500()
    {
        using var scope = factory.Services.CreateScope();
        var handler = ActivatorUtilities.CreateInstance<ApiExceptionHandler>(scope.ServiceProvider);

        // What the gateway receives when a placement timeout (wrapping Polly's exception) fails to serialize.
        var context = NewContext(scope.ServiceProvider);
        Assert.True(await handler.TryHandleAsync(context, new Orleans.Serialization.CodecNotFoundException("Could not find a codec for type Polly.Timeout.TimeoutRejectedException."), CancellationToken.None));
        Assert.Equal(StatusCodes.Status503ServiceUnavailable, context.Response.StatusCode);
        Assert.Equal("1", context.Response.Headers.RetryAfter.ToString());
    }

    private static DefaultHttpContext NewContext(IServiceProvider services) =>
        new() { RequestServices = services, Response = { Body = new MemoryStream() } };
}
