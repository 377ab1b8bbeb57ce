using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Distribution.Gateway.Http;

/// <summary>
/// Turns what fails before or outside a handler into problem+json: unreadable JSON (400, naming
/// the field), bodies over the limit (413), a cluster that cannot be reached (503, retriable).
/// </summary>
public sealed class ApiExceptionHandler(IProblemDetailsService problems, ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail, field) = Classify(exception);
        if (status >= 500)
        {
            logger.LogError(exception, "Request {Method} {Path} failed", context.Request.Method, context.Request.Path);
        }

        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            context.Response.Headers.RetryAfter = "1";
        }

        context.Response.StatusCode = status;
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail };
        if (field is not null)
        {
            problem.Extensions["errors"] = new Dictionary<string, string[]> { [field] = [detail] };
        }

        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
    }

    private static (int Status, string Title, string Detail, string? Field) Classify(Exception exception)
    {
        switch (exception)
        {
            case BadHttpRequestException { InnerException: JsonException json }:
                var field = FieldOf(json.Path);
                return (400, "The request body is not valid JSON for this resource", $"{field}: {FirstLine(json.Message)}", field);
            case BadHttpRequestException bad when bad.StatusCode == StatusCodes.Status413PayloadTooLarge:
                return (413, "The request body is too large", bad.Message, null);
            case BadHttpRequestException bad:
                return (bad.StatusCode, "Bad request", bad.Message, null);
            case JsonException json:
                var f = FieldOf(json.Path);
                return (400, "The request body is not valid JSON for this resource", $"{f}: {FirstLine(json.Message)}", f);
            case Orleans.Runtime.SiloUnavailableException or Orleans.Runtime.OrleansMessageRejectionException
                or Orleans.Runtime.OrleansException or TimeoutException or Npgsql.NpgsqlException
                or Orleans.Storage.InconsistentStateException:
                return (503, "Temporarily unavailable; retry", "The cluster could not complete the request in time. It is safe to retry with the same body.", null);
            default:
                return (500, "Internal error", "An unexpected error occurred; the correlation id identifies it in the logs.", null);
        }
    }

    // "$.lines[0].quantity" → "lines[0].quantity"
    private static string FieldOf(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? "body" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');

    private static string FirstLine(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
