using System.Text;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace SmsBridge.ServiceDefaults.Telemetry;

/// <summary>
/// A pull reader that renders every collected metric in the Prometheus text exposition format 0.0.4
/// on demand (no Prometheus exporter package restores here). Scrapes are serialised: a collect cycle
/// writes into one buffer.
/// </summary>
public sealed class PrometheusMetricReader : BaseExportingMetricReader
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly TextExporter _exporter;
    private readonly Lock _scrapeLock = new();

    public PrometheusMetricReader() : this(new TextExporter())
    {
    }

    private PrometheusMetricReader(TextExporter exporter) : base(exporter) => _exporter = exporter;

    public string Scrape()
    {
        lock (_scrapeLock)
        {
            _exporter.Begin();
            // Through the exporter's Collect delegate: the SDK exports to a pull-only exporter only inside
            // the pull scope that delegate opens; a plain reader.Collect() would export nothing.
            _exporter.Collect?.Invoke(5000);
            return _exporter.End();
        }
    }

    [ExportModes(ExportModes.Pull)]
    private sealed class TextExporter : BaseExporter<Metric>, IPullMetricExporter
    {
        public Func<int, bool>? Collect { get; set; }

        private StringBuilder _buffer = new();
        private readonly HashSet<string> _written = new(StringComparer.Ordinal);

        public void Begin()
        {
            _buffer = new StringBuilder(16 * 1024);
            _written.Clear();
        }

        public string End() => _buffer.ToString();

        public override ExportResult Export(in Batch<Metric> batch)
        {
            foreach (var metric in batch)
            {
                PrometheusTextWriter.Write(_buffer, metric, _written);
            }

            return ExportResult.Success;
        }
    }
}
