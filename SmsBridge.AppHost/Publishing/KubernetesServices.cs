using System.Text.Json;
using k8s.Models;
using static SmsBridge.AppHost.Publishing.ProductionStack;

namespace SmsBridge.AppHost.Publishing;

/// <summary>
/// A manifest project as aspirate would deploy it (a Deployment and its Service, settings from a ConfigMap, secrets
/// by reference), hardened as in the compose stack, with probes on the management port and, where it runs more than
/// once, a disruption budget.
/// </summary>
internal static class KubernetesServices
{
    public static KubernetesWorkload Project(JsonElement resources, JsonProperty project)
    {
        var name = project.Name;
        var spec = project.Value;
        var component = KubernetesWorkload.ServiceComponent;
        var environment = KubernetesEnvironment.Of(resources, name, spec);
        foreach (var (key, value) in ServiceSettings(name)) environment.Settings[key] = value;
        foreach (var (range, i) in KubernetesStack.TrustedProxies.Select((r, i) => (r, i)))
        {
            environment.Settings[$"ForwardedHeaders__TrustedProxies__{i}"] = range;
        }

        var ports = AspireManifest.Bindings(spec).ToList();
        var (tmp, tmpMount) = KubernetesPod.Scratch("tmp", "/tmp");
        var (logs, logsMount) = KubernetesPod.Scratch("logs", LogDirectory, "256Mi");
        var volumes = new List<V1Volume> { tmp, logs };
        var mounts = new List<V1VolumeMount> { tmpMount, logsMount };
        var claims = new List<V1PersistentVolumeClaim>();
        foreach (var folder in environment.Settings.Values.Where(v => v.StartsWith(ServiceDataRoot + "/", StringComparison.Ordinal)).Distinct())
        {
            // Compose's host folder under SMSBRIDGE_DATA_DIR: here a claim of its own.
            var claim = DataClaim(name, Path.GetFileName(folder), component);
            claims.Add(claim);
            volumes.Add(new V1Volume { Name = claim.Metadata.Name, PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = claim.Metadata.Name } });
            mounts.Add(new V1VolumeMount { Name = claim.Metadata.Name, MountPath = folder });
        }

        var container = new V1Container
        {
            Name = name,
            Image = ServiceImage(name) + ":latest",
            Ports = KubernetesWorkload.ContainerPorts(ports),
            EnvFrom = [new V1EnvFromSource { ConfigMapRef = new V1ConfigMapEnvSource { Name = KubernetesEnvironment.EnvironmentConfigMap(name) } }],
            Env = environment.Secrets,
            // Migrations run at the receiver's start: a slow first start is not a dead process.
            StartupProbe = KubernetesPod.HttpGet("/alive", "management", periodSeconds: 5, failureThreshold: 36),
            LivenessProbe = KubernetesPod.HttpGet("/alive", "management", periodSeconds: 10, failureThreshold: 3),
            ReadinessProbe = KubernetesPod.HttpGet("/health", "management", periodSeconds: 10, failureThreshold: 3),
            VolumeMounts = mounts,
        };

        var replicas = KubernetesStack.Replicas.GetValueOrDefault(name, 1);
        var deployment = KubernetesObjects.New<V1Deployment>(name, name, component);
        deployment.Spec = new V1DeploymentSpec
        {
            Replicas = replicas,
            Selector = KubernetesObjects.Selector(name),
            // A claim is mounted by one node at a time: the old pod goes before the new one comes.
            Strategy = claims.Count > 0
                ? new V1DeploymentStrategy { Type = "Recreate" }
                : new V1DeploymentStrategy { Type = "RollingUpdate", RollingUpdate = new V1RollingUpdateDeployment { MaxUnavailable = 0, MaxSurge = 1 } },
            Template = KubernetesPod.Template(name, component, DotnetUser, container, volumes, terminationGraceSeconds: 40),
        };

        var objects = new List<object> { environment.ConfigMap(name, component) };
        objects.AddRange(claims);
        objects.Add(deployment);
        objects.Add(KubernetesWorkload.Service(name, component, ports));
        if (replicas > 1) objects.Add(DisruptionBudget(name, component));
        return new KubernetesWorkload(name, component, environment, ports, objects);
    }

    private static V1PersistentVolumeClaim DataClaim(string service, string folder, string component)
    {
        var claim = KubernetesObjects.New<V1PersistentVolumeClaim>($"smsbridge-{folder}", service, component);
        claim.Spec = ClaimSpec(folder);
        return claim;
    }

    /// <summary>A single-node claim of the size <see cref="KubernetesStack.Storage"/> gives the volume or folder.</summary>
    public static V1PersistentVolumeClaimSpec ClaimSpec(string volume) => new()
    {
        AccessModes = ["ReadWriteOnce"],
        Resources = new V1VolumeResourceRequirements
        {
            Requests = new Dictionary<string, ResourceQuantity>(StringComparer.Ordinal) { ["storage"] = new(KubernetesStack.Storage.GetValueOrDefault(volume, "1Gi")) },
        },
    };

    /// <summary>Voluntary disruptions (a node drain, an upgrade) leave at least one replica answering.</summary>
    private static V1PodDisruptionBudget DisruptionBudget(string name, string component)
    {
        var budget = KubernetesObjects.New<V1PodDisruptionBudget>(name, name, component);
        budget.Spec = new V1PodDisruptionBudgetSpec { MinAvailable = 1, Selector = KubernetesObjects.Selector(name) };
        return budget;
    }
}
