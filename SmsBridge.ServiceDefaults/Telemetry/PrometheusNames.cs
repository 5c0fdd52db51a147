using System.Diagnostics.Metrics;
using OpenTelemetry.Metrics;

namespace SmsBridge.ServiceDefaults.Telemetry;

/// <summary>
/// Prometheus reserves <c>_count</c>, <c>_sum</c> and <c>_bucket</c> for a histogram's series, and promtool refuses
/// a gauge whose name ends in one (<c>dotnet.assembly.count</c>, <c>db.client.connection.count</c>, …). This view
/// renames such instruments where they are collected, adding <c>.value</c>; the exporter's text is left as it writes it.
/// </summary>
internal static class PrometheusNames
{
    private static readonly string[] ReservedSuffixes = ["count", "sum", "bucket"];

    private static readonly Type[] CountersAndHistograms = [typeof(Counter<>), typeof(ObservableCounter<>), typeof(Histogram<>)];

    public static MetricStreamConfiguration? RenameReservedSuffix(Instrument instrument)
    {
        // Counters are exported with _total and histograms with their own series, so neither can clash.
        var type = instrument.GetType();
        if (type.IsGenericType && CountersAndHistograms.Contains(type.GetGenericTypeDefinition())) return null;
        // A real unit (s, By, …) is appended to the name and ends it instead; an annotation such as {connection} is dropped.
        if (!string.IsNullOrEmpty(instrument.Unit) && !(instrument.Unit.StartsWith('{') && instrument.Unit.EndsWith('}'))) return null;

        var name = instrument.Name;
        var clashes = ReservedSuffixes.Any(suffix =>
            name.EndsWith("." + suffix, StringComparison.Ordinal) || name.EndsWith("_" + suffix, StringComparison.Ordinal));
        return clashes ? new MetricStreamConfiguration { Name = name + ".value" } : null;
    }
}
