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
        // A grain call the cluster cancelled (an activation that timed out) is retriable; one the
        // client cancelled has nobody left to answer.
        var (status, title, detail, field) = exception is OperationCanceledException && !context.RequestAborted.IsCancellationRequested
            ? Unavailable
            : Classify(exception);
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

    private static readonly (int Status, string Title, string Detail, string? Field) Unavailable =
        (503, "Temporarily unavailable; retry", "The cluster could not complete the request in time. It is safe to retry with the same body.", null);

    private static (int Status, string Title, string Detail, string? Field) Classify(Exception exception)
    {
        switch (exception)
        {
            case BadHttpRequestException { InnerException: JsonException json }:
                return JsonProblem(json);
            case BadHttpRequestException bad when bad.StatusCode == StatusCodes.Status413PayloadTooLarge:
                return (413, "The request body is too large", bad.Message, null);
            case BadHttpRequestException bad:
                return (bad.StatusCode, "Bad request", bad.Message, null);
            case JsonException json:
                return JsonProblem(json);
            case Orleans.Runtime.SiloUnavailableException or Orleans.Runtime.OrleansMessageRejectionException
                or Orleans.Runtime.OrleansException or TimeoutException or Npgsql.NpgsqlException
                or Orleans.Storage.InconsistentStateException:
                return Unavailable;
            case Orleans.Serialization.CodecNotFoundException:
                // A silo could not serialize the failure it had to report: during a failover Orleans'
                // placement times out with an exception wrapping Polly's TimeoutRejectedException,
                // which has no codec. The call failed inside the cluster; retrying is safe.
                return Unavailable;
            default:
                return (500, "Internal error", "An unexpected error occurred; the correlation id identifies it in the logs.", null);
        }
    }

    private static (int, string, string, string?) JsonProblem(JsonException json)
    {
        var field = FieldOf(json.Path);
        var unknown = System.Text.RegularExpressions.Regex.Match(json.Message, "JSON property '([^']+)' could not be mapped");
        if (unknown.Success && !field.EndsWith(unknown.Groups[1].Value, StringComparison.Ordinal))
        {
            field = field == "body" ? unknown.Groups[1].Value : $"{field}.{unknown.Groups[1].Value}";
        }

        // The serializer's messages name .NET types; say the same in the API's own words.
        var message = json.Message switch
        {
            var m when m.Contains("could not be mapped", StringComparison.Ordinal) => "is not a field of this resource",
            var m when m.Contains("could not be converted", StringComparison.Ordinal) => "has the wrong type or format",
            var m when m.Contains("missing required properties", StringComparison.Ordinal) => FirstLine(m),
            _ => "is not valid JSON here",
        };
        return (400, "The request body is not valid JSON for this resource", $"{field}: {message}", field);
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
