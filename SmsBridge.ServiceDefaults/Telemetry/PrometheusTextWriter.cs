using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace SmsBridge.ServiceDefaults.Telemetry;

/// <summary>Writes one OpenTelemetry metric as Prometheus text (0.0.4), following OpenTelemetry's Prometheus compatibility rules.</summary>
internal static partial class PrometheusTextWriter
{
    private static readonly Dictionary<string, string> UnitWords = new(StringComparer.Ordinal)
    {
        ["s"] = "seconds", ["ms"] = "milliseconds", ["us"] = "microseconds", ["ns"] = "nanoseconds",
        ["min"] = "minutes", ["h"] = "hours", ["d"] = "days",
        ["By"] = "bytes", ["KiBy"] = "kibibytes", ["MiBy"] = "mebibytes", ["GiBy"] = "gibibytes",
        ["KBy"] = "kilobytes", ["MBy"] = "megabytes", ["GBy"] = "gigabytes",
        ["%"] = "percent", ["Hz"] = "hertz", ["V"] = "volts", ["A"] = "amperes", ["Cel"] = "celsius",
    };

    private static readonly string[] ReservedSuffixes = ["_count", "_sum", "_bucket", "_total"];

    public static void Write(StringBuilder output, Metric metric, HashSet<string> written)
    {
        var isCounter = metric.MetricType is MetricType.LongSum or MetricType.DoubleSum;
        var isHistogram = metric.MetricType == MetricType.Histogram;
        if (metric.MetricType == MetricType.ExponentialHistogram) return;

        var name = MetricName(metric.Name, metric.Unit, isGauge: !isCounter && !isHistogram);
        // Prometheus reserves _count/_sum/_bucket for histogram series; gauges such as dotnet.assembly.count
        // would read as one (promtool refuses them), so they get a plain _value suffix.
        if (!isCounter && !isHistogram && ReservedSuffixes.Any(r => name.EndsWith(r, StringComparison.Ordinal))) name += "_value";
        var familyName = isCounter ? name + "_total" : name;
        if (!written.Add(familyName)) return;

        var help = string.IsNullOrWhiteSpace(metric.Description) ? metric.Name : metric.Description;
        output.Append("# HELP ").Append(familyName).Append(' ').Append(EscapeHelp(help)).Append('\n');
        output.Append("# TYPE ").Append(familyName).Append(' ')
            .Append(isCounter ? "counter" : isHistogram ? "histogram" : "gauge").Append('\n');

        foreach (ref readonly var point in metric.GetMetricPoints())
        {
            var labels = Labels(point.Tags);
            switch (metric.MetricType)
            {
                case MetricType.LongSum or MetricType.LongSumNonMonotonic:
                    Sample(output, familyName, labels, point.GetSumLong());
                    break;
                case MetricType.DoubleSum or MetricType.DoubleSumNonMonotonic:
                    Sample(output, familyName, labels, point.GetSumDouble());
                    break;
                case MetricType.LongGauge:
                    Sample(output, familyName, labels, point.GetGaugeLastValueLong());
                    break;
                case MetricType.DoubleGauge:
                    Sample(output, familyName, labels, point.GetGaugeLastValueDouble());
                    break;
                case MetricType.Histogram:
                    WriteHistogram(output, name, labels, point);
                    break;
            }
        }
    }

    private static void WriteHistogram(StringBuilder output, string name, string labels, in MetricPoint point)
    {
        long cumulative = 0;
        foreach (var bucket in point.GetHistogramBuckets())
        {
            cumulative += bucket.BucketCount;
            var le = double.IsPositiveInfinity(bucket.ExplicitBound) ? "+Inf" : Number(bucket.ExplicitBound);
            var bucketLabels = labels.Length == 0 ? $"le=\"{le}\"" : $"{labels},le=\"{le}\"";
            Sample(output, name + "_bucket", bucketLabels, cumulative);
        }

        Sample(output, name + "_sum", labels, point.GetHistogramSum());
        Sample(output, name + "_count", labels, point.GetHistogramCount());
    }

    private static void Sample(StringBuilder output, string name, string labels, double value) =>
        Sample(output, name, labels, Number(value));

    private static void Sample(StringBuilder output, string name, string labels, long value) =>
        Sample(output, name, labels, value.ToString(CultureInfo.InvariantCulture));

    private static void Sample(StringBuilder output, string name, string labels, string value)
    {
        output.Append(name);
        if (labels.Length > 0) output.Append('{').Append(labels).Append('}');
        output.Append(' ').Append(value).Append('\n');
    }

    internal static string MetricName(string name, string? unit, bool isGauge)
    {
        var sanitized = Sanitize(name, allowColon: true);
        var unitSuffix = UnitSuffix(unit, isGauge);
        if (unitSuffix.Length > 0 && !sanitized.EndsWith("_" + unitSuffix, StringComparison.Ordinal))
        {
            sanitized += "_" + unitSuffix;
        }

        return sanitized;
    }

    private static string UnitSuffix(string? unit, bool isGauge)
    {
        if (string.IsNullOrWhiteSpace(unit)) return "";
        var withoutAnnotations = AnnotationPattern().Replace(unit, "");
        if (withoutAnnotations == "1") return isGauge ? "ratio" : "";
        if (withoutAnnotations.Length == 0) return "";
        var parts = withoutAnnotations.Split('/', 2);
        var main = UnitWords.GetValueOrDefault(parts[0], parts[0]);
        var suffix = parts.Length == 2 ? $"{main}_per_{UnitWords.GetValueOrDefault(parts[1], parts[1])}" : main;
        return Sanitize(suffix, allowColon: false).Trim('_');
    }

    internal static string Labels(ReadOnlyTagCollection tags)
    {
        var builder = new StringBuilder();
        foreach (var tag in tags)
        {
            if (builder.Length > 0) builder.Append(',');
            builder.Append(Sanitize(tag.Key, allowColon: false)).Append("=\"")
                .Append(EscapeLabelValue(Convert.ToString(tag.Value, CultureInfo.InvariantCulture) ?? "")).Append('"');
        }

        return builder.ToString();
    }

    internal static string EscapeLabelValue(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)
            .Replace("\n", "\\n", StringComparison.Ordinal);

    private static string EscapeHelp(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string Number(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        double.NaN => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    private static string Sanitize(string value, bool allowColon)
    {
        var cleaned = (allowColon ? InvalidMetricChars() : InvalidLabelChars()).Replace(value, "_");
        cleaned = RepeatedUnderscores().Replace(cleaned, "_");
        return cleaned.Length > 0 && char.IsAsciiDigit(cleaned[0]) ? "_" + cleaned : cleaned;
    }

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex AnnotationPattern();

    [GeneratedRegex("[^a-zA-Z0-9_:]")]
    private static partial Regex InvalidMetricChars();

    [GeneratedRegex("[^a-zA-Z0-9_]")]
    private static partial Regex InvalidLabelChars();

    [GeneratedRegex("_{2,}")]
    private static partial Regex RepeatedUnderscores();
}
