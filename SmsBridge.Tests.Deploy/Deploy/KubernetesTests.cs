using System.Text.RegularExpressions;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Configuration;
using SmsBridge.AppHost.Publishing;
using YamlDotNet.Core;

namespace SmsBridge.Tests.Deploy;

/// <summary>
/// deploy/kubernetes/ is the Kubernetes publisher's output, committed and drift-tested; kubectl's kustomize builds both
/// the base and the managed overlay, every object it renders is a typed KubernetesClient model with no unknown field,
/// and the hardening of the compose stack holds object by object.
/// </summary>
public sealed partial class KubernetesTests
{
    private const string Regenerate = "run `dotnet run --project SmsBridge.AppHost -- --publisher kubernetes --output-path ../deploy/kubernetes` and commit the result";
    private const string Base = "deploy/kubernetes/base";
    private const string Managed = "deploy/kubernetes/overlays/managed";
    private static readonly string[] Services = ["receiver", "admin", "backup"];

    private static string Folder => Path.Combine(Repo.DeployFolder, "kubernetes");

    [Fact]
    public void Committed_files_equal_a_fresh_kubernetes_publish_of_the_committed_manifest()
    {
        var files = KubernetesPublisher.Render(Repo.Read("aspire-manifest.json"), Repo.Root);

        foreach (var (path, content) in files)
        {
            var committed = Path.Combine(Folder, path);
            Assert.True(File.Exists(committed), $"deploy/kubernetes/{path} is missing: {Regenerate}.");
            Assert.True(content == File.ReadAllText(committed), $"deploy/kubernetes/{path} is stale: {Regenerate}.");
        }

        var written = Directory.GetFiles(Folder, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Folder, f).Replace('\\', '/'));
        Assert.Equal(files.Select(f => f.Path).Order(StringComparer.Ordinal), written.Order(StringComparer.Ordinal));
        Assert.Equal(files, KubernetesPublisher.Render(Repo.Read("aspire-manifest.json"), Repo.Root));
    }

    [Fact]
    public async Task Help_names_the_kubernetes_publisher()
    {
        using var output = new StringWriter();

        Assert.Equal(0, await PublisherCommand.RunAsync(["--help"], output));

        Assert.Contains("--publisher kubernetes", output.ToString(), StringComparison.Ordinal);
        Assert.True(PublisherCommand.IsRequested(["--publisher", "kubernetes", "--output-path", "x"]));
    }

    [Fact]
    public async Task Every_rendered_object_is_a_known_typed_model_without_unknown_fields()
    {
        foreach (var folder in new[] { Base, Managed })
        {
            var objects = await BuildAsync(folder);

            Assert.NotEmpty(objects);
            Assert.All(objects, o => Assert.Equal("k8s.Models", o.GetType().Namespace));
            Assert.All(objects.Cast<IKubernetesObject<V1ObjectMeta>>(), o => Assert.Equal(KubernetesStack.Namespace,
                o is V1Namespace ? o.Metadata.Name : o.Metadata.NamespaceProperty));
        }
    }

    [Fact]
    public void Strict_loading_refuses_an_unknown_field_and_an_unknown_kind()
    {
        const string deployment = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: receiver
            spec:
              replicas: 2
              replica: 3
            """;

        Assert.Single(KubernetesYaml.LoadAllFromString(deployment, strict: false));
        Assert.ThrowsAny<YamlException>(() => KubernetesYaml.LoadAllFromString(deployment, strict: true));
        Assert.ThrowsAny<YamlException>(() => KubernetesYaml.Deserialize<V1Deployment>(deployment, strict: true));
        Assert.Throws<KeyNotFoundException>(() => KubernetesYaml.LoadAllFromString("apiVersion: apps/v1\nkind: Deploymnet\n", strict: true));
    }

    [Fact]
    public async Task Every_container_is_non_root_read_only_without_privileges_and_limited()
    {
        var objects = await BuildAsync(Base);
        var pods = objects.OfType<V1Deployment>().Select(d => (d.Metadata.Name, d.Spec.Template.Spec))
            .Concat(objects.OfType<V1StatefulSet>().Select(s => (s.Metadata.Name, s.Spec.Template.Spec)))
            .ToList();

        Assert.Equal(["admin", "backup", "cache", "postgres", "receiver"], pods.Select(p => p.Name).Order(StringComparer.Ordinal));
        foreach (var (name, pod) in pods)
        {
            Assert.True(pod.AutomountServiceAccountToken == false, $"{name} mounts a service account token");
            Assert.True(pod.SecurityContext.RunAsNonRoot, name);
            Assert.True(pod.SecurityContext.RunAsUser > 0 && pod.SecurityContext.RunAsGroup > 0 && pod.SecurityContext.FsGroup > 0, name);
            Assert.Equal("RuntimeDefault", pod.SecurityContext.SeccompProfile.Type);
            Assert.Null(pod.HostNetwork);
            Assert.DoesNotContain(pod.Volumes, v => v.HostPath is not null);
            foreach (var container in pod.Containers.Concat(pod.InitContainers ?? []))
            {
                var security = container.SecurityContext;
                Assert.True(security.RunAsNonRoot, name);
                Assert.True(security.ReadOnlyRootFilesystem, $"{name} writes its root file system");
                Assert.True(security.AllowPrivilegeEscalation == false, name);
                Assert.NotEqual(true, security.Privileged);
                Assert.Equal(["ALL"], security.Capabilities.Drop);
                Assert.Null(security.Capabilities.Add);
                Assert.Equal(["cpu", "memory"], container.Resources.Requests.Keys.Order(StringComparer.Ordinal));
                Assert.Equal(["cpu", "memory"], container.Resources.Limits.Keys.Order(StringComparer.Ordinal));
                Assert.NotNull(container.ReadinessProbe);
                Assert.NotNull(container.LivenessProbe);
                Assert.All(container.VolumeMounts.Where(m => m.MountPath == "/tmp"),
                    m => Assert.NotNull(pod.Volumes.Single(v => v.Name == m.Name).EmptyDir));
            }
        }
    }

    [Fact]
    public async Task Services_run_in_production_with_probes_on_the_management_port_and_their_folders()
    {
        var objects = await BuildAsync(Base);
        var configMaps = objects.OfType<V1ConfigMap>().ToDictionary(c => c.Metadata.Name);

        foreach (var name in Services)
        {
            var deployment = objects.OfType<V1Deployment>().Single(d => d.Metadata.Name == name);
            var pod = deployment.Spec.Template.Spec;
            var container = Assert.Single(pod.Containers);
            Assert.Equal(ProductionStack.ManagementTargetPort, container.Ports.Single(p => p.Name == "management").ContainerPort);
            Assert.Equal(ProductionStack.HttpTargetPort, container.Ports.Single(p => p.Name == "http").ContainerPort);
            Assert.Equal("/alive", container.LivenessProbe.HttpGet.Path);
            Assert.Equal("/health", container.ReadinessProbe.HttpGet.Path);
            Assert.Equal("management", container.LivenessProbe.HttpGet.Port.Value);
            Assert.Equal("management", container.ReadinessProbe.HttpGet.Port.Value);

            var settings = configMaps[Assert.Single(container.EnvFrom).ConfigMapRef.Name].Data;
            Assert.Equal("Production", settings["ASPNETCORE_ENVIRONMENT"]);
            Assert.Equal(ProductionStack.LogDirectory, settings["Logging__Files__Directory"]);
            Assert.DoesNotContain(settings, s => s.Key.StartsWith("ConnectionStrings__", StringComparison.Ordinal) || s.Key.StartsWith("Secrets__", StringComparison.Ordinal));
            Assert.All(container.Env, e => Assert.NotNull(e.ValueFrom.SecretKeyRef));
            Assert.Contains(container.Env, e => e.Name == "ConnectionStrings__smsbridge");

            var logs = container.VolumeMounts.Single(m => m.MountPath == ProductionStack.LogDirectory);
            Assert.NotNull(pod.Volumes.Single(v => v.Name == logs.Name).EmptyDir);
        }

        Assert.Equal([2, 1, 1], Services.Select(s => objects.OfType<V1Deployment>().Single(d => d.Metadata.Name == s).Spec.Replicas ?? 0));
        var backup = objects.OfType<V1Deployment>().Single(d => d.Metadata.Name == "backup").Spec.Template.Spec;
        var folder = backup.Containers[0].VolumeMounts.Single(m => m.MountPath == "/var/lib/smsbridge/backups");
        Assert.NotNull(backup.Volumes.Single(v => v.Name == folder.Name).PersistentVolumeClaim);

        var budget = Assert.Single(objects.OfType<V1PodDisruptionBudget>());
        Assert.Equal("1", budget.Spec.MinAvailable.Value);
        Assert.Equal("receiver", budget.Spec.Selector.MatchLabels[KubernetesStack.NameLabel]);
    }

    [Fact]
    public async Task Data_stores_are_stateful_sets_with_claims_and_cluster_ip_services()
    {
        var objects = await BuildAsync(Base);

        foreach (var (name, image, port) in new[] { ("postgres", "postgres:15", 5432), ("cache", "redis:7", 6379) })
        {
            var set = objects.OfType<V1StatefulSet>().Single(s => s.Metadata.Name == name);
            Assert.Contains("/" + image, set.Spec.Template.Spec.Containers[0].Image, StringComparison.Ordinal);
            Assert.Single(set.Spec.VolumeClaimTemplates);
            var service = objects.OfType<V1Service>().Single(s => s.Metadata.Name == name);
            Assert.Equal("ClusterIP", service.Spec.Type);
            Assert.Equal([port], service.Spec.Ports.Select(p => p.Port));

            // The shell functions that the init script (PostgreSQL) and the entrypoint (Redis) source, as deploy/lib holds them.
            var library = set.Spec.Template.Spec.Containers[0].VolumeMounts.Single(m => m.MountPath == ProductionStack.ScriptLibraryMount);
            var files = set.Spec.Template.Spec.Volumes.Single(v => v.Name == library.Name).ConfigMap.Name;
            Assert.Equal(Repo.Read(ProductionStack.ScriptLibrary + "/secret-files.sh"),
                objects.OfType<V1ConfigMap>().Single(c => c.Metadata.Name == files).Data["secret-files.sh"]);
        }

        Assert.Equal(["admin", "backup", "cache", "postgres", "receiver"],
            objects.OfType<V1Service>().Select(s => s.Metadata.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Secrets_carry_only_placeholders_that_the_services_refuse()
    {
        foreach (var folder in new[] { Base, Managed })
        {
            var secrets = (await BuildAsync(folder)).OfType<V1Secret>().ToList();

            Assert.Equal([KubernetesStack.ConnectionStringsSecret, KubernetesStack.ParametersSecret], secrets.Select(s => s.Metadata.Name).Order(StringComparer.Ordinal));
            foreach (var secret in secrets)
            {
                Assert.Null(secret.Data);
                Assert.Equal("true", secret.Metadata.Labels[KubernetesStack.PlaceholderLabel]);
                foreach (var (key, value) in secret.StringData)
                {
                    var setting = secret.Metadata.Name == KubernetesStack.ParametersSecret ? $"Secrets:{key}" : $"ConnectionStrings:{key}";
                    var configuration = new ConfigurationBuilder().AddInMemoryCollection([new(setting, value)]).Build();
                    Assert.True(Microsoft.Extensions.Hosting.Extensions.FindWeakSecrets(configuration).Any(), $"{secret.Metadata.Name}/{key} would be accepted");
                    Assert.DoesNotMatch(@"(?i)password=[^;,]", value);
                    if (secret.Metadata.Name == KubernetesStack.ParametersSecret) Assert.Equal(KubernetesStack.Placeholder, value);
                }
            }
        }
    }

    [Fact]
    public async Task Network_policies_deny_by_default_and_let_in_only_who_needs_each_port()
    {
        var policies = (await BuildAsync(Base)).OfType<V1NetworkPolicy>().ToDictionary(p => p.Metadata.Name);

        var deny = policies["default-deny-ingress"].Spec;
        Assert.Empty(deny.PodSelector.MatchLabels ?? new Dictionary<string, string>());
        Assert.Equal(["Ingress"], deny.PolicyTypes);
        Assert.Null(deny.Ingress);

        foreach (var store in new[] { "postgres", "cache" })
        {
            var rule = Assert.Single(policies[$"{store}-ingress"].Spec.Ingress);
            var peer = Assert.Single(rule.FromProperty);
            Assert.Null(peer.NamespaceSelector);
            Assert.Null(peer.IpBlock);
            var clients = Assert.Single(peer.PodSelector.MatchExpressions);
            Assert.Equal(KubernetesStack.NameLabel, clients.Key);
            Assert.Equal("In", clients.OperatorProperty);
            Assert.Equal(Services.Order(StringComparer.Ordinal), clients.Values.Order(StringComparer.Ordinal));
        }

        foreach (var name in Services)
        {
            var rules = policies[$"{name}-ingress"].Spec.Ingress;
            Assert.All(rules, rule => Assert.NotEmpty(rule.FromProperty));
            Assert.All(rules.SelectMany(r => r.FromProperty), peer => Assert.Null(peer.IpBlock));
            var fromNamespaces = rules.Where(r => r.FromProperty.Any(p => p.NamespaceSelector is not null)).ToList();
            var ingress = fromNamespaces.Where(r => Namespace(r) == KubernetesStack.IngressNamespace).ToList();
            var monitoring = fromNamespaces.Single(r => Namespace(r) == KubernetesStack.MonitoringNamespace);
            Assert.Equal(fromNamespaces.Count, ingress.Count + 1);
            Assert.Equal([$"{ProductionStack.ManagementTargetPort}"], monitoring.Ports.Select(p => p.Port.Value));
            if (name is "receiver" or "admin")
            {
                var http = Assert.Single(ingress);
                Assert.Equal([$"{ProductionStack.HttpTargetPort}"], http.Ports.Select(p => p.Port.Value));
            }
            else
            {
                Assert.Empty(ingress);
            }

            // Other pods of the namespace: only the services that call this one (the admin service, for receiver and backup).
            Assert.All(rules.SelectMany(r => r.FromProperty).Where(p => p.PodSelector is not null),
                peer => Assert.All(peer.PodSelector.MatchExpressions.Single().Values, v => Assert.Contains(v, Services)));
        }
    }

    [Fact]
    public async Task The_managed_overlay_has_no_postgres_or_redis_of_its_own()
    {
        var objects = await BuildAsync(Managed);

        Assert.Empty(objects.OfType<V1StatefulSet>());
        Assert.DoesNotContain(objects.Cast<IKubernetesObject<V1ObjectMeta>>(),
            o => o.Metadata.Labels?[KubernetesStack.ComponentLabel] is "database" or "cache");
        Assert.Equal(Services.Order(StringComparer.Ordinal), objects.OfType<V1Service>().Select(s => s.Metadata.Name).Order(StringComparer.Ordinal));
        Assert.Equal(3, objects.OfType<V1Deployment>().Count());
        var connections = objects.OfType<V1Secret>().Single(s => s.Metadata.Name == KubernetesStack.ConnectionStringsSecret).StringData;
        Assert.All(connections.Values, v => Assert.DoesNotContain("postgres;", v, StringComparison.Ordinal));
    }

    private static string Namespace(V1NetworkPolicyIngressRule rule) =>
        rule.FromProperty.Single().NamespaceSelector.MatchLabels["kubernetes.io/metadata.name"];

    /// <summary>What <c>kubectl kustomize</c> renders for the folder, each document loaded strictly into its typed model.</summary>
    private static async Task<List<object>> BuildAsync(string folder)
    {
        var result = await Tool.RunAsync("kubectl", ["kustomize", folder]);
        Assert.True(result.ExitCode == 0, $"kubectl kustomize {folder} failed: {result.All}");
        return DocumentSeparator().Split(result.Output)
            .Where(document => !string.IsNullOrWhiteSpace(document))
            .Select(document => Assert.Single(KubernetesYaml.LoadAllFromString(document, strict: true)))
            .ToList();
    }

    [GeneratedRegex(@"^---\s*$", RegexOptions.Multiline)]
    private static partial Regex DocumentSeparator();
}
