using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SmsBridge.AppHost.Hosting;

namespace SmsBridge.AppHost.Dashboard;

/// <summary>
/// The developer dashboard: a small Kestrel app on 127.0.0.1 that shows the graph's resources, their console
/// output, and the traces, logs and metrics the services export to its OTLP/HTTP receiver.
/// Browsers get in with the token of the printed login link, then a session cookie; exporters with an API key header.
/// </summary>
public sealed class DashboardServer : IAsyncDisposable
{
    public const string OtlpApiKeyHeader = "x-otlp-api-key";

    private readonly DistributedApplication _app;
    private WebApplication? _web;
    private ResourceMonitor? _monitor;

    internal DashboardServer(DistributedApplication app, int? port)
    {
        _app = app;
        Port = port ?? PortAllocator.Next();
    }

    public int Port { get; }

    public Uri Url => new($"http://127.0.0.1:{Port}/");

    /// <summary>The browser token, made once per run; the printed link carries it.</summary>
    public string Token { get; } = NewSecret();

    /// <summary>The value of the session cookie a browser gets for the token.</summary>
    internal string SessionSecret { get; } = NewSecret();

    /// <summary>The key exporters send in <see cref="OtlpApiKeyHeader"/>.</summary>
    public string OtlpApiKey { get; } = NewSecret();

    public Uri LoginUrl => new(Url, $"login?t={Token}");

    public string OtlpEndpoint => Url.ToString().TrimEnd('/');

    public TelemetryStore Telemetry { get; } = new();

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(OtlpEndpoint);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = OtlpReceiver.MaxBodyBytes;
        });
        builder.Services.AddSingleton(this);
        builder.Services.AddSingleton(_app);
        var web = builder.Build();
        web.UseDashboardSecurity(this);
        web.MapOtlpReceiver(Telemetry);
        web.MapDashboardAssets();
        web.MapDashboardPages();
        web.MapResourceActions();
        await web.StartAsync();
        _web = web;
        _monitor = new ResourceMonitor(_app.Resources);
    }

    private static string NewSecret() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));

    public async ValueTask DisposeAsync()
    {
        // Idempotent: run mode disposes after Ctrl+C, and tests dispose the application too.
        if (Interlocked.Exchange(ref _monitor, null) is { } monitor) await monitor.DisposeAsync();
        if (Interlocked.Exchange(ref _web, null) is { } web) await web.DisposeAsync();
    }
}
