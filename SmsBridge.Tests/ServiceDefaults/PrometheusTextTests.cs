using System.Diagnostics.Metrics;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using SmsBridge.ServiceDefaults.Telemetry;

namespace SmsBridge.Tests.ServiceDefaults;

/// <summary>The exposition format written by our own reader, from real OpenTelemetry SDK collection.</summary>
public sealed class PrometheusTextTests
{
    [Fact]
    public void Counters_histograms_units_and_label_escaping_follow_the_text_format()
    {
        using var meter = new Meter("SmsBridge.Tests.Prometheus");
        using var reader = new PrometheusMetricReader();
        using var provider = Sdk.CreateMeterProviderBuilder().AddMeter(meter.Name).AddReader(reader).Build();

        var counter = meter.CreateCounter<long>("test.requests", "{request}", "Requests seen.");
        counter.Add(2, new KeyValuePair<string, object?>("path", "a\"b\\c\nd"));
        var histogram = meter.CreateHistogram<double>("test.latency", "ms", "Latency.");
        histogram.Record(3);
        histogram.Record(7);
        histogram.Record(400);
        meter.CreateObservableGauge("test.items.count", () => 5, "{item}");

        var text = reader.Scrape();

        Assert.Contains("# HELP test_requests_total Requests seen.\n# TYPE test_requests_total counter\n", text, StringComparison.Ordinal);
        Assert.Contains("test_requests_total{path=\"a\\\"b\\\\c\\nd\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE test_latency_milliseconds histogram\n", text, StringComparison.Ordinal);
        Assert.Contains("test_latency_milliseconds_bucket{le=\"5\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("test_latency_milliseconds_bucket{le=\"10\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("test_latency_milliseconds_bucket{le=\"+Inf\"} 3\n", text, StringComparison.Ordinal);
        Assert.Contains("test_latency_milliseconds_sum 410\n", text, StringComparison.Ordinal);
        Assert.Contains("test_latency_milliseconds_count 3\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE test_items_count_value gauge\ntest_items_count_value 5\n", text, StringComparison.Ordinal);
    }
}
