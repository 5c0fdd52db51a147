using System.Text.Json;
using System.Text.RegularExpressions;
using k8s.Models;

namespace SmsBridge.AppHost.Publishing;

/// <summary>
/// A workload's manifest environment split for Kubernetes: a parameter or a connection string as a whole value is a
/// <c>secretKeyRef</c> into the stack's Secrets, everything else a plain setting for the workload's ConfigMap.
/// </summary>
internal sealed partial class KubernetesEnvironment
{
    private KubernetesEnvironment() { }

    public OrderedDictionary<string, string> Settings { get; } = new(StringComparer.Ordinal);

    public List<V1EnvVar> Secrets { get; } = [];

    /// <summary>The parameters (by name) and connection strings (by resource) the workload reads from the Secrets.</summary>
    public SortedSet<string> Parameters { get; } = new(StringComparer.Ordinal);

    public SortedSet<string> ConnectionStrings { get; } = new(StringComparer.Ordinal);

    /// <summary>The containers and projects the workload connects to: who its NetworkPolicies let in where.</summary>
    public SortedSet<string> Reaches { get; } = new(StringComparer.Ordinal);

    public static KubernetesEnvironment Of(JsonElement resources, string workload, JsonElement spec)
    {
        var environment = new KubernetesEnvironment();
        var plain = new ManifestExpressions(resources, KubernetesStack.Plain);
        var inCluster = new ManifestExpressions(resources, KubernetesStack.InCluster);
        foreach (var (name, value) in AspireManifest.Environment(spec))
        {
            var whole = WholeValue().Match(value);
            var reference = whole.Groups[1].Value;
            if (whole.Success && whole.Groups[2].Value == "value"
                && resources.GetProperty(reference).GetProperty("type").GetString() == "parameter.v0")
            {
                environment.Parameters.Add(reference);
                environment.Secrets.Add(SecretReference(name, KubernetesStack.ParametersSecret, ProductionStack.Variable(reference)));
            }
            else if (whole.Success && whole.Groups[2].Value == "connectionString")
            {
                inCluster.Resolve(value); // for the servers it names
                environment.ConnectionStrings.Add(reference);
                environment.Secrets.Add(SecretReference(name, KubernetesStack.ConnectionStringsSecret, reference));
            }
            else
            {
                environment.Settings[name] = plain.Resolve(value);
            }
        }

        environment.Reaches.UnionWith(plain.Referenced.Concat(inCluster.Referenced).Where(r => r != workload));
        return environment;
    }

    public static V1EnvVar SecretReference(string name, string secret, string key) => new()
    {
        Name = name,
        ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = secret, Key = key } },
    };

    /// <summary>The workload's ConfigMap of plain settings, read with envFrom.</summary>
    public V1ConfigMap ConfigMap(string workload, string component)
    {
        var map = KubernetesObjects.New<V1ConfigMap>(EnvironmentConfigMap(workload), workload, component);
        map.Data = Settings;
        return map;
    }

    public static string EnvironmentConfigMap(string workload) => workload + "-env";

    [GeneratedRegex(@"^\{([a-z0-9-]+)\.(value|connectionString)\}$")]
    private static partial Regex WholeValue();
}
