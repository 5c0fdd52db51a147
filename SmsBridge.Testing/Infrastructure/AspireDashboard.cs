using System.Net;
using System.Text.Json;

namespace SmsBridge.Tests.Infrastructure;

/// <summary>
/// The real Aspire dashboard of one test graph (Aspire.Hosting.Testing's own dashboard mode: random ports, a generated
/// browser token) with API and OTLP keys of our choosing, and a reader of its telemetry HTTP API
/// (<c>/api/telemetry/*</c>, OTLP JSON).
/// </summary>
public sealed class AspireDashboard : IDisposable
{
    public const string ResourceName = "aspire-dashboard";
    public const string OtlpApiKeyHeader = "x-otlp-api-key";
    private HttpClient? _api;

    public string ApiKey { get; } = Convert.ToHexString(Guid.NewGuid().ToByteArray());

    public string OtlpApiKey { get; } = Convert.ToHexString(Guid.NewGuid().ToByteArray());

    /// <summary>The link the AppHost prints: it signs the browser in and drops the token from the address bar.</summary>
    public Uri LoginUrl { get; private set; } = null!;

    public Uri Url => new(LoginUrl.GetLeftPart(UriPartial.Authority));

    public Uri OtlpHttpEndpoint { get; private set; } = null!;

    /// <summary>Set on the builder before it is built: the dashboard reads them as it starts.</summary>
    public void Configure(IDistributedApplicationTestingBuilder builder)
    {
        builder.Configuration["AppHost:DashboardApiKey"] = ApiKey;
        builder.Configuration["AppHost:OtlpApiKey"] = OtlpApiKey;
    }

    public async Task AttachAsync(DistributedApplication app, CancellationToken cancellationToken)
    {
        LoginUrl = await app.GetDashboardUrlAsync(cancellationToken);
        OtlpHttpEndpoint = app.GetEndpoint(ResourceName, "otlp-http");
        _api = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(30) };
        _api.DefaultRequestHeaders.Add("x-api-key", ApiKey);
    }

    /// <summary>Every span of one trace the dashboard holds (none while it has not seen the trace).</summary>
    public async Task<IReadOnlyList<TelemetrySpan>> TraceAsync(string traceId) =>
        TelemetrySpan.Read(await GetDataAsync($"/api/telemetry/traces/{traceId}"));

    public async Task<IReadOnlyList<TelemetrySpan>> SpansAsync(string resource) =>
        TelemetrySpan.Read(await GetDataAsync($"/api/telemetry/spans?resource={resource}&limit=5000"));

    public async Task<IReadOnlyList<TelemetryLog>> LogsAsync(string? resource = null, string? traceId = null)
    {
        var query = "limit=5000" + (resource is null ? "" : $"&resource={resource}") + (traceId is null ? "" : $"&traceId={traceId}");
        return TelemetryLog.Read(await GetDataAsync($"/api/telemetry/logs?{query}"));
    }

    private async Task<JsonElement> GetDataAsync(string pathAndQuery)
    {
        using var response = await _api!.GetAsync(new Uri(pathAndQuery, UriKind.Relative));
        if (response.StatusCode == HttpStatusCode.NotFound) return default; // a trace or resource the dashboard has not seen yet
        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.GetProperty("data").Clone();
    }

    public void Dispose() => _api?.Dispose();
}
