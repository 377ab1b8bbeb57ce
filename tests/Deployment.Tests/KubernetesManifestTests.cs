using Distribution.Gateway.Operations;
using k8s;
using k8s.Models;
using Orleans.Hosting.Kubernetes;
using static Distribution.Tests.Deployment.KubernetesManifests;

namespace Distribution.Tests.Deployment;

/// <summary>
/// deploy/k8s cannot be applied on this machine, so its structure is checked against the projects:
/// what the images run, the ports and health paths the hosts serve, the configuration they read.
/// </summary>
public sealed class KubernetesManifestTests
{
    private readonly KubernetesManifests _manifests = Load();

    [Fact]
    public void Every_document_is_a_typed_Kubernetes_object()
    {
        Assert.NotEmpty(_manifests.Documents);
        foreach (var (file, document) in _manifests.Documents)
        {
            var typed = Assert.IsAssignableFrom<IKubernetesObject<V1ObjectMeta>>(document);
            Assert.False(string.IsNullOrEmpty(typed.Metadata?.Name), $"{file}: a {typed.Kind} without a name");
        }

        var kinds = _manifests.Documents.Select(d => ((IKubernetesObject)d.Document).Kind).ToHashSet();
        Assert.Superset(new HashSet<string> { "Namespace", "ServiceAccount", "Role", "RoleBinding", "Secret", "Deployment", "Service" }, kinds);
    }

    [Fact]
    public void Kustomization_applies_every_manifest_into_the_namespace_they_declare()
    {
        var kustomization = new YamlDotNet.Serialization.Deserializer()
            .Deserialize<Dictionary<string, object>>(Repository.Read($"{Folder}/{Kustomization}"));
        var resources = ((List<object>)kustomization["resources"]).Cast<string>().Order(StringComparer.Ordinal);
        Assert.Equal(Files, resources);

        // An image override whose name no container uses would silently change nothing.
        var images = _manifests.All<V1Deployment>().Select(d => Container(d).Image.Split(':')[0]).ToHashSet();
        foreach (var entry in ((List<object>)kustomization["images"]).Cast<Dictionary<object, object>>())
        {
            Assert.Contains((string)entry["name"], images);
        }

        var ns = _manifests.All<V1Namespace>().Single().Metadata.Name;
        Assert.Equal(ns, kustomization["namespace"]);
        foreach (var (file, document) in _manifests.Documents.Where(d => d.Document is not V1Namespace))
        {
            Assert.True(((IKubernetesObject<V1ObjectMeta>)document).Metadata.NamespaceProperty == ns, $"{file}: not in namespace {ns}");
        }
    }

    [Theory]
    [InlineData("distribution-silo", "Silo")]
    [InlineData("distribution-gateway", "Gateway")]
    public void Deployments_run_the_image_built_for_their_host(string deployment, string host)
    {
        var project = host == "Silo" ? HostProject.Silo : HostProject.Gateway;
        var image = Container(_manifests.Deployment(deployment)).Image;
        var compose = ComposeFile.Load();

        // The image tag is built by compose (and by the README's docker build) from one Dockerfile.
        var builders = compose.BuiltServices.Where(s => ComposeFile.Scalar(compose.Service(s), "image") == image).ToList();
        Assert.NotEmpty(builders);
        var dockerfile = Dockerfile.Load(Assert.Single(builders.Select(compose.Dockerfile).Distinct()));

        Assert.Equal(project.Project, dockerfile.PublishedProject);
        Assert.Equal(["dotnet", $"{project.AssemblyName}.dll"], dockerfile.Entrypoint);
    }

    [Fact]
    public void Silo_container_ports_are_the_ports_the_silo_listens_on()
    {
        var silo = _manifests.Silo;
        Assert.Equal(HostPort(silo, HostProject.Silo, "Hub:SiloPort"), Port(silo, "silo"));
        Assert.Equal(HostPort(silo, HostProject.Silo, "Hub:GatewayPort"), Port(silo, "gateway"));
        Assert.Equal(HttpPort(silo, "deploy/docker/silo.Dockerfile"), Port(silo, "http"));
    }

    [Fact]
    public void Gateway_container_port_is_the_port_the_gateway_listens_on() =>
        Assert.Equal(HttpPort(_manifests.Gateway, "deploy/docker/gateway.Dockerfile"), Port(_manifests.Gateway, "http"));

    [Theory]
    [InlineData("distribution-silo")]
    [InlineData("distribution-gateway")]
    public void Probes_ask_the_health_endpoints_on_the_http_port(string deployment)
    {
        var container = Container(_manifests.Deployment(deployment));
        Assert.Equal(OperationsApi.LivePath, container.LivenessProbe.HttpGet.Path);
        Assert.Equal(OperationsApi.ReadyPath, container.ReadinessProbe.HttpGet.Path);
        Assert.Equal(OperationsApi.LivePath, container.StartupProbe.HttpGet.Path);
        foreach (var probe in new[] { container.LivenessProbe, container.ReadinessProbe, container.StartupProbe })
        {
            Assert.Equal(Port(_manifests.Deployment(deployment), "http").ToString(), ResolvePort(container, probe.HttpGet.Port));
        }
    }

    [Theory]
    [InlineData("distribution-silo", "Silo")]
    [InlineData("distribution-gateway", "Gateway")]
    public void Every_environment_variable_is_one_its_host_reads(string deployment, string host)
    {
        var project = host == "Silo" ? HostProject.Silo : HostProject.Gateway;
        var unread = Container(_manifests.Deployment(deployment)).Env.Select(e => e.Name).Where(n => !project.Reads(n)).ToList();
        Assert.True(unread.Count == 0, $"{deployment} sets what {host} never reads: {string.Join(", ", unread)}");
    }

    [Fact]
    public void Secret_references_name_a_key_of_a_secret_in_the_manifests()
    {
        var references = _manifests.All<V1Deployment>()
            .SelectMany(d => Container(d).Env)
            .Select(e => e.ValueFrom?.SecretKeyRef)
            .OfType<V1SecretKeySelector>()
            .ToList();
        Assert.NotEmpty(references);
        foreach (var reference in references)
        {
            var secret = _manifests.All<V1Secret>().SingleOrDefault(s => s.Metadata.Name == reference.Name);
            Assert.True(secret is not null, $"no Secret named {reference.Name}");
            var keys = (secret.StringData?.Keys ?? []).Concat(secret.Data?.Keys ?? []);
            Assert.Contains(reference.Key, keys);
        }
    }

    [Fact]
    public void Both_hosts_read_the_admin_api_key_from_the_same_secret_key()
    {
        var silo = Env(_manifests.Silo, "Auth__AdminKey").ValueFrom.SecretKeyRef;
        var gateway = Env(_manifests.Gateway, "Auth__AdminKey").ValueFrom.SecretKeyRef;
        Assert.Equal((silo.Name, silo.Key), (gateway.Name, gateway.Key));
    }

    [Fact]
    public void Both_hosts_read_the_connection_string_from_the_same_secret_key()
    {
        var silo = Env(_manifests.Silo, "ConnectionStrings__Distribution").ValueFrom.SecretKeyRef;
        var gateway = Env(_manifests.Gateway, "ConnectionStrings__Distribution").ValueFrom.SecretKeyRef;
        Assert.Equal((silo.Name, silo.Key), (gateway.Name, gateway.Key));
    }

    [Fact]
    public void Deployments_select_their_own_pods()
    {
        foreach (var deployment in _manifests.All<V1Deployment>())
        {
            Assert.Superset(
                deployment.Spec.Selector.MatchLabels.ToHashSet(),
                deployment.Spec.Template.Metadata.Labels.ToHashSet());
        }
    }

    [Fact]
    public void Services_select_one_deployment_and_target_its_container_ports()
    {
        foreach (var service in _manifests.All<V1Service>())
        {
            var selected = _manifests.All<V1Deployment>()
                .Where(d => service.Spec.Selector.All(l => d.Spec.Template.Metadata.Labels.TryGetValue(l.Key, out var v) && v == l.Value))
                .ToList();
            var deployment = Assert.Single(selected);
            var container = Container(deployment);
            foreach (var port in service.Spec.Ports)
            {
                var target = ResolvePort(container, port.TargetPort);
                Assert.Contains(target, container.Ports.Select(p => p.ContainerPort.ToString()));
            }
        }
    }

    [Fact]
    public void Disruption_budgets_select_a_deployment()
    {
        foreach (var budget in _manifests.All<V1PodDisruptionBudget>())
        {
            Assert.Single(_manifests.All<V1Deployment>(), d =>
                budget.Spec.Selector.MatchLabels.All(l => d.Spec.Template.Metadata.Labels.TryGetValue(l.Key, out var v) && v == l.Value));
        }
    }

    [Fact]
    public void Silo_pods_give_Orleans_Kubernetes_hosting_what_it_reads()
    {
        var silo = _manifests.Silo;
        Assert.True(bool.Parse(Env(silo, "Hub__Kubernetes").Value));
        Assert.Equal("metadata.name", Env(silo, KubernetesHostingOptions.PodNameEnvironmentVariable).ValueFrom.FieldRef.FieldPath);
        Assert.Equal("metadata.namespace", Env(silo, KubernetesHostingOptions.PodNamespaceEnvironmentVariable).ValueFrom.FieldRef.FieldPath);
        Assert.Equal("status.podIP", Env(silo, KubernetesHostingOptions.PodIPEnvironmentVariable).ValueFrom.FieldRef.FieldPath);

        // Cluster and service ids come from the pod labels the hosting selects silo pods by.
        var labels = silo.Spec.Template.Metadata.Labels;
        foreach (var (variable, label) in new[]
        {
            (KubernetesHostingOptions.ClusterIdEnvironmentVariable, KubernetesHostingOptions.ClusterIdLabel),
            (KubernetesHostingOptions.ServiceIdEnvironmentVariable, KubernetesHostingOptions.ServiceIdLabel),
        })
        {
            Assert.Equal($"metadata.labels['{label}']", Env(silo, variable).ValueFrom.FieldRef.FieldPath);
            Assert.False(!labels.TryGetValue(label, out var value) || string.IsNullOrWhiteSpace(value), $"silo pods lack the {label} label");
        }
    }

    [Fact]
    public void Silo_service_account_may_read_watch_and_label_pods()
    {
        var spec = _manifests.Silo.Spec.Template.Spec;
        Assert.NotEqual(false, spec.AutomountServiceAccountToken);
        var account = _manifests.All<V1ServiceAccount>().Single(a => a.Metadata.Name == spec.ServiceAccountName);

        var binding = _manifests.All<V1RoleBinding>().Single(b => b.Subjects.Any(s =>
            s.Kind == "ServiceAccount" && s.Name == account.Metadata.Name && s.NamespaceProperty == account.Metadata.NamespaceProperty));
        Assert.Equal("Role", binding.RoleRef.Kind);
        var role = _manifests.All<V1Role>().Single(r => r.Metadata.Name == binding.RoleRef.Name);

        var podRules = role.Rules.Where(r => r.ApiGroups.Contains("") && r.Resources.Contains("pods")).ToList();
        // get/patch: its own pod's labels; list/watch: the pods of the cluster (KubernetesClusterAgent).
        Assert.Superset(new HashSet<string> { "get", "list", "watch", "patch" }, podRules.SelectMany(r => r.Verbs).ToHashSet());
        // Nothing beyond pods: the hosting touches nothing else.
        Assert.All(role.Rules, r => Assert.Equal(["pods"], r.Resources));
    }

    [Fact]
    public void Gateways_join_the_cluster_the_silo_pods_are_labelled_with()
    {
        var siloLabels = _manifests.Silo.Spec.Template.Metadata.Labels;
        Assert.Equal(siloLabels[KubernetesHostingOptions.ClusterIdLabel], Env(_manifests.Gateway, "Orleans__ClusterId").Value);
        Assert.Equal(siloLabels[KubernetesHostingOptions.ServiceIdLabel], Env(_manifests.Gateway, "Orleans__ServiceId").Value);

        // A gateway pod carrying these labels would be taken for a silo without a membership entry.
        Assert.DoesNotContain(_manifests.Gateway.Spec.Template.Metadata.Labels.Keys, k => k.StartsWith("orleans/", StringComparison.Ordinal));
    }

    [Fact]
    public void Silo_pods_get_longer_to_stop_than_the_silo_takes()
    {
        var shutdown = TimeSpan.Parse(Env(_manifests.Silo, "Hub__ShutdownTimeout").Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(shutdown > TimeSpan.FromSeconds(30), "no longer than the host's default");
        Assert.True(TimeSpan.FromSeconds(_manifests.Silo.Spec.Template.Spec.TerminationGracePeriodSeconds!.Value) > shutdown);
    }

    /// <summary>The port the host listens on: the container's environment, else the appsettings.json value.</summary>
    private static int HostPort(V1Deployment deployment, HostProject host, string key)
    {
        var env = Container(deployment).Env.SingleOrDefault(e => e.Name == key.Replace(":", "__", StringComparison.Ordinal));
        return int.Parse(env?.Value ?? host.Settings[key], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The HTTP port: from Urls in the container's environment, else the image's.</summary>
    private static int HttpPort(V1Deployment deployment, string dockerfile)
    {
        var urls = Container(deployment).Env.SingleOrDefault(e => e.Name == "Urls")?.Value
            ?? Dockerfile.Load(dockerfile).Environment["Urls"];
        return new Uri(urls.Replace("+", "localhost", StringComparison.Ordinal)).Port;
    }

    private static string ResolvePort(V1Container container, IntOrString port) =>
        container.Ports.SingleOrDefault(p => p.Name == port.Value)?.ContainerPort.ToString() ?? port.Value;
}
