using System.Globalization;
using k8s.Models;

namespace SmsBridge.AppHost.Publishing;

/// <summary>
/// The hardening every pod of the stack shares, as the compose stack's: a numeric unprivileged user, a read-only root
/// file system with scratch folders in memory, no privilege escalation, no capabilities, the runtime's seccomp
/// profile, no service account token and limits.
/// </summary>
internal static class KubernetesPod
{
    /// <summary>Pod-level security for an image's unprivileged <c>uid:gid</c> (<see cref="ProductionStack.DotnetUser"/> and the others).</summary>
    public static V1PodSecurityContext Security(string user)
    {
        var ids = user.Split(':').Select(id => long.Parse(id, CultureInfo.InvariantCulture)).ToArray();
        return new V1PodSecurityContext
        {
            RunAsNonRoot = true,
            RunAsUser = ids[0],
            RunAsGroup = ids[1],
            // Volumes are made writable for the image's group; OnRootMismatch keeps a large data volume's start fast.
            FsGroup = ids[1],
            FsGroupChangePolicy = "OnRootMismatch",
            SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
        };
    }

    public static V1SecurityContext ContainerSecurity() => new()
    {
        RunAsNonRoot = true,
        ReadOnlyRootFilesystem = true,
        AllowPrivilegeEscalation = false,
        Privileged = false,
        Capabilities = new V1Capabilities { Drop = ["ALL"] },
        SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
    };

    /// <summary>
    /// The compose stack's limits as Kubernetes quantities. Memory is requested as much as it is limited (the scheduler
    /// places what the kernel would otherwise kill); CPU requests a quarter of the limit and may burst to it.
    /// </summary>
    public static V1ResourceRequirements Resources(string workload)
    {
        var (memory, cpus) = ProductionStack.Limits.TryGetValue(workload, out var limit) ? limit : ProductionStack.DefaultLimits;
        var megabytes = int.Parse(memory[..^1], CultureInfo.InvariantCulture) * (memory[^1] == 'g' ? 1024 : 1);
        var millicores = (int)(decimal.Parse(cpus, CultureInfo.InvariantCulture) * 1000);
        return new V1ResourceRequirements
        {
            Requests = Quantities(megabytes, millicores / 4),
            Limits = Quantities(megabytes, millicores),
        };
    }

    private static Dictionary<string, ResourceQuantity> Quantities(int megabytes, int millicores) => new(StringComparer.Ordinal)
    {
        ["cpu"] = new ResourceQuantity($"{millicores}m"),
        ["memory"] = new ResourceQuantity($"{megabytes}Mi"),
    };

    /// <summary>A folder the process writes that is lost with the pod (compose's tmpfs): in memory where it is small.</summary>
    public static (V1Volume Volume, V1VolumeMount Mount) Scratch(string name, string path, string size = "64Mi") => (
        new V1Volume { Name = name, EmptyDir = new V1EmptyDirVolumeSource { SizeLimit = new ResourceQuantity(size) } },
        new V1VolumeMount { Name = name, MountPath = path });

    /// <summary>A ConfigMap's files, read-only; executable where they are scripts.</summary>
    public static (V1Volume Volume, V1VolumeMount Mount) Files(string configMap, string path, bool executable = false) => (
        new V1Volume { Name = configMap, ConfigMap = new V1ConfigMapVolumeSource { Name = configMap, DefaultMode = executable ? 365 : 292 } },
        new V1VolumeMount { Name = configMap, MountPath = path, ReadOnlyProperty = true });

    /// <summary>A probe that runs a shell command in the container.</summary>
    public static V1Probe Command(string command, int periodSeconds, int failureThreshold) => new()
    {
        Exec = new V1ExecAction { Command = ["/bin/sh", "-c", command] },
        PeriodSeconds = periodSeconds,
        TimeoutSeconds = 5,
        FailureThreshold = failureThreshold,
    };

    /// <summary>An HTTP GET on a named container port.</summary>
    public static V1Probe HttpGet(string path, string port, int periodSeconds, int failureThreshold) => new()
    {
        HttpGet = new V1HTTPGetAction { Path = path, Port = port },
        PeriodSeconds = periodSeconds,
        TimeoutSeconds = 5,
        FailureThreshold = failureThreshold,
    };

    /// <summary>A pod template: the hardened pod around one container.</summary>
    public static V1PodTemplateSpec Template(string workload, string component, string user, V1Container container,
        IEnumerable<V1Volume> volumes, long terminationGraceSeconds)
    {
        container.SecurityContext = ContainerSecurity();
        container.Resources = Resources(workload);
        return new V1PodTemplateSpec
        {
            Metadata = new V1ObjectMeta { Labels = KubernetesObjects.Labels(workload, component) },
            Spec = new V1PodSpec
            {
                AutomountServiceAccountToken = false,
                // No *_SERVICE_HOST variables for every Service in the namespace: the services read their own settings.
                EnableServiceLinks = false,
                SecurityContext = Security(user),
                TerminationGracePeriodSeconds = terminationGraceSeconds,
                Containers = [container],
                Volumes = volumes.ToList(),
            },
        };
    }
}
