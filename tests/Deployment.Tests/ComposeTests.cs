using System.Net;
using Distribution.Gateway.Operations;
using Npgsql;
using YamlDotNet.RepresentationModel;

namespace Distribution.Tests.Deployment;

/// <summary>deploy/compose/compose.yaml, checked against the projects it builds and runs.</summary>
public sealed class ComposeTests
{
    private readonly ComposeFile _compose = ComposeFile.Load();

    [Fact]
    public void Hosts_are_built_from_the_repository_root_with_a_Dockerfile_that_runs_their_assembly()
    {
        Assert.NotEmpty(_compose.BuiltServices);
        foreach (var service in _compose.BuiltServices)
        {
            // The Dockerfiles copy global.json, Directory.*.props and src/ from the root.
            Assert.Equal("", _compose.BuildContext(service));
            var dockerfile = Dockerfile.Load(_compose.Dockerfile(service));
            var host = HostOf(dockerfile);
            Assert.Equal(["dotnet", $"{host.AssemblyName}.dll"], dockerfile.Entrypoint);
        }
    }

    [Fact]
    public void Every_environment_variable_of_a_host_is_one_it_reads()
    {
        foreach (var service in _compose.BuiltServices)
        {
            var host = HostOf(Dockerfile.Load(_compose.Dockerfile(service)));
            var unread = _compose.Environment(service).Keys.Where(n => !host.Reads(n)).ToList();
            Assert.True(unread.Count == 0, $"{service} sets what {host.AssemblyName} never reads: {string.Join(", ", unread)}");
        }
    }

    [Fact]
    public void Every_image_environment_variable_is_one_its_host_reads()
    {
        foreach (var path in new[] { "deploy/docker/silo.Dockerfile", "deploy/docker/gateway.Dockerfile" })
        {
            var dockerfile = Dockerfile.Load(path);
            var host = HostOf(dockerfile);
            Assert.All(dockerfile.Environment.Keys, name => Assert.True(host.Reads(name), $"{path}: {host.AssemblyName} never reads {name}"));
        }
    }

    [Fact]
    public void Hosts_use_the_database_the_postgres_service_creates()
    {
        var postgres = _compose.Environment("postgres");
        foreach (var service in _compose.BuiltServices)
        {
            var connection = new NpgsqlConnectionStringBuilder(_compose.Environment(service)["ConnectionStrings__Distribution"]);
            Assert.Equal("postgres", connection.Host);
            Assert.Equal(postgres["POSTGRES_DB"], connection.Database);
            Assert.Equal(postgres["POSTGRES_USER"], connection.Username);
            Assert.Equal(postgres["POSTGRES_PASSWORD"], connection.Password);
        }
    }

    [Fact]
    public void Hosts_share_one_cluster_identity()
    {
        var identities = _compose.BuiltServices
            .Select(s => (_compose.Environment(s).GetValueOrDefault("Orleans__ClusterId"), _compose.Environment(s).GetValueOrDefault("Orleans__ServiceId")))
            .Distinct()
            .ToList();
        var (clusterId, serviceId) = Assert.Single(identities);
        Assert.False(string.IsNullOrEmpty(clusterId));
        Assert.False(string.IsNullOrEmpty(serviceId));
    }

    [Fact]
    public void Hosts_share_one_admin_api_key()
    {
        var keys = _compose.BuiltServices.Select(s => _compose.Environment(s).GetValueOrDefault("Auth__AdminKey")).Distinct().ToList();
        var key = Assert.Single(keys);
        Assert.False(string.IsNullOrEmpty(key), "every host needs Auth__AdminKey, or each would generate its own");
    }

    [Fact]
    public void Each_silo_advertises_its_own_fixed_address_on_the_network()
    {
        var silos = SiloServices().ToList();
        Assert.True(silos.Count >= 2, "compose runs a cluster of at least two silos");

        var network = (YamlMappingNode)((YamlMappingNode)_compose.Root["networks"])["hub"];
        var ipam = (YamlMappingNode)((YamlSequenceNode)((YamlMappingNode)network["ipam"])["config"]).Single();
        var subnet = IPNetwork.Parse(ComposeFile.Scalar(ipam, "subnet")!);
        var dynamicRange = IPNetwork.Parse(ComposeFile.Scalar(ipam, "ip_range")!);

        var addresses = new List<string>();
        foreach (var silo in silos)
        {
            var advertised = _compose.Environment(silo)["Hub__AdvertisedAddress"];
            Assert.Equal(advertised, ComposeFile.Scalar(_compose.Service(silo), "networks", "hub", "ipv4_address"));
            Assert.True(subnet.Contains(IPAddress.Parse(advertised)), $"{silo}: {advertised} outside {subnet}");
            Assert.False(dynamicRange.Contains(IPAddress.Parse(advertised)), $"{silo}: {advertised} may be handed to another container");
            addresses.Add(advertised);
        }

        Assert.Equal(addresses.Count, addresses.Distinct().Count());
    }

    [Fact]
    public void Health_conditions_wait_for_services_that_have_a_health_check()
    {
        var waits = 0;
        foreach (var service in _compose.ServiceNames)
        {
            if (!_compose.Service(service).Children.TryGetValue("depends_on", out var dependsOn))
            {
                continue;
            }

            foreach (var (dependency, condition) in ((YamlMappingNode)dependsOn).Children)
            {
                var name = ((YamlScalarNode)dependency).Value!;
                Assert.Contains(name, _compose.ServiceNames);
                if (ComposeFile.Scalar((YamlMappingNode)condition, "condition") == "service_healthy")
                {
                    Assert.True(
                        _compose.Service(name).Children.TryGetValue("healthcheck", out var check) && check is YamlMappingNode m && m.Children.ContainsKey("test"),
                        $"{service} waits for {name}, which has no health check");
                    waits++;
                }
            }
        }

        Assert.True(waits > 0);
    }

    [Fact]
    public void Host_health_checks_ask_the_readiness_endpoint_on_the_http_port()
    {
        foreach (var service in _compose.BuiltServices)
        {
            var test = string.Join(' ', ((YamlSequenceNode)((YamlMappingNode)_compose.Service(service)["healthcheck"])["test"])
                .Select(n => ((YamlScalarNode)n).Value));
            var port = new Uri(Dockerfile.Load(_compose.Dockerfile(service)).Environment["Urls"].Replace("+", "localhost", StringComparison.Ordinal)).Port;
            Assert.Contains($"/dev/tcp/127.0.0.1/{port}", test, StringComparison.Ordinal);
            Assert.Contains($"GET {OperationsApi.ReadyPath} ", test, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Silos_get_longer_to_stop_than_the_silo_takes()
    {
        foreach (var silo in SiloServices())
        {
            var shutdown = TimeSpan.Parse(_compose.Environment(silo)["Hub__ShutdownTimeout"], System.Globalization.CultureInfo.InvariantCulture);
            var grace = ComposeFile.Scalar(_compose.Service(silo), "stop_grace_period")!;
            Assert.EndsWith("s", grace, StringComparison.Ordinal);
            Assert.True(TimeSpan.FromSeconds(int.Parse(grace[..^1], System.Globalization.CultureInfo.InvariantCulture)) > shutdown, $"{silo}: {grace} ≤ {shutdown}");
        }
    }

    private IEnumerable<string> SiloServices() =>
        _compose.BuiltServices.Where(s => HostOf(Dockerfile.Load(_compose.Dockerfile(s))) == HostProject.Silo);

    private static HostProject HostOf(Dockerfile dockerfile) =>
        new[] { HostProject.Silo, HostProject.Gateway }.Single(h => h.Project == dockerfile.PublishedProject);
}
