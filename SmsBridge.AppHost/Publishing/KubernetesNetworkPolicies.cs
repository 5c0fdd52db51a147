using k8s.Models;

namespace SmsBridge.AppHost.Publishing;

/// <summary>
/// Ingress for the namespace is denied unless a policy allows it: each workload is reached by the workloads whose
/// manifest environment names it, the published services by the ingress controller on their HTTP port, and the
/// services' management ports by Prometheus.
/// </summary>
internal static class KubernetesNetworkPolicies
{
    public const string DefaultDeny = "default-deny-ingress";

    public static V1NetworkPolicy DenyAll()
    {
        var policy = KubernetesObjects.New<V1NetworkPolicy>(DefaultDeny, KubernetesStack.PartOf, "network");
        policy.Spec = new V1NetworkPolicySpec { PodSelector = new V1LabelSelector(), PolicyTypes = ["Ingress"] };
        return policy;
    }

    /// <summary>The policy named after <paramref name="workload"/>: who may open a connection to its pods.</summary>
    public static V1NetworkPolicy For(KubernetesWorkload workload, IEnumerable<KubernetesWorkload> all)
    {
        var rules = new List<V1NetworkPolicyIngressRule>();
        var clients = all.Where(w => w.Environment.Reaches.Contains(workload.Name)).Select(w => w.Name).Order(StringComparer.Ordinal).ToList();
        if (clients.Count > 0)
        {
            rules.Add(new V1NetworkPolicyIngressRule
            {
                FromProperty = [new V1NetworkPolicyPeer { PodSelector = Pods(clients) }],
                Ports = workload.Ports.Select(p => Port(p.Port)).ToList(),
            });
        }

        if (KubernetesStack.Published.Contains(workload.Name))
        {
            rules.Add(FromNamespace(KubernetesStack.IngressNamespace, workload, "http"));
        }

        if (workload.Component == KubernetesWorkload.ServiceComponent)
        {
            rules.Add(FromNamespace(KubernetesStack.MonitoringNamespace, workload, "management"));
        }

        var policy = KubernetesObjects.New<V1NetworkPolicy>(workload.Name + "-ingress", workload.Name, workload.Component);
        policy.Spec = new V1NetworkPolicySpec
        {
            PodSelector = KubernetesObjects.Selector(workload.Name),
            PolicyTypes = ["Ingress"],
            Ingress = rules,
        };
        return policy;
    }

    private static V1LabelSelector Pods(IEnumerable<string> workloads) => new()
    {
        MatchExpressions = [new V1LabelSelectorRequirement { Key = KubernetesStack.NameLabel, OperatorProperty = "In", Values = workloads.ToList() }],
    };

    private static V1NetworkPolicyIngressRule FromNamespace(string name, KubernetesWorkload workload, string binding) => new()
    {
        FromProperty =
        [
            new V1NetworkPolicyPeer
            {
                NamespaceSelector = new V1LabelSelector
                {
                    MatchLabels = new Dictionary<string, string>(StringComparer.Ordinal) { ["kubernetes.io/metadata.name"] = name },
                },
            },
        ],
        Ports = [Port(workload.Ports.Single(p => p.Name == binding).Port)],
    };

    private static V1NetworkPolicyPort Port(int port) => new() { Port = port, Protocol = "TCP" };
}
