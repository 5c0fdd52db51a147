namespace SmsBridge.AppHost.Publishing;

/// <summary>The facts of the Kubernetes form of the production stack that neither the manifest nor <see cref="ProductionStack"/> carries.</summary>
public static class KubernetesStack
{
    public const string Namespace = "smsbridge";

    public const string NameLabel = "app.kubernetes.io/name";
    public const string PartOfLabel = "app.kubernetes.io/part-of";
    public const string ComponentLabel = "app.kubernetes.io/component";
    public const string PartOf = "smsbridge";

    /// <summary>
    /// Carried by the placeholder Secrets, so that <c>kubectl apply -l '…!=true'</c> leaves the operator's real Secrets
    /// alone: an apply of a placeholder would overwrite them.
    /// </summary>
    public const string PlaceholderLabel = "smsbridge.io/placeholder";

    /// <summary>What the operator's Secrets replace: empty, which every consumer refuses at start, naming the variable.</summary>
    public const string Placeholder = "";

    /// <summary>Every manifest parameter (and the stack's own secrets) by its variable name, as in compose's .env.</summary>
    public const string ParametersSecret = "smsbridge-secrets";

    /// <summary>Every connection string a workload reads, by the manifest resource's name.</summary>
    public const string ConnectionStringsSecret = "smsbridge-connection-strings";

    /// <summary>The only namespace whose pods reach the services' HTTP ports: the ingress controller's.</summary>
    public const string IngressNamespace = "ingress-nginx";

    /// <summary>Prometheus, which scrapes the management ports.</summary>
    public const string MonitoringNamespace = "monitoring";

    /// <summary>The services an operator publishes through an Ingress (the compose stack's nginx proxies the same two).</summary>
    public static readonly string[] Published = ["receiver", "admin"];

    /// <summary>
    /// Receivers scale out: PostgreSQL holds the shared state and Redis the shared counters, so two replicas ride out a
    /// node drain. Admin and backup run once (backup's schedule and its folder are single-writer).
    /// </summary>
    public static readonly Dictionary<string, int> Replicas = new(StringComparer.Ordinal) { ["receiver"] = 2, ["admin"] = 1, ["backup"] = 1 };

    /// <summary>Persistent volume sizes, by volume or data folder; small installs, grow them with the storage class.</summary>
    public static readonly Dictionary<string, string> Storage = new(StringComparer.Ordinal)
    {
        ["smsbridge-postgres-data"] = "10Gi",
        ["smsbridge-cache-data"] = "1Gi",
        ["backups"] = "20Gi",
        ["admin"] = "1Gi",
    };

    /// <summary>
    /// pg_hba.conf's client network. Pod addresses are the cluster's to choose (kind 10.244/16, k3s 10.42/16, Calico
    /// 192.168/16), so the NetworkPolicy decides who may connect and pg_hba which role to which database.
    /// </summary>
    public const string PodNetwork = "0.0.0.0/0";

    /// <summary>
    /// The services believe X-Forwarded-* from private addresses: the ingress controller's pods. Only the ingress
    /// namespace reaches the HTTP ports (NetworkPolicy), so no other private peer gets that far.
    /// </summary>
    public static IEnumerable<string> TrustedProxies => ComposePublisher.LanRanges;

    /// <summary>The base: parameters are empty placeholders, hosts the in-cluster Services.</summary>
    internal static ExpressionStyle InCluster { get; } = new(_ => Placeholder, host => host, text => text, ThroughPooler: false);

    /// <summary>The managed overlay's placeholders: the provider's host and the password are the operator's to fill in.</summary>
    internal static ExpressionStyle Managed { get; } = new(_ => Placeholder, _ => Placeholder, text => text, ThroughPooler: false);

    /// <summary>The README's shell commands: parameters are the variables deploy/setup-production.sh writes.</summary>
    internal static ExpressionStyle Shell { get; } = new(ExpressionStyle.Compose.Parameter, host => host, text => text, ThroughPooler: false);

    /// <summary>A ConfigMap holds no secret: a parameter inside a plain setting has no place to go.</summary>
    internal static ExpressionStyle Plain { get; } = new(
        name => throw new InvalidDataException($"The parameter '{name}' is part of a plain setting; a Secret can carry it only as a whole value."),
        host => host, text => text, ThroughPooler: false);
}
