using System.Net;

namespace Distribution.Tests.Browser;

/// <summary>The page's files as the gateway serves them from its assembly.</summary>
[Collection(OpsCollection.Name)]
public sealed class OpsFilesTests(OpsHub hub)
{
    [Theory]
    [InlineData("/ops", "text/html")]
    [InlineData("/ops/", "text/html")]
    [InlineData("/ops/ops.css", "text/css")]
    [InlineData("/ops/js/api.js", "text/javascript")]
    public async Task Page_files_are_served_with_their_type_and_a_same_origin_content_policy(string path, string type)
    {
        using var response = await hub.Api.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("default-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single());
    }

    [Theory]
    [InlineData("/ops/missing.js")]
    [InlineData("/ops/js/..%2F..%2FGateway.csproj")]
    public async Task Anything_else_is_a_404_problem(string path)
    {
        using var response = await hub.Api.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
