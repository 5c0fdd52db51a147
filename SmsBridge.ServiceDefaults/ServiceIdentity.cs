using System.Reflection;
using Microsoft.Extensions.Hosting;

namespace Microsoft.Extensions.Hosting;

/// <summary>The name and version a service reports in health bodies and telemetry.</summary>
public sealed record ServiceIdentity(string ResourceName, string ServiceName, string Version)
{
    public static ServiceIdentity From(IHostApplicationBuilder builder)
    {
        // "SmsBridge.Receiver" -> resource "receiver", service "sms-bridge-receiver".
        var application = builder.Environment.ApplicationName;
        var resource = builder.Configuration["OTEL_SERVICE_NAME"]
            ?? application[(application.LastIndexOf('.') + 1)..].ToLowerInvariant();
        var version = Assembly.GetEntryAssembly()?
            .GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
        return new ServiceIdentity(resource, $"sms-bridge-{resource}", version);
    }
}
