using Microsoft.Extensions.Configuration;

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
    /// In Production, refuses to start when a secret (<c>Secrets:*</c>, or a password inside <c>ConnectionStrings:*</c>)
    /// is missing, a known default or shorter than <see cref="MinimumSecretLength"/>. The message names the environment
    /// variable to fix, never the value. Other environments run with whatever the AppHost or the developer gives.
    /// </summary>
    public static TBuilder ValidateProductionSecrets<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        if (!builder.Environment.IsProduction()) return builder;
        var problems = FindWeakSecrets(builder.Configuration).ToList();
        if (problems.Count > 0)
        {
            throw new InvalidOperationException(
                "Refusing to start in Production with unsafe secrets: " + string.Join("; ", problems) +
                ". Generate them with deploy/setup-production.sh (see docs/operations.md, \"Rotate secrets\").");
        }

        return builder;
    }

    /// <summary>One line per unsafe secret, naming its environment variable and what is wrong with it.</summary>
    public static IEnumerable<string> FindWeakSecrets(IConfiguration configuration)
    {
        foreach (var entry in configuration.GetSection("Secrets").GetChildren().OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            if (entry.GetChildren().Any()) continue;
            if (Weakness(entry.Value) is { } weakness) yield return $"Secrets__{entry.Key} {weakness}";
        }

        foreach (var entry in configuration.GetSection("ConnectionStrings").GetChildren().OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            var password = (entry.Value ?? "").Split(';', ',')
                .Select(part => part.Split('=', 2))
                .FirstOrDefault(kv => kv.Length == 2 && kv[0].Trim().Equals("password", StringComparison.OrdinalIgnoreCase));
            if (password is not null && Weakness(password[1].Trim()) is { } weakness)
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
