namespace Distribution.Gateway.Cluster;

/// <summary>
/// The standalone gateway's guard against a silo that dies while it carries calls. Orleans' client
/// sends each call over a connection to one silo (its gateway); when that connection breaks, the
/// calls already sent on it are not failed but wait for the response timeout (30 s by default), and
/// so do the HTTP requests behind them. So when any gateway connection is lost, every grain call
/// already in flight that is still unanswered <see cref="Grace"/> later is given up with a
/// <see cref="TimeoutException"/>, which the API answers as a retriable 503. Calls through the
/// connections that survive normally finish well within the grace; calls started after the loss are
/// not affected. A call given up may still complete in the cluster: the API's writes are idempotent
/// (order id, Idempotency-Key, event id), so the client's retry gets the same result.
/// </summary>
public sealed class GatewayLossWatch : IClusterConnectionStatusObserver, IOutgoingGrainCallFilter
{
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(5);

    // Calls take the current epoch's token; a loss ends the epoch (cancelled after the grace) and starts a new one.
    private CancellationTokenSource _epoch = new();

    public async Task Invoke(IOutgoingGrainCallContext context)
    {
        var lost = Volatile.Read(ref _epoch).Token;
        try
        {
            await context.Invoke().WaitAsync(lost);
        }
        catch (OperationCanceledException) when (lost.IsCancellationRequested)
        {
            throw new TimeoutException(
                $"{context.InterfaceName}.{context.MethodName} was in flight when a connection to the cluster was lost and got no answer within {Grace.TotalSeconds:F0} s");
        }
    }

    public void NotifyGatewayCountChanged(int currentNumberOfGateways, int previousNumberOfGateways, bool connectionRecovered)
    {
        if (currentNumberOfGateways < previousNumberOfGateways)
        {
            GiveUpCallsInFlight();
        }
    }

    public void NotifyClusterConnectionLost() => GiveUpCallsInFlight();

    private void GiveUpCallsInFlight()
    {
        // The ended source is not disposed: calls that took its token may still be waiting on it.
        Interlocked.Exchange(ref _epoch, new CancellationTokenSource()).CancelAfter(Grace);
    }
}
