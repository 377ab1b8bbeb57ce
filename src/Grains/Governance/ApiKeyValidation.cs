using Distribution.Common;

namespace Distribution.Governance;

/// <summary>Rules for a new API key (pure).</summary>
public static class ApiKeyValidation
{
    public const int MaxNameLength = 100;

    public static IReadOnlyList<FieldError> Validate(ApiKeyRequest request)
    {
        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(request.Name))
        {
            errors.Add(new("name", "is required"));
        }
        else if (request.Name.Length > MaxNameLength)
        {
            errors.Add(new("name", $"must be at most {MaxNameLength} characters"));
        }

        if (request.Scopes is not { Count: > 0 })
        {
            errors.Add(new("scopes", $"at least one of {string.Join(", ", Scopes.All)}"));
            return errors;
        }

        for (var i = 0; i < request.Scopes.Count; i++)
        {
            if (request.Scopes[i] is not { } scope || !Scopes.IsKnown(scope))
            {
                errors.Add(new($"scopes[{i}]", $"'{request.Scopes[i]}' is not one of {string.Join(", ", Scopes.All)}"));
            }
        }

        return errors;
    }
}
