using System.Diagnostics;
using Distribution.Integration.Webhooks;

namespace Distribution.Tests.Integration;

public sealed class WebhookTracingTests
{
    [Fact]
    public void Without_a_span_the_header_is_a_new_span_in_the_publishers_trace()
    {
        const string published = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

        var header = WebhookTracing.TraceParentFor(null, WebhookTracing.ParentOf(published));

        Assert.StartsWith("00-0af7651916cd43dd8448eb211c80319c-", header);
        Assert.EndsWith("-01", header);
        Assert.NotEqual(published, header);
        Assert.True(ActivityContext.TryParse(header, null, out _));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not-a-traceparent")]
    public void Without_a_publisher_trace_the_header_starts_a_valid_trace(string? published)
    {
        var parent = WebhookTracing.ParentOf(published);

        var header = WebhookTracing.TraceParentFor(null, parent);

        Assert.Equal(default, parent);
        Assert.True(ActivityContext.TryParse(header, null, out var context));
        Assert.NotEqual(default, context.TraceId);
        Assert.EndsWith("-00", header);
    }
}
