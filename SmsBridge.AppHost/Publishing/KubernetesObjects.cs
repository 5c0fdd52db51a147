using System.Reflection;
using k8s;
using k8s.Models;

namespace SmsBridge.AppHost.Publishing;

/// <summary>Typed objects with their apiVersion, kind and the stack's labels set, and their YAML form.</summary>
internal static class KubernetesObjects
{
    /// <summary>A new object of <typeparamref name="T"/> named <paramref name="name"/>, labelled as part of <paramref name="workload"/>.</summary>
    public static T New<T>(string name, string workload, string component) where T : IKubernetesObject<V1ObjectMeta>, new()
    {
        var entity = typeof(T).GetCustomAttribute<KubernetesEntityAttribute>()
            ?? throw new InvalidOperationException($"{typeof(T).Name} is not a Kubernetes object.");
        return new T
        {
            ApiVersion = string.IsNullOrEmpty(entity.Group) ? entity.ApiVersion : $"{entity.Group}/{entity.ApiVersion}",
            Kind = entity.Kind,
            Metadata = new V1ObjectMeta { Name = name, Labels = Labels(workload, component) },
        };
    }

    public static Dictionary<string, string> Labels(string workload, string component) => new(StringComparer.Ordinal)
    {
        [KubernetesStack.NameLabel] = workload,
        [KubernetesStack.PartOfLabel] = KubernetesStack.PartOf,
        [KubernetesStack.ComponentLabel] = component,
    };

    /// <summary>The pods of one workload.</summary>
    public static V1LabelSelector Selector(string workload) => new()
    {
        MatchLabels = new Dictionary<string, string>(StringComparer.Ordinal) { [KubernetesStack.NameLabel] = workload },
    };

    /// <summary>A multi-document YAML file, its header lines as comments.</summary>
    public static string File(string header, IEnumerable<object> objects) => YamlComments.Of(header) + KubernetesYaml.SerializeAll(objects);
}
