using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace SmsBridge.AppHost.Publishing;

/// <summary>
/// Resolves a manifest's <c>{resource.…}</c> expressions as aspirate does: a binding's host is the service name, its
/// port the container port; a parameter's value, a host and the literal text are written in the output's
/// <see cref="ExpressionStyle"/>.
/// </summary>
internal sealed partial class ManifestExpressions(JsonElement resources, ExpressionStyle style)
{
    /// <summary>Every container or project a resolved value reached: what its service depends on.</summary>
    public HashSet<string> Referenced { get; } = new(StringComparer.Ordinal);

    public string Resolve(string value) => Resolve(value, server: null);

    private string Resolve(string value, (string From, string To, int Port)? server)
    {
        var output = new StringBuilder();
        var position = 0;
        foreach (Match match in Expression().Matches(value))
        {
            output.Append(style.Literal(value[position..match.Index]));
            output.Append(ResolveOne(match.Groups[1].Value, match.Groups[2].Value, server));
            position = match.Index + match.Length;
        }

        output.Append(style.Literal(value[position..]));
        return output.ToString();
    }

    private string ResolveOne(string name, string path, (string From, string To, int Port)? server)
    {
        var resource = resources.TryGetProperty(name, out var r) ? r : throw new InvalidDataException($"The manifest refers to '{name}', which it does not declare.");
        var type = resource.GetProperty("type").GetString();
        switch (path.Split('.'))
        {
            case ["value"] when type == "parameter.v0":
                return style.Parameter(name);
            case ["value"] when type == "annotated.string":
                // A filtered copy of another value (Aspire's uri-encoded password): parameters become variables, unfiltered.
                return Resolve(resource.GetProperty("value").GetString()!, server);
            case ["connectionString"]:
                return ResolveConnectionString(name, resource);
            case ["bindings", var binding, var part]:
                var target = server is { } s && s.From == name ? s.To : name;
                Referenced.Add(target);
                var definition = resource.GetProperty("bindings").GetProperty(binding);
                var port = server is { } p && p.From == name ? p.Port : definition.GetProperty("targetPort").GetInt32();
                return part switch
                {
                    "host" => style.Host(target),
                    "port" or "targetPort" => port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    "url" => $"{definition.GetProperty("scheme").GetString()}://{style.Host(target)}:{port}",
                    "scheme" => definition.GetProperty("scheme").GetString()!,
                    _ => throw new InvalidDataException($"Unknown binding property in '{{{name}.{path}}}'."),
                };
            default:
                throw new InvalidDataException($"Unsupported manifest expression '{{{name}.{path}}}'.");
        }
    }

    /// <summary>A pooled role's connection string reaches PostgreSQL through PgBouncer; the others go straight to it.</summary>
    private string ResolveConnectionString(string name, JsonElement resource)
    {
        var text = resource.GetProperty("connectionString").GetString()!;
        var pooled = style.ThroughPooler && ProductionStack.PooledRoles.Any(role => text.Contains($"Username={role};", StringComparison.Ordinal));
        var server = pooled ? ServerOf(text) : null;
        if (resource.GetProperty("type").GetString() is "container.v0" or "project.v0") Referenced.Add(name);
        return Resolve(text, server is null ? null : (server, ProductionStack.PoolerName, ProductionStack.PoolerPort));
    }

    private static string? ServerOf(string connectionString) =>
        Expression().Match(connectionString) is { Success: true } match ? match.Groups[1].Value : null;

    [GeneratedRegex(@"\{([a-z0-9-]+)\.([A-Za-z0-9_.]+)\}")]
    private static partial Regex Expression();
}
