using System.Text.Json;

namespace SmsBridge.AppHost.Publishing;

/// <summary>
/// What every publisher reads from an Aspire manifest's resources, whatever it writes: resources by type, the one
/// PostgreSQL or Redis container, the database a server holds and a resource's environment as Aspire wrote it.
/// </summary>
internal sealed class AspireManifest(JsonElement resources)
{
    private const string ConnectionStringsPrefix = "ConnectionStrings__";

    public JsonElement Resources => resources;

    public IEnumerable<JsonProperty> OfType(string type) =>
        resources.EnumerateObject().Where(r => r.Value.GetProperty("type").GetString() == type);

    /// <summary>The one container of an image (<c>postgres</c>, <c>redis</c>): a production stack has exactly one of each.</summary>
    public string Single(string type, string what)
    {
        var matches = OfType(type).Where(r => r.Value.TryGetProperty("image", out var image)
            && image.GetString()!.Contains("/" + what + ":", StringComparison.Ordinal)).ToList();
        return matches.Count == 1
            ? matches[0].Name
            : throw new InvalidDataException($"The production stack needs exactly one {what} container in the manifest (found {matches.Count}); " +
                                             "publish the manifest without ConnectionStrings__* set.");
    }

    public string DatabaseOf(string server)
    {
        var text = OfType("value.v0")
            .Select(r => r.Value.GetProperty("connectionString").GetString()!)
            .First(cs => cs.Contains($"{{{server}.bindings", StringComparison.Ordinal));
        return text.Split(';').Single(p => p.StartsWith("Database=", StringComparison.Ordinal))["Database=".Length..];
    }

    /// <summary>
    /// A resource's environment variables with their unresolved values. Aspire writes a reference's connection string
    /// twice, as <c>ConnectionStrings__smsbridge-backup</c> and, for shells, <c>ConnectionStrings__smsbridge_backup</c>;
    /// only the name the services read is kept.
    /// </summary>
    public static IEnumerable<(string Name, string Value)> Environment(JsonElement spec)
    {
        if (!spec.TryGetProperty("env", out var env)) yield break;
        var names = env.EnumerateObject().Select(v => v.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var variable in env.EnumerateObject())
        {
            if (variable.Name.StartsWith(ConnectionStringsPrefix, StringComparison.Ordinal)
                && variable.Name[ConnectionStringsPrefix.Length..] is var connection && connection.Contains('_', StringComparison.Ordinal)
                && names.Contains(ConnectionStringsPrefix + connection.Replace('_', '-'))) continue;
            yield return (variable.Name, variable.Value.GetString()!);
        }
    }

    /// <summary>The roles other than the superuser that the manifest's connection strings log in as.</summary>
    public List<string> DatabaseRoles() => resources.EnumerateObject()
        .Select(r => r.Value.TryGetProperty("connectionString", out var cs) ? cs.GetString() : null)
        .Select(cs => cs?.Split(';').FirstOrDefault(p => p.StartsWith("Username=", StringComparison.Ordinal))?["Username=".Length..])
        .Where(role => role is not null && role != "postgres")
        .Select(role => role!)
        .Distinct(StringComparer.Ordinal)
        .ToList();

    /// <summary>A resource's endpoints: the binding's name and the port its container listens on.</summary>
    public static IEnumerable<(string Name, int Port)> Bindings(JsonElement spec) =>
        spec.TryGetProperty("bindings", out var bindings)
            ? bindings.EnumerateObject().Select(b => (b.Name, b.Value.GetProperty("targetPort").GetInt32()))
            : [];
}
