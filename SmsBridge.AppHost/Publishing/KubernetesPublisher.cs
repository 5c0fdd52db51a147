using System.Text.Json;
using k8s;
using k8s.Models;

namespace SmsBridge.AppHost.Publishing;

/// <summary>
/// Turns an Aspire manifest into Kubernetes objects, as aspirate would (a Deployment and a Service per project,
/// settings in ConfigMaps, secrets by reference), hardened as the compose stack is: a kustomize base with PostgreSQL
/// and Redis in the cluster, an overlay for managed ones, and the operator's README.
/// </summary>
public static class KubernetesPublisher
{
    internal const string GeneratedBy =
        "Generated from aspire-manifest.json by `dotnet run --project SmsBridge.AppHost -- --publisher kubernetes --output-path ../deploy/kubernetes`;\n" +
        "do not edit: change the AppHost or SmsBridge.AppHost/Publishing and publish again.";

    private const string DataStores = $"{KubernetesStack.ComponentLabel} in ({KubernetesWorkload.DatabaseComponent},{KubernetesWorkload.CacheComponent})";

    /// <summary>The files of the Kubernetes stack, by path relative to deploy/kubernetes/.</summary>
    public static IReadOnlyList<(string Path, string Content)> Render(string manifestJson, string manifestDirectory)
    {
        using var document = JsonDocument.Parse(manifestJson);
        var manifest = new AspireManifest(document.RootElement.GetProperty("resources"));
        var stores = new KubernetesDataStores(manifest, manifestDirectory);
        var postgres = manifest.Single("container.v0", "postgres");
        var redis = manifest.Single("container.v0", "redis");
        var workloads = manifest.OfType("container.v0")
            .Select(c => c.Name == postgres ? stores.Postgres(c)
                : c.Name == redis ? stores.Redis(c)
                : throw new InvalidDataException($"No Kubernetes form for container '{c.Name}'."))
            .Concat(manifest.OfType("project.v0").Select(p => KubernetesServices.Project(manifest.Resources, p)))
            .ToList();
        var secrets = new KubernetesSecrets(manifest.Resources, workloads);

        var files = new List<(string Path, string Content)>
        {
            ("base/namespace.yaml", Yaml([Namespace(), KubernetesNetworkPolicies.DenyAll()])),
            ("base/secrets.yaml", Yaml(KubernetesSecrets.Names.Select(s => secrets.Placeholder(s, KubernetesStack.InCluster)),
                "Placeholders only: create the real Secrets as deploy/kubernetes/README.md says, and apply with\n" +
                $"-l '{KubernetesStack.PlaceholderLabel}!=true' so that these never overwrite them.")),
        };
        files.AddRange(workloads.Select(w => ($"base/{w.Name}.yaml", Yaml([.. w.Objects, KubernetesNetworkPolicies.For(w, workloads)]))));
        files.Add(("base/kustomization.yaml", Yaml([new Kustomization
        {
            Namespace = KubernetesStack.Namespace,
            Resources = files.Select(f => Path.GetFileName(f.Path)).ToList(),
        }])));

        files.Add(("overlays/managed/delete-data-stores.yaml", Yaml([new DeletePatch()],
            "Applied to every object of the in-cluster PostgreSQL and Redis (kustomization.yaml's target).")));
        files.Add(("overlays/managed/connection-strings.yaml", Yaml([secrets.Placeholder(KubernetesStack.ConnectionStringsSecret, KubernetesStack.Managed)],
            "Placeholders for the managed servers' connection strings: see deploy/kubernetes/README.md.")));
        files.Add(("overlays/managed/kustomization.yaml", Yaml([new Kustomization
        {
            Resources = ["../../base"],
            Patches =
            [
                new KustomizePatch("delete-data-stores.yaml", new KustomizeTarget(DataStores)),
                new KustomizePatch("connection-strings.yaml"),
            ],
        }], "An existing managed PostgreSQL and Redis instead of the base's StatefulSets: see deploy/kubernetes/README.md.")));

        files.Add(("README.md", EmbeddedTemplate.Render("kubernetes-README.md", new()
        {
            ["Namespace"] = KubernetesStack.Namespace,
            ["NotPlaceholder"] = $"{KubernetesStack.PlaceholderLabel}!=true",
            ["CreateSecrets"] = Indented(string.Join("\n", KubernetesSecrets.Names.Select(s => secrets.CreateCommand(s, KubernetesStack.Shell)))),
            ["CreateManagedConnectionStrings"] = Indented(secrets.CreateCommand(KubernetesStack.ConnectionStringsSecret, ManagedShell)),
            ["Services"] = string.Join(", ", workloads.Where(w => w.Component == KubernetesWorkload.ServiceComponent).Select(w => w.Name)),
            ["SetImages"] = string.Join(" \\\n  ", workloads.Where(w => w.Component == KubernetesWorkload.ServiceComponent)
                .Select(w => $"{ProductionStack.ServiceImage(w.Name)}=registry.example.org/{ProductionStack.ServiceImage(w.Name)}:1.2.3")),
            ["DataStores"] = DataStores,
        })));
        return files;
    }

    /// <summary>The managed servers' hosts as shell variables: <c>postgres</c> → <c>${POSTGRES_HOST}</c>.</summary>
    private static ExpressionStyle ManagedShell { get; } = KubernetesStack.Shell with { Host = host => $"${{{ProductionStack.Variable(host)}_HOST}}" };

    /// <summary>The namespace, held to the restricted Pod Security Standard that every pod here meets.</summary>
    private static V1Namespace Namespace()
    {
        var ns = KubernetesObjects.New<V1Namespace>(KubernetesStack.Namespace, KubernetesStack.PartOf, "namespace");
        foreach (var mode in new[] { "enforce", "audit", "warn" }) ns.Metadata.Labels[$"pod-security.kubernetes.io/{mode}"] = "restricted";
        return ns;
    }

    /// <summary>Lines inside a numbered step's code block.</summary>
    private static string Indented(string lines) => string.Join('\n', lines.Split('\n').Select(line => "   " + line));

    private static string Yaml(IEnumerable<object> objects, string? note = null) =>
        KubernetesObjects.File(note is null ? GeneratedBy : GeneratedBy + "\n" + note, objects);
}
