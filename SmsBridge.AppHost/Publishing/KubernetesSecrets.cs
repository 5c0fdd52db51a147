using System.Text.Json;
using k8s.Models;

namespace SmsBridge.AppHost.Publishing;

/// <summary>
/// The stack's two Secrets, named and keyed by what the workloads reference: placeholders in the output (never a
/// value), and the <c>kubectl create secret</c> commands that make the real ones from deploy/setup-production.sh's values.
/// </summary>
internal sealed class KubernetesSecrets(JsonElement resources, IReadOnlyList<KubernetesWorkload> workloads)
{
    public static readonly string[] Names = [KubernetesStack.ParametersSecret, KubernetesStack.ConnectionStringsSecret];

    /// <summary>The keys of <paramref name="secret"/> the workloads read, in a stable order.</summary>
    public IEnumerable<string> Keys(string secret) => workloads
        .SelectMany(w => w.Environment.Secrets)
        .Select(e => e.ValueFrom.SecretKeyRef)
        .Where(r => r.Name == secret)
        .Select(r => r.Key)
        .Distinct(StringComparer.Ordinal)
        .Order(StringComparer.Ordinal);

    /// <summary>Each key's value written in <paramref name="style"/>: a parameter as it says, a connection string resolved.</summary>
    public IEnumerable<(string Key, string Value)> Values(string secret, ExpressionStyle style)
    {
        var expressions = new ManifestExpressions(resources, style);
        return Keys(secret).Select(key => (key, secret == KubernetesStack.ConnectionStringsSecret
            ? expressions.Resolve($"{{{key}.connectionString}}")
            : style.Parameter(key)));
    }

    /// <summary>A placeholder Secret, labelled as one; its values in <paramref name="style"/>.</summary>
    public V1Secret Placeholder(string secret, ExpressionStyle style)
    {
        var placeholder = KubernetesObjects.New<V1Secret>(secret, KubernetesStack.PartOf, "secrets");
        placeholder.Metadata.Labels[KubernetesStack.PlaceholderLabel] = "true";
        placeholder.Type = "Opaque";
        placeholder.StringData = Values(secret, style).ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal);
        return placeholder;
    }

    /// <summary>A shell command that creates <paramref name="secret"/> from exported variables, values in <paramref name="style"/>.</summary>
    public string CreateCommand(string secret, ExpressionStyle style)
    {
        var lines = Values(secret, style).Select(v => $"  --from-literal={v.Key}=\"{v.Value}\"");
        return $"kubectl -n {KubernetesStack.Namespace} create secret generic {secret} \\\n" + string.Join(" \\\n", lines);
    }
}
