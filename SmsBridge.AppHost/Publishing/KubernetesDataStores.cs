using System.Globalization;
using System.Text.Json;
using k8s.Models;
using static SmsBridge.AppHost.Publishing.ProductionStack;

namespace SmsBridge.AppHost.Publishing;

/// <summary>
/// PostgreSQL and Redis for a small install: one-replica StatefulSets with a claim for their data, run as the compose
/// stack runs them (the same settings, pg_hba.conf, init scripts, ACL entrypoint and redis.conf), hardened the same way.
/// </summary>
internal sealed class KubernetesDataStores(AspireManifest manifest, string manifestDirectory)
{
    private const string PostgresData = "/var/lib/postgresql/data";

    public KubernetesWorkload Postgres(JsonProperty container)
    {
        var name = container.Name;
        var spec = container.Value;
        var component = KubernetesWorkload.DatabaseComponent;
        var environment = KubernetesEnvironment.Of(manifest.Resources, name, spec);
        // A new volume's root may hold lost+found, which initdb refuses: the cluster lives one folder down.
        environment.Settings["PGDATA"] = PostgresData + "/pgdata";

        var config = KubernetesObjects.New<V1ConfigMap>(name + "-config", name, component);
        config.Data = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["pg_hba.conf"] = EmbeddedTemplate.Render("pg_hba.conf", new()
            {
                ["Database"] = manifest.DatabaseOf(name),
                ["Roles"] = string.Join(',', manifest.DatabaseRoles()),
                ["InternalSubnet"] = KubernetesStack.PodNetwork,
            }),
        };

        var objects = new List<object> { environment.ConfigMap(name, component), config };
        var volumes = new List<V1Volume>();
        var mounts = new List<V1VolumeMount>();
        Add(KubernetesPod.Files(config.Metadata.Name, "/etc/smsbridge"), volumes, mounts);
        foreach (var bind in spec.GetProperty("bindMounts").EnumerateArray())
        {
            var files = FolderConfigMap(name, bind.GetProperty("source").GetString()!, component);
            objects.Add(files);
            Add(KubernetesPod.Files(files.Metadata.Name, bind.GetProperty("target").GetString()!,
                files.Data.Keys.Any(f => f.EndsWith(".sh", StringComparison.Ordinal))), volumes, mounts);
        }

        Add(KubernetesPod.Scratch("run", "/var/run/postgresql"), volumes, mounts);
        Add(KubernetesPod.Scratch("tmp", "/tmp"), volumes, mounts);
        Add(KubernetesPod.Scratch("logs", "/var/log/postgresql", "256Mi"), volumes, mounts);

        var args = spec.GetProperty("args").EnumerateArray().Select(a => a.GetString()!).Concat(PostgresSettings);
        var resolver = new ManifestExpressions(manifest.Resources, KubernetesStack.Plain);
        var pod = new V1Container
        {
            Name = name,
            Image = spec.GetProperty("image").GetString(),
            Args = args.Select(resolver.Resolve).ToList(),
            ReadinessProbe = KubernetesPod.Command(PostgresReadyCheck, periodSeconds: 10, failureThreshold: 3),
            LivenessProbe = KubernetesPod.Command(PostgresReadyCheck, periodSeconds: 30, failureThreshold: 5),
        };
        return StatefulSet(container, component, environment, pod, PostgresUser, volumes, mounts, terminationGraceSeconds: 60, objects);
    }

    public KubernetesWorkload Redis(JsonProperty container)
    {
        var name = container.Name;
        var spec = container.Value;
        var component = KubernetesWorkload.CacheComponent;
        var environment = KubernetesEnvironment.Of(manifest.Resources, name, spec);
        // The manifest's plain --requirepass becomes the compose stack's ACL users (deploy/redis/entrypoint.sh).
        environment.Secrets.Add(KubernetesEnvironment.SecretReference(RedisMonitorPassword, KubernetesStack.ParametersSecret, RedisMonitorPassword));
        var port = AspireManifest.Bindings(spec).Single().Port;

        var config = KubernetesObjects.New<V1ConfigMap>(name + "-config", name, component);
        config.Data = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["entrypoint.sh"] = File.ReadAllText(Path.Combine(manifestDirectory, "deploy/redis/entrypoint.sh")),
            ["redis.conf"] = EmbeddedTemplate.Render("redis.conf", new()
            {
                ["Port"] = port.ToString(CultureInfo.InvariantCulture),
                ["MaxMemory"] = RedisMaxMemory,
            }),
        };

        // The entrypoint's shell functions, where PostgreSQL's init script finds them too (its bind mounts carry them).
        var library = FolderConfigMap(name, ScriptLibrary, component);
        var volumes = new List<V1Volume>();
        var mounts = new List<V1VolumeMount>();
        Add(KubernetesPod.Files(config.Metadata.Name, "/etc/redis", executable: true), volumes, mounts);
        Add(KubernetesPod.Files(library.Metadata.Name, ScriptLibraryMount, executable: true), volumes, mounts);
        Add(KubernetesPod.Scratch("run", "/run/redis"), volumes, mounts);
        Add(KubernetesPod.Scratch("tmp", "/tmp"), volumes, mounts);
        Add(KubernetesPod.Scratch("logs", "/var/log/redis", "256Mi"), volumes, mounts);

        var pod = new V1Container
        {
            Name = name,
            Image = spec.GetProperty("image").GetString(),
            Command = ["/bin/sh", "/etc/redis/entrypoint.sh"],
            ReadinessProbe = KubernetesPod.Command(RedisReadyCheck, periodSeconds: 10, failureThreshold: 3),
            LivenessProbe = KubernetesPod.Command(RedisReadyCheck, periodSeconds: 30, failureThreshold: 5),
        };
        return StatefulSet(container, component, environment, pod, RedisUser, volumes, mounts, terminationGraceSeconds: 30,
            [environment.ConfigMap(name, component), config, library]);
    }

    private static KubernetesWorkload StatefulSet(JsonProperty container, string component, KubernetesEnvironment environment, V1Container pod,
        string user, List<V1Volume> volumes, List<V1VolumeMount> mounts, long terminationGraceSeconds, List<object> objects)
    {
        var name = container.Name;
        var claims = container.Value.GetProperty("volumes").EnumerateArray().Select(v => new V1PersistentVolumeClaim
        {
            Metadata = new V1ObjectMeta { Name = v.GetProperty("name").GetString(), Labels = KubernetesObjects.Labels(name, component) },
            Spec = KubernetesServices.ClaimSpec(v.GetProperty("name").GetString()!),
        }).ToList();
        mounts.AddRange(container.Value.GetProperty("volumes").EnumerateArray()
            .Select(v => new V1VolumeMount { Name = v.GetProperty("name").GetString(), MountPath = v.GetProperty("target").GetString() }));

        var ports = AspireManifest.Bindings(container.Value).ToList();
        pod.Ports = KubernetesWorkload.ContainerPorts(ports);
        pod.EnvFrom = [new V1EnvFromSource { ConfigMapRef = new V1ConfigMapEnvSource { Name = KubernetesEnvironment.EnvironmentConfigMap(name) } }];
        pod.Env = environment.Secrets;
        pod.VolumeMounts = mounts;

        var set = KubernetesObjects.New<V1StatefulSet>(name, name, component);
        set.Spec = new V1StatefulSetSpec
        {
            Replicas = 1,
            ServiceName = name,
            Selector = KubernetesObjects.Selector(name),
            Template = KubernetesPod.Template(name, component, user, pod, volumes, terminationGraceSeconds),
            VolumeClaimTemplates = claims,
        };
        objects.Add(set);
        objects.Add(KubernetesWorkload.Service(name, component, ports));
        return new KubernetesWorkload(name, component, environment, ports, objects);
    }

    /// <summary>A manifest bind mount's folder as a ConfigMap of its files, by name.</summary>
    private V1ConfigMap FolderConfigMap(string workload, string source, string component)
    {
        var folder = Path.GetFullPath(source, manifestDirectory);
        var map = KubernetesObjects.New<V1ConfigMap>($"{workload}-{Path.GetFileName(folder).ToLowerInvariant().Replace('.', '-')}", workload, component);
        map.Data = Directory.GetFiles(folder).OrderBy(f => f, StringComparer.Ordinal)
            .ToDictionary(f => Path.GetFileName(f), f => File.ReadAllText(f), StringComparer.Ordinal);
        return map;
    }

    private static void Add((V1Volume Volume, V1VolumeMount Mount) files, List<V1Volume> volumes, List<V1VolumeMount> mounts)
    {
        volumes.Add(files.Volume);
        mounts.Add(files.Mount);
    }
}
