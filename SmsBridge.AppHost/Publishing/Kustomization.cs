using k8s.Models;
using YamlDotNet.Serialization;

namespace SmsBridge.AppHost.Publishing;

/// <summary>The part of kustomize's <c>Kustomization</c> the stack uses (KubernetesClient has no model of it).</summary>
internal sealed class Kustomization
{
    public string ApiVersion => "kustomize.config.k8s.io/v1beta1";

    public string Kind => "Kustomization";

    public string? Namespace { get; init; }

    public List<string> Resources { get; init; } = [];

    public List<KustomizePatch>? Patches { get; init; }
}

/// <summary>A patch file, applied to the objects its target selects (or to the one the patch names).</summary>
internal sealed record KustomizePatch(string Path, KustomizeTarget? Target = null);

internal sealed record KustomizeTarget(string LabelSelector);

/// <summary>
/// A strategic-merge patch that deletes every object its <see cref="KustomizeTarget"/> selects; the kind and name
/// are kustomize's required form, not a match.
/// </summary>
internal sealed class DeletePatch
{
    [YamlMember(Alias = "$patch", ApplyNamingConventions = false)]
    public string Patch => "delete";

    public string ApiVersion => "v1";

    public string Kind => "Any";

    public V1ObjectMeta Metadata { get; } = new() { Name = "selected-by-target" };
}
