using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Distribution.Gateway.Security;

/// <summary>Declares the API key in the OpenAPI document, so the reference page can send it with "try it".</summary>
public static class OpenApiSecurity
{
    public const string SchemeId = "ApiKey";

    public static OpenApiOptions AddApiKeySecurity(this OpenApiOptions options) => options.AddDocumentTransformer((document, _, _) =>
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[SchemeId] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = ApiKeyAuthentication.HeaderName,
            Description = "A client's API key (POST /v1/api-keys) or the admin key; each route requires one scope.",
        };
        document.Security ??= [];
        document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeId, document)] = [] });
        return Task.CompletedTask;
    });
}
