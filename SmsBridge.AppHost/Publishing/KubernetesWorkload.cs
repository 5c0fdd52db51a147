using k8s.Models;

namespace SmsBridge.AppHost.Publishing;

/// <summary>One Deployment or StatefulSet with the objects beside it, and what the NetworkPolicies and Secrets need to know of it.</summary>
internal sealed record KubernetesWorkload(string Name, string Component, KubernetesEnvironment Environment,
    IReadOnlyList<(string Name, int Port)> Ports, IReadOnlyList<object> Objects)
{
    public const string ServiceComponent = "service";
    public const string DatabaseComponent = "database";
    public const string CacheComponent = "cache";

    /// <summary>The ClusterIP Service in front of the workload's pods, one port per manifest binding.</summary>
    public static V1Service Service(string name, string component, IEnumerable<(string Name, int Port)> ports)
    {
        var service = KubernetesObjects.New<V1Service>(name, name, component);
        service.Spec = new V1ServiceSpec
        {
            Type = "ClusterIP",
            Selector = KubernetesObjects.Selector(name).MatchLabels,
            Ports = ports.Select(p => new V1ServicePort { Name = p.Name, Port = p.Port, TargetPort = p.Name, Protocol = "TCP" }).ToList(),
        };
        return service;
    }

    public static List<V1ContainerPort> ContainerPorts(IEnumerable<(string Name, int Port)> ports) =>
        ports.Select(p => new V1ContainerPort { Name = p.Name, ContainerPort = p.Port, Protocol = "TCP" }).ToList();
}
