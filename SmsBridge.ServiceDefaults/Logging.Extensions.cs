using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using SmsBridge.ServiceDefaults.Logging;

namespace Microsoft.Extensions.Hosting;

public static partial class Extensions
{
    /// <summary>Configuration sections whose values are never written to a log, verbatim or not.</summary>
    private static readonly string[] SecretSections = ["Secrets", "ConnectionStrings"];

    private static TBuilder ConfigureLogging<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var identity = ServiceIdentity.From(builder);
        var fileOptions = builder.Configuration.GetSection("Logging:Files").Get<LogFileOptions>() ?? new LogFileOptions();
        var file = string.IsNullOrWhiteSpace(fileOptions.Directory)
            ? null
            : new RotatingLogFile(Path.Combine(fileOptions.Directory, identity.ResourceName), identity.ResourceName, fileOptions);

        builder.Logging.ClearProviders();
        // Aspire's clients hand these libraries the logger factory, and they narrate every command and connection step
        // at Information (SQL text included); their warnings and errors are what an operator needs.
        builder.Logging.AddFilter("Npgsql", LogLevel.Warning);
        builder.Logging.AddFilter("StackExchange.Redis", LogLevel.Warning);
        builder.Logging.AddProvider(new RedactingLoggerProvider(
            new LogRedactor(SecretValues(builder.Configuration)),
            json: builder.Environment.IsProduction(),
            file));
        return builder;
    }

    private static IEnumerable<string> SecretValues(IConfiguration configuration)
    {
        foreach (var section in SecretSections)
        {
            foreach (var (_, value) in configuration.GetSection(section).AsEnumerable())
            {
                if (string.IsNullOrEmpty(value)) continue;
                yield return value;
                // Passwords inside connection strings: "Password=...;" and "password=...,".
                foreach (var part in value.Split(';', ','))
                {
                    var kv = part.Split('=', 2);
                    if (kv.Length == 2 && kv[0].Trim().Equals("password", StringComparison.OrdinalIgnoreCase)) yield return kv[1];
                }
            }
        }
    }
}
