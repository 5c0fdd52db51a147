using System.Security.Cryptography;
using Aspire.Hosting.Publishing;
using Microsoft.Extensions.Configuration;

namespace SmsBridge.AppHost.Hosting;

/// <summary>Generated secret defaults: Aspire persists each in the AppHost's user secrets on first run.</summary>
public static class Secrets
{
    /// <summary>A secret parameter, generated on first run and kept; <paramref name="generate"/> gives its form.</summary>
    /// <remarks>
    /// In what is published, passwords ask the deployer to generate one (letters and digits); keys carry no default, since their
    /// format (base64, <c>whsec_</c>) is more than a length: deploy/setup-production.sh generates them.
    /// </remarks>
    /// <remarks>
    /// Kept means written to the AppHost's user secrets; <c>AppHost:PersistSecrets=false</c> (test graphs) keeps them in memory.
    /// </remarks>
    public static IResourceBuilder<ParameterResource> AddSecret(this IDistributedApplicationBuilder builder, string name, Func<string> generate) =>
        builder.ExecutionContext.IsPublishMode && generate != (Func<string>)Password
            ? builder.AddParameter(name, secret: true)
            : builder.AddParameter(name, new GeneratedSecret(generate), secret: true, persist: builder.Configuration.GetValue("AppHost:PersistSecrets", true));

    /// <summary>True when the secret has no kept value yet, so this run generates it (the first run).</summary>
    public static bool IsNew(this IDistributedApplicationBuilder builder, string name) =>
        string.IsNullOrEmpty(builder.Configuration[$"Parameters:{name}"]);

    /// <summary>A password of letters and digits (no quoting trouble in connection strings or SQL).</summary>
    public static string Password() =>
        RandomNumberGenerator.GetString("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789", 32);

    /// <summary>A 256-bit key, base64.</summary>
    public static string Key() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>A Standard Webhooks signing secret.</summary>
    public static string WebhookSecret() => "whsec_" + Key();

    private sealed class GeneratedSecret(Func<string> generate) : ParameterDefault
    {
        private string? _value;

        public override string GetDefaultValue() => _value ??= generate();

        // The manifest asks the deployer to generate one (at least 22 letters and digits; setup-production.sh writes 32); it never carries one.
        public override void WriteToManifest(ManifestPublishingContext context) =>
            new GenerateParameterDefault { MinLength = 22, Special = false }.WriteToManifest(context);
    }
}
