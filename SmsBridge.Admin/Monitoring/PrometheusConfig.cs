namespace SmsBridge.Admin.Monitoring;

/// <summary>
/// The part of Prometheus's <c>prometheus.yml</c> the export writes, for <see cref="PrometheusConfigExport"/>: keys in
/// the order of the properties, in snake_case, a null property not written.
/// </summary>
public sealed class PrometheusConfig
{
    public required PrometheusGlobal Global { get; init; }

    public List<ScrapeConfig> ScrapeConfigs { get; init; } = [];
}

public sealed record PrometheusGlobal(string ScrapeInterval, string EvaluationInterval);

public sealed class ScrapeConfig
{
    public required string JobName { get; init; }

    public required string MetricsPath { get; init; }

    public List<StaticConfig> StaticConfigs { get; init; } = [];

    public List<RelabelConfig>? RelabelConfigs { get; init; }
}

public sealed class StaticConfig
{
    public List<string> Targets { get; init; } = [];

    public Dictionary<string, string>? Labels { get; init; }
}

public sealed class RelabelConfig
{
    public List<string>? SourceLabels { get; init; }

    public required string TargetLabel { get; init; }

    public string? Replacement { get; init; }
}
