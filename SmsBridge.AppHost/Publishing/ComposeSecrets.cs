using System.Text.RegularExpressions;
using static SmsBridge.AppHost.Publishing.ProductionStack;

namespace SmsBridge.AppHost.Publishing;

/// <summary>
/// The compose stack's secrets as compose <c>secrets:</c>: each manifest parameter (and the stack's own secrets) is a file that
/// deploy/setup-production.sh writes, declared once at the top level, mounted at <c>/run/secrets/&lt;name&gt;</c> into the
/// services that read it, and named by a <c>_FILE</c> variable. A variable whose value is a parameter becomes
/// <c>&lt;VAR&gt;_FILE</c>; a connection string with a parameter as its password loses the password and gains
/// <c>&lt;VAR&gt;_PASSWORD_FILE</c> (SmsBridge.ServiceDefaults reads both). Anything else that would carry a secret has no
/// file form, and is refused, so that no value or variable holding one reaches the compose file.
/// </summary>
internal sealed partial class ComposeSecrets
{
    private const char Marker = '\u0001';

    private readonly SortedSet<string> _declared = new(StringComparer.Ordinal);

    /// <summary>How the stack's expressions are written: as compose's, with each parameter marked for <see cref="Environment"/>.</summary>
    public static ExpressionStyle Style { get; } = new(
        name => $"{Marker}{name}{Marker}", ExpressionStyle.Compose.Host, ExpressionStyle.Compose.Literal, ExpressionStyle.Compose.ThroughPooler);

    public static string MountPath(string secret) => $"{SecretMountDirectory}/{secret}";

    /// <summary>
    /// A service's environment with every secret a file: <paramref name="resolved"/> are its variables as <see cref="Style"/>
    /// resolved them; the secrets it mounts are returned with it.
    /// </summary>
    public (OrderedDictionary<string, string> Environment, List<string> Secrets) Environment(IEnumerable<(string Name, string Value)> resolved)
    {
        var environment = new OrderedDictionary<string, string>();
        var mounted = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (name, value) in resolved)
        {
            var parameters = Parameter().Matches(value);
            if (parameters.Count == 0)
            {
                environment[name] = value;
                continue;
            }

            var secret = parameters[0].Groups[1].Value;
            if (parameters.Count == 1 && parameters[0].Value == value)
            {
                environment[name + "_FILE"] = MountPath(secret);
            }
            else if (parameters.Count == 1 && PasswordPart(value, parameters[0].Value) is { } part)
            {
                environment[name] = value.Replace(part, "", StringComparison.Ordinal);
                environment[name + "_PASSWORD_FILE"] = MountPath(secret);
            }
            else
            {
                throw new InvalidDataException(
                    $"{name} carries a secret inside other text, which has no file form in compose: give it as a whole value or as a connection string's password.");
            }

            mounted.Add(secret);
        }

        return (environment, Mount(mounted));
    }

    /// <summary>The stack's own secrets (not in the manifest) that a service mounts.</summary>
    public List<string> Mount(IEnumerable<string> secrets)
    {
        var list = new List<string>();
        foreach (var secret in secrets.Order(StringComparer.Ordinal))
        {
            _declared.Add(secret);
            list.Add(secret);
        }

        return list;
    }

    /// <summary>The top-level <c>secrets:</c>: one file per secret any service mounts.</summary>
    public OrderedDictionary<string, ComposeSecret> Declarations()
    {
        var declarations = new OrderedDictionary<string, ComposeSecret>();
        foreach (var secret in _declared) declarations[secret] = new ComposeSecret($"{SecretsRoot}/{secret}");
        return declarations;
    }

    /// <summary>What a service that mounts secrets needs beside them: membership of the group that may read the files.</summary>
    public static void Grant(ComposeService service, List<string> secrets)
    {
        if (secrets.Count == 0) return;
        service.Secrets = secrets;
        service.GroupAdd = [SecretReaderGroup];
    }

    /// <summary>A password segment in either connection string form: <c>;Password=…</c> (Npgsql) or <c>,password=…</c> (Redis).</summary>
    private static string? PasswordPart(string value, string marker) =>
        new[] { $";Password={marker}", $",password={marker}" }.FirstOrDefault(part => value.Contains(part, StringComparison.Ordinal));

    [GeneratedRegex("\u0001([a-z0-9-]+)\u0001")]
    private static partial Regex Parameter();
}
