using Microsoft.Extensions.Configuration;
using SmsBridge.ServiceDefaults.Secrets;

namespace Microsoft.Extensions.Hosting;

public static partial class Extensions
{
    /// <summary>Values that mean "nobody set this": template placeholders and the usual first guesses.</summary>
    private static readonly HashSet<string> DefaultSecrets = new(StringComparer.OrdinalIgnoreCase)
    {
        "CHANGE_ME", "CHANGEME", "change-me", "changeit", "admin", "administrator", "password", "passw0rd", "secret",
        "default", "test", "example", "letmein", "qwerty", "123456", "12345678", "1234567890", "postgres", "redis",
        "smsbridge", "whsec_", "null", "none", "todo", "xxx",
    };

    /// <summary>Below this a secret is refused in Production; generated ones are 32 characters or more.</summary>
    public const int MinimumSecretLength = 16;

    /// <summary>
    /// Reads secret files into configuration (<see cref="SecretFiles"/>), then, in Production, refuses to start when one of
    /// <paramref name="requiredSecrets"/> is absent, or any secret (<c>Secrets:*</c>, or a password inside
    /// <c>ConnectionStrings:*</c>) is a known default or shorter than <see cref="MinimumSecretLength"/>. Other environments run
    /// with whatever the AppHost or the developer gives. Throws <see cref="SecretSettingException"/>, one line naming the
    /// environment variables to fix, never a value.
    /// </summary>
    public static TBuilder AddSecretSettings<TBuilder>(this TBuilder builder, IEnumerable<string> requiredSecrets)
        where TBuilder : IHostApplicationBuilder
    {
        SecretFiles.AddTo(builder.Configuration);
        if (!builder.Environment.IsProduction()) return builder;
        var problems = FindUnsafeSecrets(builder.Configuration, requiredSecrets).ToList();
        if (problems.Count > 0)
        {
            throw new SecretSettingException(
                "Refusing to start in Production with unsafe secrets: " + string.Join("; ", problems) +
                ". Generate them with deploy/setup-production.sh and give each as the variable or as <variable>_FILE (docs/operations.md, \"Secrets\").");
        }

        return builder;
    }

    /// <summary>One line per absent required secret and per weak one present, naming its environment variable.</summary>
    public static IEnumerable<string> FindUnsafeSecrets(IConfiguration configuration, IEnumerable<string> requiredSecrets) =>
        FindMissingSecrets(configuration, requiredSecrets).Concat(FindWeakSecrets(configuration));

    /// <summary>
    /// The required settings (<c>Secrets:HashKey</c>, <c>ConnectionStrings:cache</c>) that nothing gave, and required
    /// connection strings without a password. An empty one is reported as weak, so that each secret is named once.
    /// </summary>
    public static IEnumerable<string> FindMissingSecrets(IConfiguration configuration, IEnumerable<string> requiredSecrets)
    {
        foreach (var key in requiredSecrets.Order(StringComparer.Ordinal))
        {
            var value = configuration[key];
            var variable = SecretFiles.Variable(key);
            if (value is null)
            {
                yield return $"{variable} is missing";
            }
            else if (key.StartsWith("ConnectionStrings:", StringComparison.OrdinalIgnoreCase) && value.Trim().Length > 0
                     && ConnectionStringPassword.Find(value) is null)
            {
                yield return $"{variable} has no password (add it, or {variable}{SecretFiles.PasswordFileSuffix})";
            }
        }
    }

    /// <summary>One line per unsafe secret present (weak, or a key of the wrong form), naming its environment variable and what is wrong.</summary>
    public static IEnumerable<string> FindWeakSecrets(IConfiguration configuration)
    {
        foreach (var entry in configuration.GetSection("Secrets").GetChildren().OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            // Absent is FindMissingSecrets' to report (for the secrets a service requires); here only what was given.
            if (entry.Value is null || SecretFiles.NamesFile(entry.Key)) continue;
            if ((Weakness(entry.Value) ?? SecretKeyFormats.Problem(entry.Key, entry.Value)) is { } weakness) yield return $"Secrets__{entry.Key} {weakness}";
        }

        foreach (var entry in configuration.GetSection("ConnectionStrings").GetChildren().OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            if (SecretFiles.NamesFile(entry.Key)) continue;
            if (ConnectionStringPassword.Find(entry.Value) is { } password && Weakness(password) is { } weakness)
            {
                yield return $"ConnectionStrings__{entry.Key}: its password {weakness}";
            }
        }
    }

    private static string? Weakness(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return "is missing or empty";
        var trimmed = value.Trim();
        if (DefaultSecrets.Contains(trimmed) || trimmed.Contains("CHANGE_ME", StringComparison.OrdinalIgnoreCase)
            || trimmed.Contains("changeme", StringComparison.OrdinalIgnoreCase))
        {
            return "is a default placeholder";
        }

        var material = trimmed.StartsWith("whsec_", StringComparison.Ordinal) ? trimmed["whsec_".Length..] : trimmed;
        if (material.Length < MinimumSecretLength) return $"is shorter than {MinimumSecretLength} characters";
        if (material.Distinct().Count() < 4) return "repeats too few distinct characters";
        return null;
    }
}
