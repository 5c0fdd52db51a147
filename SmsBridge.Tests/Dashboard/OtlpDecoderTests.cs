using System.Diagnostics;
using System.Diagnostics.Metrics;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using SmsBridge.AppHost.Dashboard.Otlp;
using SmsBridge.Tests.ServiceDefaults;

namespace SmsBridge.Tests.Dashboard;

/// <summary>
/// The dashboard's OTLP decoder on what the real OpenTelemetry OTLP exporter (1.20.1, http/protobuf) sends: an
/// in-process provider exports to a loopback endpoint that keeps the bytes, and the decoder must read back what was made.
/// </summary>
public sealed class OtlpDecoderTests : IAsyncLifetime
{
    private readonly OtlpCollector _endpoint = new();
    private readonly string _name = "decoder-test-" + Guid.NewGuid().ToString("N")[..8];

    public Task InitializeAsync() => _endpoint.StartAsync();

    public async Task DisposeAsync() => await _endpoint.DisposeAsync();

    private void Export(OtlpExporterOptions options, string signal)
    {
        options.Protocol = OtlpExportProtocol.HttpProtobuf;
        options.Endpoint = new Uri($"{_endpoint.Endpoint}/v1/{signal}");
        options.ExportProcessorType = ExportProcessorType.Simple;
    }

    private ResourceBuilder Resource() => ResourceBuilder.CreateEmpty().AddService("decoder-service", serviceInstanceId: "instance-1");

    [Fact]
    public void Spans_keep_ids_parentage_kind_times_attributes_status_and_events()
    {
        using var source = new ActivitySource(_name);
        Activity parent, child;
        using (Sdk.CreateTracerProviderBuilder().SetResourceBuilder(Resource()).AddSource(_name).AddOtlpExporter(o => Export(o, "traces")).Build())
        {
            using (parent = source.StartActivity("POST /onboarding/register", ActivityKind.Server)!)
            {
                parent.SetTag("http.request.method", "POST");
                parent.SetTag("http.response.status_code", 200);
                parent.SetTag("smsbridge.flag", true);
                parent.SetTag("smsbridge.ratio", 0.25);
                parent.SetTag("smsbridge.list", new[] { "a", "b" });
                using (child = source.StartActivity("deliver webhook", ActivityKind.Client)!)
                {
                    child.AddEvent(new ActivityEvent("retrying", tags: new ActivityTagsCollection { ["attempt"] = 2 }));
                    child.SetStatus(ActivityStatusCode.Error, "backend answered 503");
                }

                parent.SetStatus(ActivityStatusCode.Ok);
            }
        }

        var spans = _endpoint.Traces.SelectMany(r => OtlpDecoder.DecodeTraces(ByteString.CopyFrom(r))).ToList();
        Assert.Equal(2, spans.Count);
        var server = spans.Single(s => s.Name == "POST /onboarding/register");
        var client = spans.Single(s => s.Name == "deliver webhook");

        Assert.Equal("decoder-service", server.Service);
        Assert.Equal(_name, server.Scope);
        Assert.Equal(parent.TraceId.ToHexString(), server.TraceId);
        Assert.Equal(parent.SpanId.ToHexString(), server.SpanId);
        Assert.Null(server.ParentSpanId);
        Assert.Equal(server.TraceId, client.TraceId);
        Assert.Equal(server.SpanId, client.ParentSpanId);
        Assert.Equal("server", server.KindName);
        Assert.Equal("client", client.KindName);
        Assert.Equal(new DateTimeOffset(parent.StartTimeUtc), server.Start);
        Assert.Equal(parent.Duration, server.Duration);
        Assert.True(server.Start <= client.Start && client.End <= server.End);

        Assert.Equal("POST", server.Attributes["http.request.method"]);
        Assert.Equal("200", server.Attributes["http.response.status_code"]);
        Assert.Equal("true", server.Attributes["smsbridge.flag"]);
        Assert.Equal("0.25", server.Attributes["smsbridge.ratio"]);
        Assert.Equal("[a, b]", server.Attributes["smsbridge.list"]);
        Assert.Equal(SpanStatus.Ok, server.Status);

        Assert.Equal(SpanStatus.Error, client.Status);
        Assert.Equal("backend answered 503", client.StatusMessage);
        var retry = Assert.Single(client.Events);
        Assert.Equal("retrying", retry.Name);
        Assert.Equal("2", retry.Attributes["attempt"]);
    }

    [Fact]
    public void Log_records_keep_level_category_formatted_message_attributes_and_their_trace()
    {
        using var source = new ActivitySource(_name);
        string traceId, spanId;
        using (Sdk.CreateTracerProviderBuilder().AddSource(_name).Build())
        using (var loggers = LoggerFactory.Create(logging => logging.AddOpenTelemetry(o =>
               {
                   o.IncludeFormattedMessage = true;
                   o.SetResourceBuilder(Resource());
                   o.AddOtlpExporter(e => Export(e, "logs"));
               })))
        {
            var logger = loggers.CreateLogger("SmsBridge.Receiver.Inbound.InboxProcessor");
            logger.LogInformation("Outside any trace");
            using (var activity = source.StartActivity("validate sms")!)
            {
                (traceId, spanId) = (activity.TraceId.ToHexString(), activity.SpanId.ToHexString());
                logger.LogWarning("SMS {MessageId} from {Mobile}: {Outcome}", 42, "*1234", "rejected:rate");
            }
        }

        var logs = _endpoint.Logs.SelectMany(r => OtlpDecoder.DecodeLogs(ByteString.CopyFrom(r))).ToList();
        Assert.Equal(2, logs.Count);
        var untraced = logs.Single(l => l.Message == "Outside any trace");
        Assert.Null(untraced.TraceId);
        Assert.Equal("Information", untraced.Level);

        var warning = logs.Single(l => l.TraceId is not null);
        Assert.Equal("decoder-service", warning.Service);
        Assert.Equal("SmsBridge.Receiver.Inbound.InboxProcessor", warning.Category);
        Assert.Equal("Warning", warning.Level);
        Assert.Equal(13, warning.SeverityNumber);
        Assert.Equal("SMS 42 from *1234: rejected:rate", warning.Message);
        Assert.Equal("42", warning.Attributes["MessageId"]);
        Assert.Equal("rejected:rate", warning.Attributes["Outcome"]);
        Assert.Equal(traceId, warning.TraceId);
        Assert.Equal(spanId, warning.SpanId);
        Assert.True(warning.Time > DateTimeOffset.UtcNow.AddMinutes(-1));
    }

    [Fact]
    public void Metrics_give_each_instrument_its_current_value_summed_over_attribute_sets()
    {
        using var meter = new Meter(_name);
        var counter = meter.CreateCounter<long>("smsbridge.test.registrations");
        var histogram = meter.CreateHistogram<double>("smsbridge.test.duration", unit: "s", description: "how long it took");
        meter.CreateObservableGauge("smsbridge.test.backlog", () => 42);
        using (var provider = Sdk.CreateMeterProviderBuilder().SetResourceBuilder(Resource()).AddMeter(_name)
                   .AddOtlpExporter((e, reader) =>
                   {
                       Export(e, "metrics");
                       reader.TemporalityPreference = MetricReaderTemporalityPreference.Cumulative;
                   }).Build())
        {
            counter.Add(3, new KeyValuePair<string, object?>("outcome", "verified"));
            counter.Add(4, new KeyValuePair<string, object?>("outcome", "rejected"));
            histogram.Record(0.004);
            histogram.Record(0.02);
            histogram.Record(3);
            Assert.True(provider.ForceFlush(10_000));
        }

        var metrics = _endpoint.Metrics.SelectMany(r => OtlpDecoder.DecodeMetrics(ByteString.CopyFrom(r))).ToList();
        var registrations = metrics.Last(m => m.Name == "smsbridge.test.registrations");
        Assert.Equal("decoder-service", registrations.Service);
        Assert.Equal(MetricKind.Sum, registrations.Kind);
        Assert.Equal(7, registrations.Value);
        Assert.Equal(2, registrations.Series);

        var gauge = metrics.Last(m => m.Name == "smsbridge.test.backlog");
        Assert.Equal(MetricKind.Gauge, gauge.Kind);
        Assert.Equal(42, gauge.Value);

        var duration = metrics.Last(m => m.Name == "smsbridge.test.duration");
        Assert.Equal(MetricKind.Histogram, duration.Kind);
        Assert.Equal("s", duration.Unit);
        Assert.Equal("how long it took", duration.Description);
        Assert.Equal(3UL, duration.Count);
        Assert.Equal(3.024, duration.Sum, 9);
        Assert.Equal(duration.Bounds.Count + 1, duration.BucketCounts.Count);
        Assert.Equal(3UL, duration.BucketCounts.Aggregate(0UL, (a, b) => a + b));
        // The SDK's default bounds are 0, 5, 10, 25, 50, 75, 100, ...: all three values fall in (0, 5].
        Assert.Equal(3UL, duration.BucketCounts[duration.Bounds.ToList().IndexOf(5)]);
    }

    [Fact]
    public void A_body_that_is_not_protobuf_is_refused_rather_than_half_read()
    {
        Assert.Throws<InvalidProtocolBufferException>(() => OtlpDecoder.DecodeTraces(ByteString.CopyFromUtf8("{\"resourceSpans\": []}")));
        Assert.Empty(OtlpDecoder.DecodeTraces(ByteString.Empty));
    }
}
