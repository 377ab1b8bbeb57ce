using System.Diagnostics;
using Distribution.Common;
using Distribution.Integration.Webhooks;
using Microsoft.Extensions.Options;

namespace Distribution.Integration.BusinessEvents;

/// <summary>
/// The finance feed: every stock movement an ERP posts (shipments, receipts, adjustments, transfer
/// movements), appended in the order the warehouse event consumers hand them over (each warehouse's
/// in its journal order), numbered 1, 2, ... The number is the
/// cursor; it is stored with the entry, so it is the same after a restart. An event seen before
/// (by id) is not appended again. The oldest entries beyond <see cref="WebhookOptions.FinanceFeedCapacity"/> are dropped
/// (a new chunk overwrites the oldest: see <see cref="FinanceFeedRing"/>).
/// </summary>
[Reentrant]
public sealed class FinanceFeedGrain : Grain, IFinanceFeedGrain
{
    private readonly IPersistentState<FinanceFeedState> _state;
    private readonly CoalescedWriter _writer;
    private readonly WebhookOptions _options;
    private readonly ILogger<FinanceFeedGrain> _logger;
    private FinanceFeedRing _ring = null!;
    // The newest entry known stored: a read never shows one that a crash could still take back
    // (appends wait for the write, and this grain is reentrant, so a read can come in between).
    private long _storedThrough;

    public FinanceFeedGrain(
        IPersistentStateFactory stateFactory,
        IGrainContext context,
        IOptions<WebhookOptions> options,
        ILogger<FinanceFeedGrain> logger)
    {
        _state = GrainStorage.Create<FinanceFeedState>(stateFactory, context, "financeFeed");
        _writer = CoalescedWriter.ForState(this, _state, logger);
        _options = options.Value;
        _logger = logger;
    }

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // A feed stored another way is stored again as chunks by the next write.
        var started = Stopwatch.GetTimestamp();
        _ring = new FinanceFeedRing(_state.State, _options.FinanceFeedCapacity);
        _storedThrough = _state.State.LastSequence;
        // Every warehouse's events wait for the feed: how long it took to come back is worth a line.
        _logger.LogInformation(
            "Finance feed: {Kept} kept entries back in {Elapsed:0} ms ({Unpacked} stored chunks unpacked)",
            _ring.Count, Stopwatch.GetElapsedTime(started).TotalMilliseconds, _ring.ChunksUnpackedAtStart);
        return Task.CompletedTask;
    }

    public async Task Consume(IReadOnlyList<BusinessEvent> events)
    {
        foreach (var e in events)
        {
            if (BusinessEventTypes.Finance.Contains(e.Type))
            {
                _ring.Append(e);
            }
        }

        _ring.EndBatch();
        var appendedThrough = _state.State.LastSequence;
        await _writer.WriteAsync();
        _storedThrough = Math.Max(_storedThrough, appendedThrough);
    }

    public Task<FinanceFeedPage> Read(long after, int limit) => Task.FromResult(_ring.Read(after, limit, _storedThrough));
}
