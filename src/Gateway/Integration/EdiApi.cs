using System.Text;
using Distribution.Common;
using Distribution.Gateway.Http;
using Distribution.Gateway.Security;
using Distribution.Governance;
using Distribution.Integration;
using Microsoft.Net.Http.Headers;

namespace Distribution.Gateway.Integration;

/// <summary>EDI X12: inbound interchanges answered with a 997, and each partner's outbox.</summary>
public static class EdiApi
{
    private static readonly string[] MediaTypes = ["application/edi-x12", "text/plain"];

    public static RouteGroupBuilder MapEdiApiV1(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/edi").WithTags("EDI").RequireScope(Scopes.EdiWrite);

        group.MapPost("/x12", async (HttpRequest request, IGrainFactory grains) =>
        {
            var mediaType = MediaTypeHeaderValue.TryParse(request.ContentType, out var parsed) ? parsed.MediaType.Value : null;
            if (mediaType is null || !MediaTypes.Contains(mediaType, StringComparer.OrdinalIgnoreCase))
            {
                return ApiResults.Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type",
                    [new FieldError("Content-Type", "send the interchange as application/edi-x12 or text/plain")]);
            }

            string text;
            using (var reader = new StreamReader(request.Body, Encoding.UTF8))
            {
                text = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
            }

            var receipt = await grains.GetGrain<IEdiInboxGrain>(0).Receive(text);
            return receipt.Outcome switch
            {
                EdiReceiptOutcome.Acknowledged or EdiReceiptOutcome.Replayed or EdiReceiptOutcome.InterchangeRejected => Results.Text(receipt.Acknowledgment, mediaType, Encoding.UTF8),
                EdiReceiptOutcome.Conflict => ApiResults.Problem(StatusCodes.Status409Conflict, "Conflict", receipt.Errors),
                EdiReceiptOutcome.Busy => ApiResults.TooManyRequests(receipt.RetryAfter ?? TimeSpan.FromSeconds(1), "The hub is behind applying events", receipt.Errors),
                _ => ApiResults.Invalid(receipt.Errors),
            };
        })
        // No Accepts metadata: routing would answer another media type with a bare 415; the handler names the header instead.
        .WithSummary("Post an X12 interchange (850, 856, 945, 944, 846): applied through the same paths as the JSON API, answered with a 997 (preceded by a TA1 when ISA14 = 1); a broken envelope from a known partner gets a TA1 rejection; the same interchange again gets the same 997")
        .Produces<string>(StatusCodes.Status200OK, "application/edi-x12")
        .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
        .ProducesProblem(StatusCodes.Status409Conflict);

        group.MapGet("/outbox/{partnerId}", async (string partnerId, IGrainFactory grains) =>
            Identifiers.IsValid(partnerId) && await grains.GetGrain<ITradingPartnersGrain>(ITradingPartnersGrain.Key).Get(partnerId) is not null
                ? Results.Ok(await grains.GetGrain<IEdiOutboxGrain>(partnerId).List())
                : ApiResults.NotFound("partnerId", $"unknown trading partner '{partnerId}'"))
            .WithSummary("The documents generated for a trading partner (997s of its interchanges, 855, 940, 850), oldest first");

        return group;
    }
}
