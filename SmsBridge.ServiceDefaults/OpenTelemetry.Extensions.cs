using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using SmsBridge.ServiceDefaults.Telemetry;

namespace Microsoft.Extensions.Hosting;

public static partial class Extensions
{
    /// <summary>Every app-owned ActivitySource and Meter is named under this prefix, so none needs registering.</summary>
    public const string AppTelemetryPrefix = "SmsBridge.";

    /// <summary>Probes and scrapes: answered many times a minute, never worth a span.</summary>
    private static readonly PathString[] UntracedPaths = ["/health", "/alive", "/metrics"];

    /// <summary>
    /// Traces, metrics and logs through OpenTelemetry.Extensions.Hosting, as the Aspire template does. OTLP export is
    /// on only when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (the SDK honours the other <c>OTEL_*</c> variables);
    /// metrics are also read by the Prometheus exporter behind <c>/metrics</c> on the management port.
    /// Npgsql and Redis client spans come from Aspire.Npgsql and Aspire.StackExchange.Redis.
    /// </summary>
    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var identity = ServiceIdentity.From(builder);

        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(identity.ResourceName, serviceVersion: identity.Version))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(AppTelemetryPrefix + "*")
                .AddView(PrometheusNames.RenameReservedSuffix)
                .AddPrometheusExporter())
            .WithTracing(tracing => tracing
                .AddSource(AppTelemetryPrefix + "*")
                .AddAspNetCoreInstrumentation(aspNetCore =>
                    aspNetCore.Filter = context => !UntracedPaths.Contains(context.Request.Path))
                .AddHttpClientInstrumentation());

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry.UseOtlpExporter();
        }

        return builder;
    }
}
