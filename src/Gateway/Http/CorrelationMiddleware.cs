using Distribution.Common;

namespace Distribution.Gateway.Http;

/// <summary>
/// Accepts <c>X-Correlation-Id</c> or makes one, echoes it, and puts it in Orleans' RequestContext
/// (so every grain call of the request carries it) and in the logging scope.
/// </summary>
public sealed class CorrelationMiddleware(RequestDelegate next, ILogger<CorrelationMiddleware> logger)
{
    private const int MaxLength = 128;

    public async Task InvokeAsync(HttpContext context)
    {
        var id = context.Request.Headers[CorrelationContext.HeaderName].ToString();
        if (string.IsNullOrWhiteSpace(id) || id.Length > MaxLength)
        {
            id = Guid.NewGuid().ToString("N");
        }

        context.Response.Headers[CorrelationContext.HeaderName] = id;
        context.TraceIdentifier = id;
        CorrelationContext.Current = id;
        using (logger.BeginScope(new Dictionary<string, object> { ["CorrelationId"] = id }))
        {
            await next(context);
        }
    }
}
