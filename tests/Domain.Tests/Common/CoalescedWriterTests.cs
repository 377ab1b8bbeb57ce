namespace Distribution.Common.Tests;

/// <summary>
/// Drives <see cref="CoalescedWriter"/> on the test thread only, as a grain's single-threaded
/// scheduler would: each test first clears the synchronization context, and the fake writes complete
/// without RunContinuationsAsynchronously, so completing one resumes the writer's pump inline, on
/// this thread, before the test's next statement.
/// </summary>
public sealed class CoalescedWriterTests
{
    private readonly List<TaskCompletionSource> _writes = [];
    private readonly List<Exception> _failures = [];
    private readonly CoalescedWriter _writer;

    public CoalescedWriterTests() =>
        _writer = new DelegateWriter(
            () =>
            {
                var write = new TaskCompletionSource();
                _writes.Add(write);
                return write.Task;
            },
            _failures.Add);

    /// <summary>A writer whose write and failure handler the test supplies.</summary>
    private sealed class DelegateWriter(Func<Task> write, Action<Exception> onFailure) : CoalescedWriter
    {
        protected override Task WriteOnceAsync() => write();

        protected override void OnFailure(Exception e) => onFailure(e);
    }

    private static ContextScope OnThisThread() => new(SynchronizationContext.Current);

    private readonly struct ContextScope : IDisposable
    {
        private readonly SynchronizationContext? _previous;

        public ContextScope(SynchronizationContext? previous)
        {
            _previous = previous;
            SynchronizationContext.SetSynchronizationContext(null);
        }

        public void Dispose() => SynchronizationContext.SetSynchronizationContext(_previous);
    }

    [Fact]
    public void First_call_starts_a_write_at_once()
    {
        using var scope = OnThisThread();
        var caller = _writer.WriteAsync();

        Assert.Single(_writes);
        Assert.False(caller.IsCompleted);

        _writes[0].SetResult();

        Assert.True(caller.IsCompletedSuccessfully);
        Assert.Single(_writes);
        Assert.Empty(_failures);
    }

    [Fact]
    public void Calls_during_an_in_flight_write_share_one_next_write()
    {
        using var scope = OnThisThread();
        var first = _writer.WriteAsync();
        var during = Enumerable.Range(0, 10).Select(_ => _writer.WriteAsync()).ToList();

        Assert.Single(_writes);
        Assert.All(during, t => Assert.Same(during[0], t));

        _writes[0].SetResult();

        Assert.Equal(2, _writes.Count);
        Assert.True(first.IsCompletedSuccessfully);

        _writes[1].SetResult();

        Assert.Equal(2, _writes.Count);
        Assert.All(during, t => Assert.True(t.IsCompletedSuccessfully));
    }

    [Fact]
    public void Caller_completes_only_after_a_write_that_started_after_its_call()
    {
        using var scope = OnThisThread();
        var first = _writer.WriteAsync();
        var second = _writer.WriteAsync();

        _writes[0].SetResult();

        // The first write started before the second call, so it cannot cover that caller's change.
        Assert.True(first.IsCompletedSuccessfully);
        Assert.False(second.IsCompleted);
        Assert.Equal(2, _writes.Count);

        // Joins while the second write is in flight: must wait for a third.
        var third = _writer.WriteAsync();
        Assert.NotSame(second, third);
        Assert.Equal(2, _writes.Count);

        _writes[1].SetResult();

        Assert.True(second.IsCompletedSuccessfully);
        Assert.False(third.IsCompleted);
        Assert.Equal(3, _writes.Count);

        _writes[2].SetResult();

        Assert.True(third.IsCompletedSuccessfully);
        Assert.Equal(3, _writes.Count);
    }

    [Fact]
    public void Call_after_all_writes_finished_starts_a_fresh_write()
    {
        using var scope = OnThisThread();
        var first = _writer.WriteAsync();
        _writes[0].SetResult();
        Assert.True(first.IsCompletedSuccessfully);

        var later = _writer.WriteAsync();

        Assert.Equal(2, _writes.Count);
        Assert.NotSame(first, later);
        Assert.False(later.IsCompleted);

        _writes[1].SetResult();

        Assert.True(later.IsCompletedSuccessfully);
    }

    [Fact]
    public void Failed_write_faults_exactly_its_callers_and_reports_the_exception()
    {
        using var scope = OnThisThread();
        var first = _writer.WriteAsync();
        var secondA = _writer.WriteAsync();
        var secondB = _writer.WriteAsync();
        var boom = new InvalidOperationException("storage down");

        _writes[0].SetException(boom);

        Assert.True(first.IsFaulted);
        Assert.Same(boom, first.Exception!.InnerException);
        Assert.Same(boom, Assert.Single(_failures));

        // The callers that joined during the failed write were not covered by it and are not faulted:
        // they get their own write.
        Assert.False(secondA.IsCompleted);
        Assert.False(secondB.IsCompleted);
        Assert.Equal(2, _writes.Count);

        _writes[1].SetResult();

        Assert.True(secondA.IsCompletedSuccessfully);
        Assert.True(secondB.IsCompletedSuccessfully);
        Assert.Single(_failures);
    }

    [Fact]
    public void Failure_faults_every_caller_batched_into_that_write()
    {
        using var scope = OnThisThread();
        var first = _writer.WriteAsync();
        var batch = Enumerable.Range(0, 5).Select(_ => _writer.WriteAsync()).ToList();
        _writes[0].SetResult();
        Assert.True(first.IsCompletedSuccessfully);

        var boom = new TimeoutException("etag");
        _writes[1].SetException(boom);

        Assert.All(batch, t =>
        {
            Assert.True(t.IsFaulted);
            Assert.Same(boom, t.Exception!.InnerException);
        });
        Assert.True(first.IsCompletedSuccessfully);
        Assert.Same(boom, Assert.Single(_failures));
        Assert.Equal(2, _writes.Count);
    }

    [Fact]
    public void Call_after_a_failure_starts_a_fresh_write()
    {
        using var scope = OnThisThread();
        var failed = _writer.WriteAsync();
        _writes[0].SetException(new InvalidOperationException("boom"));
        Assert.True(failed.IsFaulted);

        var retry = _writer.WriteAsync();

        Assert.Equal(2, _writes.Count);
        Assert.False(retry.IsCompleted);

        _writes[1].SetResult();

        Assert.True(retry.IsCompletedSuccessfully);
        Assert.Single(_failures);
    }

    [Fact]
    public void Write_that_throws_synchronously_is_treated_as_a_failure()
    {
        using var scope = OnThisThread();
        var boom = new InvalidOperationException("sync");
        var failures = new List<Exception>();
        var calls = 0;
        var writer = new DelegateWriter(
            () =>
            {
                calls++;
                return calls == 1 ? throw boom : Task.CompletedTask;
            },
            failures.Add);

        var failed = writer.WriteAsync();

        Assert.True(failed.IsFaulted);
        Assert.Same(boom, failed.Exception!.InnerException);
        Assert.Same(boom, Assert.Single(failures));

        var next = writer.WriteAsync();

        Assert.True(next.IsCompletedSuccessfully);
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task Awaiting_callers_observe_the_outcome()
    {
        // Each write is completed before its caller is awaited, so no await here yields the thread.
        var ok = _writer.WriteAsync();
        _writes[0].SetResult();
        await ok;

        var bad = _writer.WriteAsync();
        _writes[1].SetException(new InvalidOperationException("nope"));
        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => bad);
        Assert.Equal("nope", thrown.Message);
    }
}
