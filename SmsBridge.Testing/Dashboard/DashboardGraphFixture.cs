using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using SmsBridge.Tests.Delivery;
using SmsBridge.Tests.Infrastructure;

namespace SmsBridge.Tests.Dashboard;

/// <summary>
/// The whole graph with the real Aspire dashboard, as run mode has it. The test process plays the backend: its requests
/// and the webhook sink's server span are traced (only inside a flow the test started) and exported to the dashboard
/// too, so one trace runs from the backend's register call to the webhook it receives.
/// </summary>
public sealed class DashboardGraphFixture : IAsyncLifetime
{
    public const string BackendService = "backend";
    public const string FlowSpanName = "onboarding flow";
    private static readonly ActivitySource Backend = new("SmsBridge.Tests.Dashboard.Backend");
    private TracerProvider? _tracing;

    public AspireDashboard Dashboard { get; } = new();

    public DistributedApplication App { get; private set; } = null!;

    public VerificationFlow Flow { get; private set; } = null!;

    public WebhookSink Sink { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        App = await TestGraph.StartAsync(builder => DeliveryFlow.FastPacing(builder), Dashboard);
        Flow = new VerificationFlow(App);
        Sink = new WebhookSink(Flow.Secret("webhook-secret"));
        await Sink.StartAsync();
        await Flow.PointAtAsync(Sink);

        _tracing = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService(BackendService))
            .AddSource(Backend.Name, "Microsoft.AspNetCore", "System.Net.Http")
            .SetSampler(new FlowSampler())
            .AddOtlpExporter(o =>
            {
                o.Protocol = OtlpExportProtocol.HttpProtobuf;
                o.Endpoint = new Uri(Dashboard.OtlpHttpEndpoint, "/v1/traces");
                o.Headers = $"{AspireDashboard.OtlpApiKeyHeader}={Dashboard.OtlpApiKey}";
                o.BatchExportProcessorOptions.ScheduledDelayMilliseconds = 500;
            })
            .Build();
    }

    /// <summary>Register → SMS → PIN setup → webhook under one root span; returns its trace id once the webhook is delivered.</summary>
    public async Task<string> TracedOnboardingAsync()
    {
        string traceId;
        Activity.Current = null; // a root of its own, whatever ran before on this thread
        using (var flow = Backend.StartActivity(FlowSpanName)!)
        {
            traceId = flow.TraceId.ToHexString();
            var id = await Flow.OnboardAsync(VerificationFlow.NewMobile());
            await Flow.WaitDeliveredAsync([id], TimeSpan.FromSeconds(30));
        }

        _tracing!.ForceFlush();
        return traceId;
    }

    public async Task DisposeAsync()
    {
        _tracing?.Dispose();
        await Sink.DisposeAsync();
        Flow.Dispose();
        await App.DisposeAsync();
        Dashboard.Dispose();
    }

    /// <summary>
    /// Records only the test's own flows: a root span is kept only when it is the flow span, anything else follows its
    /// parent. The test host's other HTTP calls (health probes, the dashboard API) stay out.
    /// </summary>
    private sealed class FlowSampler : Sampler
    {
        public override SamplingResult ShouldSample(in SamplingParameters samplingParameters)
        {
            var parent = samplingParameters.ParentContext;
            var keep = parent.TraceId == default
                ? samplingParameters.Name == FlowSpanName
                : parent.TraceFlags.HasFlag(ActivityTraceFlags.Recorded);
            return new SamplingResult(keep ? SamplingDecision.RecordAndSample : SamplingDecision.Drop);
        }
    }
}

/// <remarks>xunit reads [CollectionDefinition] only in the test assembly: each one using it derives a definition.</remarks>
public abstract class DashboardGraphCollection : ICollectionFixture<DashboardGraphFixture>
{
    public const string Name = "dashboard graph";
}
