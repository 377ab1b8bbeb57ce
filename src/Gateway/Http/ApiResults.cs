using Distribution.Common;

namespace Distribution.Gateway.Http;

/// <summary>Maps a command's outcome to its HTTP answer (RFC 9457 problem details for errors).</summary>
public static class ApiResults
{
    public static IResult From<T>(CommandOutcome outcome, T? body, IReadOnlyList<FieldError> errors, string? location = null) => outcome switch
    {
        CommandOutcome.Created when location is not null => Results.Created(location, body),
        CommandOutcome.Created => Results.Json(body, statusCode: StatusCodes.Status201Created),
        CommandOutcome.Replayed or CommandOutcome.Updated => Results.Ok(body),
        CommandOutcome.Conflict => Problem(StatusCodes.Status409Conflict, "Conflict", errors),
        CommandOutcome.NotFound => Problem(StatusCodes.Status404NotFound, "Not found", errors),
        _ => Invalid(errors),
    };

    public static IResult From<T>(CommandResult result, T? body, string? location = null) =>
        From(result.Outcome, body, result.Errors, location);

    public static IResult Invalid(IReadOnlyList<FieldError> errors) =>
        Results.ValidationProblem(
            errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()),
            detail: Describe(errors),
            statusCode: StatusCodes.Status422UnprocessableEntity,
            title: "The request is not valid");

    public static IResult Invalid(string field, string message) => Invalid([new FieldError(field, message)]);

    public static IResult NotFound(string field, string message) =>
        Problem(StatusCodes.Status404NotFound, "Not found", [new FieldError(field, message)]);

    public static IResult Problem(int status, string title, IReadOnlyList<FieldError> errors) =>
        Results.Problem(
            statusCode: status,
            title: title,
            detail: Describe(errors),
            extensions: errors.Count == 0 ? null : new Dictionary<string, object?>
            {
                ["errors"] = errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()),
            });

    /// <summary>429 with <c>Retry-After</c>: nothing was done, the same request may be sent again after the wait.</summary>
    public static IResult TooManyRequests(TimeSpan retryAfter, string title, IReadOnlyList<FieldError> errors) =>
        new WithRetryAfter(retryAfter, Problem(StatusCodes.Status429TooManyRequests, title, errors));

    private sealed class WithRetryAfter(TimeSpan retryAfter, IResult inner) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return inner.ExecuteAsync(httpContext);
        }
    }

    private static string Describe(IReadOnlyList<FieldError> errors) =>
        string.Join("; ", errors.Take(5).Select(e => $"{e.Field}: {e.Message}"))
        + (errors.Count > 5 ? $" (and {errors.Count - 5} more)" : "");
}
