using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace SmsBridge.ServiceDefaults.Telemetry;

/// <summary>Owns the tracer and meter providers for the host's lifetime (what OpenTelemetry.Extensions.Hosting would do).</summary>
internal sealed class TelemetryProviders(ServiceIdentity identity, bool otlpEnabled, PrometheusMetricReader prometheus)
    : IHostedService, IDisposable
{
    private TracerProvider? _tracing;
    private MeterProvider? _metrics;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var tracing = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(Extensions.CreateResource(identity))
            .AddSource(Extensions.TraceSources);
        if (otlpEnabled) tracing.AddOtlpExporter();
        _tracing = tracing.Build();

        var metrics = Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(Extensions.CreateResource(identity))
            .AddMeter(Extensions.MeterNames)
            .AddReader(prometheus);
        if (otlpEnabled) metrics.AddOtlpExporter();
        _metrics = metrics.Build();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _tracing?.ForceFlush(5000);
        _metrics?.ForceFlush(5000);
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _tracing?.Dispose();
        _metrics?.Dispose();
    }
}
