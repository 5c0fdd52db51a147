using System.Collections.Concurrent;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SmsBridge.AppHost.Dashboard.Otlp;

namespace SmsBridge.Tests.ServiceDefaults;

/// <summary>A test OTLP/HTTP endpoint: keeps every protobuf export request it receives.</summary>
public sealed class OtlpCollector : IAsyncDisposable
{
    private WebApplication? _app;

    public int Port { get; } = FreePorts.Next();

    public string Endpoint => $"http://127.0.0.1:{Port}";

    public ConcurrentQueue<byte[]> Traces { get; } = new();

    public ConcurrentQueue<byte[]> Logs { get; } = new();

    public ConcurrentQueue<byte[]> Metrics { get; } = new();

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(Endpoint);
        _app = builder.Build();
        _app.MapPost("/v1/traces", async (HttpRequest request) => Traces.Enqueue(await ReadAsync(request)));
        _app.MapPost("/v1/logs", async (HttpRequest request) => Logs.Enqueue(await ReadAsync(request)));
        _app.MapPost("/v1/metrics", async (HttpRequest request) => Metrics.Enqueue(await ReadAsync(request)));
        await _app.StartAsync();
    }

    /// <summary>Every span received, decoded by the dashboard's OTLP decoder.</summary>
    public IEnumerable<SpanRecord> Spans() =>
        Traces.SelectMany(request => OtlpDecoder.DecodeTraces(ByteString.CopyFrom(request)));

    private static async Task<byte[]> ReadAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
    }
}
