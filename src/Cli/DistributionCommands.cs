using System.CommandLine;

namespace Distribution.Cli;

/// <summary>
/// The command line of the <c>distribution</c> tool. <paramref name="connect"/> opens an HTTP
/// client for the gateway at a URL (tests hand in their in-memory server's client instead).
/// </summary>
public static class DistributionCommands
{
    public const string ApiKeyVariable = "DISTRIBUTION_API_KEY";

    /// <summary>Parses and runs a command line; a command line that does not parse exits 2 (1 means rows were rejected).</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, Func<Uri, HttpClient> connect, TextWriter output)
    {
        var parsed = Build(connect, output).Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                output.WriteLine($"error: {error.Message}");
            }

            output.WriteLine("(distribution --help lists the commands and options)");
            return 2;
        }

        return await parsed.InvokeAsync();
    }

    public static RootCommand Build(Func<Uri, HttpClient> connect, TextWriter output)
    {
        var url = new Option<string>("--url")
        {
            Description = "The gateway",
            DefaultValueFactory = _ => "http://127.0.0.1:8080",
            Recursive = true,
        };
        url.Validators.Add(r =>
        {
            if (!Uri.TryCreate(r.GetValueOrDefault<string>(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                r.AddError("--url must be an absolute http or https URL, e.g. http://127.0.0.1:8080");
            }
        });
        var apiKey = new Option<string?>("--api-key")
        {
            Description = $"The API key to call with (default: ${ApiKeyVariable})",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable(ApiKeyVariable),
            Recursive = true,
        };

        var kind = new Option<string?>("--kind") { Description = "For CSV (required) and to pick one array of a JSON file" };
        kind.AcceptOnlyFromAmong([.. MasterDataImport.Kinds]);
        var file = new Option<FileInfo>("--file") { Description = "A .csv file of one kind, or a .json file with one array per kind", Required = true };
        var chunkSize = new Option<int>("--chunk-size")
        {
            Description = "Rows per request",
            DefaultValueFactory = _ => MasterDataImport.DefaultChunkSize,
        };
        chunkSize.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > 50_000)
            {
                r.AddError("--chunk-size must be 1-50000");
            }
        });
        var import = new Command("import", "Import master data (items, warehouses, suppliers, lanes, policies) through POST /v1/master-data/import; exits 1 when a row was rejected")
        {
            kind, file, chunkSize,
        };
        import.SetAction(async (result, cancellationToken) =>
        {
            if (!KeyGiven(result.GetValue(apiKey), output, out var key))
            {
                return 2;
            }

            using var http = connect(new Uri(result.GetValue(url)!));
            return await new MasterDataImport(http, key, output).RunAsync(result.GetValue(file)!, result.GetValue(kind), result.GetValue(chunkSize), cancellationToken);
        });

        var name = new Option<string>("--name") { Description = "Who the key is for", DefaultValueFactory = _ => "created with the distribution CLI" };
        var scopes = new Option<string[]>("--scopes")
        {
            Description = "Scopes, comma-separated or repeated (orders:write, orders:read, inventory:read, inventory:write, events:write, edi:write, admin)",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
        };
        var create = new Command("create", "Create an API key (needs an admin key); prints it once") { name, scopes };
        create.SetAction(async (result, cancellationToken) =>
        {
            if (!KeyGiven(result.GetValue(apiKey), output, out var key))
            {
                return 2;
            }

            var granted = result.GetValue(scopes)!.SelectMany(s => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
            using var http = connect(new Uri(result.GetValue(url)!));
            return await new ApiKeyCreation(http, key, output).RunAsync(result.GetValue(name)!, granted, cancellationToken);
        });

        return new RootCommand("Distribution hub command line: bulk master data import and API keys")
        {
            url, apiKey, import, new Command("keys", "API keys") { create },
        };
    }

    private static bool KeyGiven(string? value, TextWriter output, out string key)
    {
        key = value ?? "";
        if (key.Length > 0)
        {
            return true;
        }

        output.WriteLine($"error: give --api-key or set {ApiKeyVariable}");
        return false;
    }
}
