using System.Security.Cryptography;
using Distribution.Common;

namespace Distribution.Gateway.Http;

/// <summary>
/// Honours <c>Idempotency-Key</c> on writes: the first request with a key runs and its answer is
/// stored; the same key with the same method, path and body gets that answer again (marked with
/// <c>Idempotent-Replayed: true</c>); with a different body, or while the first still runs, 409.
/// </summary>
public sealed class IdempotencyMiddleware(RequestDelegate next, IGrainFactory grains)
{
    public const string HeaderName = "Idempotency-Key";
    private const int MaxKeyLength = 200;

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var key = request.Headers[HeaderName].ToString();
        if (string.IsNullOrEmpty(key) || HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
        {
            await next(context);
            return;
        }

        if (key.Length > MaxKeyLength)
        {
            await ApiResults.Invalid(HeaderName, $"must be at most {MaxKeyLength} characters").ExecuteAsync(context);
            return;
        }

        request.EnableBuffering();
        var fingerprint = await FingerprintAsync(request);
        request.Body.Position = 0;

        var grain = grains.Keyed<IIdempotencyGrain>(key);
        var claim = await grain.Begin(fingerprint);
        switch (claim.State)
        {
            case IdempotencyClaimState.Completed:
                await ReplayAsync(context, claim.Response!);
                return;
            case IdempotencyClaimState.Mismatch:
                await ApiResults.Problem(StatusCodes.Status409Conflict, "Idempotency key reused", [new(HeaderName, "was used before with a different request")]).ExecuteAsync(context);
                return;
            case IdempotencyClaimState.InProgress:
                context.Response.Headers.RetryAfter = "1";
                await ApiResults.Problem(StatusCodes.Status409Conflict, "Request in progress", [new(HeaderName, "a request with this key is still being processed")]).ExecuteAsync(context);
                return;
        }

        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context);
        }
        catch
        {
            await grain.Abandon();
            throw;
        }
        finally
        {
            context.Response.Body = original;
        }

        var body = buffer.ToArray();
        if (context.Response.StatusCode >= 500)
        {
            await grain.Abandon();
        }
        else
        {
            await grain.Complete(new StoredResponse(
                context.Response.StatusCode,
                context.Response.ContentType,
                body,
                context.Response.Headers.Location.ToString() is { Length: > 0 } location ? location : null));
        }

        await original.WriteAsync(body);
    }

    private static async Task ReplayAsync(HttpContext context, StoredResponse stored)
    {
        context.Response.StatusCode = stored.StatusCode;
        context.Response.ContentType = stored.ContentType;
        if (stored.Location is not null)
        {
            context.Response.Headers.Location = stored.Location;
        }

        context.Response.Headers["Idempotent-Replayed"] = "true";
        await context.Response.Body.WriteAsync(stored.Body);
    }

    private static async Task<string> FingerprintAsync(HttpRequest request)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(System.Text.Encoding.UTF8.GetBytes($"{request.Method} {request.Path}\n"));
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk)) > 0)
        {
            sha.AppendData(chunk, 0, read);
        }

        return Convert.ToHexString(sha.GetHashAndReset());
    }
}
