using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using SmsBridge.ServiceDefaults.Telemetry;

namespace Microsoft.Extensions.Hosting;

public static partial class Extensions
{
    /// <summary>Every app-owned ActivitySource and Meter is named under this prefix, so none needs registering.</summary>
    public const string AppTelemetryPrefix = "SmsBridge.";

    internal static readonly string[] TraceSources = ["Microsoft.AspNetCore", "System.Net.Http", "Npgsql", AppTelemetryPrefix + "*"];

    internal static readonly string[] MeterNames =
    [
        "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Net.Http", "System.Runtime", "Npgsql",
        AppTelemetryPrefix + "*",
    ];

    /// <summary>
    /// The OpenTelemetry SDK without OpenTelemetry.Extensions.Hosting (not restorable here): providers are
    /// built when the host starts and flushed when it stops. OTLP export is on only when
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set; the standard <c>OTEL_*</c> variables are honoured by the SDK.
    /// </summary>
    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var otlpEnabled = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var identity = ServiceIdentity.From(builder);

        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
            logging.SetResourceBuilder(CreateResource(identity));
            if (otlpEnabled) logging.AddOtlpExporter();
        });

        builder.Services.AddSingleton<PrometheusMetricReader>();
        builder.Services.AddSingleton(sp => new TelemetryProviders(identity, otlpEnabled, sp.GetRequiredService<PrometheusMetricReader>()));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<TelemetryProviders>());
        return builder;
    }

    internal static ResourceBuilder CreateResource(ServiceIdentity identity) =>
        ResourceBuilder.CreateDefault().AddService(identity.ResourceName, serviceVersion: identity.Version);
}
