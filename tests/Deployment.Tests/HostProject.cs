using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Distribution.Common;
using Distribution.Events.Streaming;
using Distribution.Gateway.Security;
using Distribution.Silo.Hosting;
using Orleans.Configuration;
using Orleans.Hosting.Kubernetes;

namespace Distribution.Tests.Deployment;

/// <summary>
/// One of the two hosts the images run (src/Silo, src/Gateway): its assembly, its settings, and the
/// configuration keys it reads. The keys come from the host's appsettings.json, the literal keys its
/// source passes to GetValue/GetConnectionString, and the properties of the options bound to the
/// sections its source passes to GetSection, so a key that nothing reads is not in the set.
/// </summary>
public sealed partial class HostProject
{
    public static readonly HostProject Silo = new(
        "src/Silo/Silo.csproj",
        sources: ["src/Silo", "src/Gateway"],
        // The silo process runs the gateway's routes (GatewayHosting) but not its Program.
        excludedSources: ["src/Gateway/Program.cs"],
        sections: new Dictionary<string, Type>
        {
            ["Hub"] = typeof(HubOptions),
            ["Orleans"] = typeof(ClusterOptions),
            ["Orleans:Membership"] = typeof(ClusterMembershipOptions),
            ["Allocation"] = typeof(AllocationOptions),
            ["Events"] = typeof(EventStreamOptions),
            [AuthOptions.Section] = typeof(AuthOptions),
            [RateLimitOptions.Section] = typeof(RateLimitOptions),
        },
        // Read straight from the environment by Orleans' Kubernetes hosting (and POD_IP by SiloHosting).
        environmentVariables:
        [
            KubernetesHostingOptions.PodNameEnvironmentVariable,
            KubernetesHostingOptions.PodNamespaceEnvironmentVariable,
            KubernetesHostingOptions.PodIPEnvironmentVariable,
            KubernetesHostingOptions.ClusterIdEnvironmentVariable,
            KubernetesHostingOptions.ServiceIdEnvironmentVariable,
        ]);

    public static readonly HostProject Gateway = new(
        "src/Gateway/Gateway.csproj",
        sources: ["src/Gateway"],
        excludedSources: [],
        sections: new Dictionary<string, Type>
        {
            ["Orleans"] = typeof(ClusterOptions),
            [AuthOptions.Section] = typeof(AuthOptions),
            [RateLimitOptions.Section] = typeof(RateLimitOptions),
        },
        environmentVariables: []);

    private readonly string[] _sources;
    private readonly string[] _excludedSources;
    private readonly string[] _environmentVariables;

    private HostProject(string project, string[] sources, string[] excludedSources, Dictionary<string, Type> sections, string[] environmentVariables)
    {
        Project = project;
        _sources = sources;
        _excludedSources = excludedSources;
        Sections = sections;
        _environmentVariables = environmentVariables;
    }

    /// <summary>The csproj, relative to the repository root.</summary>
    public string Project { get; }

    /// <summary>The sections bound to options, with the type bound to each.</summary>
    public IReadOnlyDictionary<string, Type> Sections { get; }

    public string Directory => Path.GetDirectoryName(Project)!.Replace('\\', '/');

    public string AssemblyName =>
        XDocument.Parse(Repository.Read(Project)).Descendants("AssemblyName").Single().Value;

    /// <summary>The flattened keys and values of the host's appsettings.json ("Hub:SiloPort" → "11111").</summary>
    public IReadOnlyDictionary<string, string> Settings
    {
        get
        {
            var settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            using var json = JsonDocument.Parse(Repository.Read($"{Directory}/appsettings.json"));
            Flatten(json.RootElement, "", settings);
            return settings;
        }
    }

    /// <summary>GetSection("...") literals in the host's source.</summary>
    public IReadOnlySet<string> SectionsInSource =>
        SourceText().SelectMany(s => GetSectionCall().Matches(s)).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>Every configuration key the host reads, case-insensitive as configuration is.</summary>
    public IReadOnlySet<string> ConfigurationKeys
    {
        get
        {
            var keys = new HashSet<string>(Settings.Keys, StringComparer.OrdinalIgnoreCase);
            foreach (var text in SourceText())
            {
                keys.UnionWith(GetValueCall().Matches(text).Select(m => m.Groups[1].Value));
                keys.UnionWith(GetConnectionStringCall().Matches(text).Select(m => $"ConnectionStrings:{m.Groups[1].Value}"));
            }

            foreach (var (section, type) in Sections)
            {
                keys.UnionWith(type.GetProperties().Where(p => p.CanWrite).Select(p => $"{section}:{p.Name}"));
            }

            return keys;
        }
    }

    /// <summary>
    /// Whether setting this environment variable reaches something the host reads: a configuration
    /// key in its environment form ("Hub__SiloPort") or a variable read directly.
    /// </summary>
    public bool Reads(string environmentVariable) =>
        _environmentVariables.Contains(environmentVariable, StringComparer.Ordinal)
        || ConfigurationKeys.Contains(environmentVariable.Replace("__", ":", StringComparison.Ordinal));

    private IEnumerable<string> SourceText() =>
        _sources.SelectMany(d => System.IO.Directory.EnumerateFiles(Repository.PathOf(d), "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => !_excludedSources.Any(x => f.EndsWith(x.Replace('/', Path.DirectorySeparatorChar), StringComparison.Ordinal)))
            .Select(File.ReadAllText);

    private static void Flatten(JsonElement element, string prefix, Dictionary<string, string> into)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                Flatten(property.Value, prefix.Length == 0 ? property.Name : $"{prefix}:{property.Name}", into);
            }
        }
        else
        {
            into[prefix] = element.ToString();
        }
    }

    [GeneratedRegex(@"GetValue(?:<[^>]+>)?\(\s*""([^""]+)""")]
    private static partial Regex GetValueCall();

    [GeneratedRegex(@"GetConnectionString\(\s*""([^""]+)""\s*\)")]
    private static partial Regex GetConnectionStringCall();

    [GeneratedRegex(@"GetSection\(\s*""([^""]+)""\s*\)")]
    private static partial Regex GetSectionCall();
}
