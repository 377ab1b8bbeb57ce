using Distribution.Common;
using Distribution.Integration.BusinessEvents;

namespace Distribution.Integration.Webhooks;

/// <summary>Checks a subscription request field by field.</summary>
public static class SubscriptionValidation
{
    public const int MaxUrlLength = 2000;
    public const int MinSecretLength = 16;
    public const int MaxSecretLength = 256;

    public static IReadOnlyList<FieldError> Validate(SubscriptionRequest request)
    {
        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(request.Url))
        {
            errors.Add(new("url", "is required"));
        }
        else if (request.Url.Length > MaxUrlLength)
        {
            errors.Add(new("url", $"must be at most {MaxUrlLength} characters"));
        }
        else if (!Uri.TryCreate(request.Url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            errors.Add(new("url", "must be an absolute http or https URL"));
        }

        if (request.EventTypes is null || request.EventTypes.Count == 0)
        {
            errors.Add(new("eventTypes", "must name at least one event type (or \"*\" for all)"));
        }
        else
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < request.EventTypes.Count; i++)
            {
                var type = request.EventTypes[i];
                if (type is null || (type != "*" && !BusinessEventTypes.IsKnown(type)))
                {
                    errors.Add(new($"eventTypes[{i}]", $"unknown event type '{type}'; known: {string.Join(", ", BusinessEventTypes.All)}"));
                }
                else if (!seen.Add(type))
                {
                    errors.Add(new($"eventTypes[{i}]", $"'{type}' is listed twice"));
                }
            }
        }

        if (string.IsNullOrEmpty(request.Secret))
        {
            errors.Add(new("secret", "is required"));
        }
        else if (request.Secret.Length is < MinSecretLength or > MaxSecretLength)
        {
            errors.Add(new("secret", $"must be {MinSecretLength}-{MaxSecretLength} characters"));
        }

        return errors;
    }
}
