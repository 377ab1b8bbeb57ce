using YamlDotNet.RepresentationModel;

namespace Distribution.Tests.Deployment;

/// <summary>deploy/compose/compose.yaml as a YAML tree, with the few lookups the tests need.</summary>
public sealed class ComposeFile
{
    public const string Path = "deploy/compose/compose.yaml";

    private ComposeFile(YamlMappingNode root) => Root = root;

    public YamlMappingNode Root { get; }

    public YamlMappingNode Services => (YamlMappingNode)Root["services"];

    public IEnumerable<string> ServiceNames => Services.Children.Keys.Select(k => ((YamlScalarNode)k).Value!);

    public static ComposeFile Load()
    {
        var stream = new YamlStream();
        using var reader = new StringReader(Repository.Read(Path));
        stream.Load(reader);
        return new ComposeFile((YamlMappingNode)stream.Documents.Single().RootNode);
    }

    public YamlMappingNode Service(string name) => (YamlMappingNode)Services[name];

    /// <summary>Services built from this repository's Dockerfiles (the others are public images).</summary>
    public IEnumerable<string> BuiltServices => ServiceNames.Where(s => Service(s).Children.ContainsKey("build"));

    public static string? Scalar(YamlMappingNode node, params string[] path)
    {
        YamlNode current = node;
        foreach (var key in path)
        {
            if (current is not YamlMappingNode map || !map.Children.TryGetValue(key, out var next))
            {
                return null;
            }

            current = next;
        }

        return (current as YamlScalarNode)?.Value;
    }

    /// <summary>The service's environment in mapping form, name → value.</summary>
    public IReadOnlyDictionary<string, string> Environment(string service) =>
        Service(service).Children.TryGetValue("environment", out var env)
            ? ((YamlMappingNode)env).Children.ToDictionary(p => ((YamlScalarNode)p.Key).Value!, p => ((YamlScalarNode)p.Value).Value ?? "")
            : new Dictionary<string, string>();

    /// <summary>The Dockerfile a built service uses, relative to the repository root.</summary>
    public string Dockerfile(string service)
    {
        var context = Scalar(Service(service), "build", "context") ?? ".";
        var dockerfile = Scalar(Service(service), "build", "dockerfile") ?? "Dockerfile";
        var full = System.IO.Path.GetFullPath(System.IO.Path.Combine(Repository.PathOf("deploy/compose"), context, dockerfile));
        return System.IO.Path.GetRelativePath(Repository.Root, full).Replace('\\', '/');
    }

    /// <summary>The service's build context, relative to the repository root ("" for the root itself).</summary>
    public string BuildContext(string service)
    {
        var full = System.IO.Path.GetFullPath(System.IO.Path.Combine(Repository.PathOf("deploy/compose"), Scalar(Service(service), "build", "context") ?? "."));
        var relative = System.IO.Path.GetRelativePath(Repository.Root, full).Replace('\\', '/');
        return relative == "." ? "" : relative;
    }
}
