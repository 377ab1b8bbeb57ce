using k8s;
using k8s.Models;

namespace Distribution.Tests.Deployment;

/// <summary>Every document of every manifest under deploy/k8s, parsed into the client's typed models.</summary>
public sealed class KubernetesManifests
{
    public const string Folder = "deploy/k8s";

    /// <summary>Not a Kubernetes object: kustomize's list of the manifests.</summary>
    public const string Kustomization = "kustomization.yaml";

    private KubernetesManifests(IReadOnlyList<(string File, object Document)> documents) => Documents = documents;

    public IReadOnlyList<(string File, object Document)> Documents { get; }

    public static IReadOnlyList<string> Files =>
        [.. Directory.EnumerateFiles(Repository.PathOf(Folder))
            .Select(Path.GetFileName)
            .OfType<string>()
            .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal))
            .Where(f => f != Kustomization)
            .Order(StringComparer.Ordinal)];

    public static KubernetesManifests Load() =>
        new([.. Files.SelectMany(f => KubernetesYaml.LoadAllFromString(Repository.Read($"{Folder}/{f}")).Select(d => (f, d)))]);

    public IEnumerable<T> All<T>() => Documents.Select(d => d.Document).OfType<T>();

    public V1Deployment Deployment(string name) => All<V1Deployment>().Single(d => d.Metadata.Name == name);

    public V1Deployment Silo => Deployment("distribution-silo");

    public V1Deployment Gateway => Deployment("distribution-gateway");

    public static V1Container Container(V1Deployment deployment) => deployment.Spec.Template.Spec.Containers.Single();

    public static V1EnvVar Env(V1Deployment deployment, string name) =>
        Container(deployment).Env.SingleOrDefault(e => e.Name == name)
        ?? throw new Xunit.Sdk.XunitException($"{deployment.Metadata.Name} has no environment variable {name}.");

    public static int Port(V1Deployment deployment, string name) =>
        Container(deployment).Ports.SingleOrDefault(p => p.Name == name)?.ContainerPort
        ?? throw new Xunit.Sdk.XunitException($"{deployment.Metadata.Name} has no container port named {name}.");
}
