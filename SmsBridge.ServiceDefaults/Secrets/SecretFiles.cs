using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.KeyPerFile;

namespace SmsBridge.ServiceDefaults.Secrets;

/// <summary>
/// Secret settings read from files, so that a secret need not sit in an environment variable (visible in
/// <c>docker inspect</c>, <c>/proc/*/environ</c> and crash dumps):
/// <list type="bullet">
/// <item><c>&lt;Setting&gt;_FILE</c>: the setting's whole value from a file (<c>Secrets__WebhookSecret_FILE=/run/secrets/webhook-secret</c>,
/// <c>ConnectionStrings__smsbridge_FILE=…</c>);</item>
/// <item><c>ConnectionStrings__&lt;name&gt;_PASSWORD_FILE</c>: only the password of a connection string given without one, so that
/// a database password lives in one file however many services and connection strings use it;</item>
/// <item><c>SecretsDirectory</c>: a mounted secret directory (compose <c>secrets:</c>, a Kubernetes secret volume) whose file
/// names are setting names (<c>Secrets__HashKey</c>, <c>ConnectionStrings__cache</c>).</item>
/// </list>
/// Only <c>Secrets:*</c> and <c>ConnectionStrings:*</c> are read this way. A file's trailing newline is trimmed. A file that
/// cannot be read, or a setting given both directly and by file, is a <see cref="SecretSettingException"/>.
/// </summary>
public static class SecretFiles
{
    public const string FileSuffix = "_FILE";
    public const string PasswordFileSuffix = "_PASSWORD_FILE";
    public const string DirectorySetting = "SecretsDirectory";

    private static readonly string[] Sections = ["Secrets", "ConnectionStrings"];

    /// <summary>Adds the files' values on top of <paramref name="configuration"/>'s sources (they win over nothing: a clash is refused).</summary>
    public static void AddTo(IConfigurationManager configuration)
    {
        if (configuration[DirectorySetting] is { Length: > 0 } directory)
        {
            if (!Directory.Exists(directory))
            {
                throw new SecretSettingException(
                    $"{DirectorySetting} names {directory}, which is not a readable directory: mount the secrets there or fix the path.");
            }

            try
            {
                configuration.Add<KeyPerFileConfigurationSource>(source =>
                {
                    source.FileProvider = new Microsoft.Extensions.FileProviders.PhysicalFileProvider(directory);
                    source.Optional = false;
                    source.ReloadOnChange = false;
                    // Only setting names: a Kubernetes volume also holds "..data" links, compose the stack's other secrets.
                    source.IgnoreCondition = name => name.StartsWith("..", StringComparison.Ordinal)
                        || !Sections.Any(s => name.StartsWith(s + "__", StringComparison.OrdinalIgnoreCase));
                });
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new SecretSettingException(
                    $"{DirectorySetting} names {directory}, but a file in it cannot be read by this service's user: fix its owner or mode.");
            }
        }

        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, path) in Settings(configuration, FileSuffix))
        {
            if (key.EndsWith(PasswordFileSuffix[..^FileSuffix.Length], StringComparison.OrdinalIgnoreCase)
                && key.StartsWith("ConnectionStrings:", StringComparison.OrdinalIgnoreCase)) continue;
            if (configuration[key] is { Length: > 0 })
            {
                throw new SecretSettingException($"{Variable(key)} and {Variable(key)}{FileSuffix} are both set: keep one of them.");
            }

            values[key] = Read(key + FileSuffix, path);
        }

        foreach (var (key, path) in Settings(configuration, PasswordFileSuffix))
        {
            var connection = values.TryGetValue(key, out var fromFile) ? fromFile : configuration[key];
            if (string.IsNullOrWhiteSpace(connection))
            {
                throw new SecretSettingException(
                    $"{Variable(key)}{PasswordFileSuffix} is set but {Variable(key)} is not: give the connection string without its password.");
            }

            if (ConnectionStringPassword.Find(connection) is not null)
            {
                throw new SecretSettingException(
                    $"{Variable(key)} has a password and {Variable(key)}{PasswordFileSuffix} gives another: keep one of them.");
            }

            values[key] = ConnectionStringPassword.Append(connection, Read(key + PasswordFileSuffix, path));
        }

        if (values.Count > 0) configuration.AddInMemoryCollection(values);
    }

    /// <summary>Whether a configuration key names a file rather than holding a secret.</summary>
    public static bool NamesFile(string key) => key.EndsWith(FileSuffix, StringComparison.OrdinalIgnoreCase);

    /// <summary>The environment variable an operator sets for a configuration key: <c>Secrets:HashKey</c> → <c>Secrets__HashKey</c>.</summary>
    public static string Variable(string key) => key.Replace(":", "__", StringComparison.Ordinal);

    private static IEnumerable<(string Key, string Path)> Settings(IConfiguration configuration, string suffix) =>
        Sections.SelectMany(section => configuration.GetSection(section).GetChildren())
            .Where(entry => entry.Value is not null && entry.Key.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            .Select(entry => (entry.Path[..^suffix.Length], entry.Value!))
            .ToList();

    private static string Read(string key, string path)
    {
        try
        {
            // Files written by echo or an editor end with a newline that is no part of the secret.
            return File.ReadAllText(path).TrimEnd('\r', '\n');
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            var reason = ex switch
            {
                FileNotFoundException or DirectoryNotFoundException => "it does not exist",
                UnauthorizedAccessException => "this service's user may not read it",
                _ => "it cannot be read",
            };
            throw new SecretSettingException(
                $"{Variable(key)} names {path}, but {reason}: create the file (deploy/setup-production.sh does) or fix the path.");
        }
    }
}
