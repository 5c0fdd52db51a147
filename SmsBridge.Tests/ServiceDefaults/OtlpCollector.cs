using System.Collections.Concurrent;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace SmsBridge.Tests.ServiceDefaults;

/// <summary>A test OTLP/HTTP endpoint: keeps every protobuf export request it receives.</summary>
public sealed class OtlpCollector : IAsyncDisposable
{
    private WebApplication? _app;

    public int Port { get; } = SmsBridge.AppHost.Hosting.PortAllocator.Next();

    public string Endpoint => $"http://127.0.0.1:{Port}";

    public ConcurrentQueue<byte[]> Traces { get; } = new();

    public ConcurrentQueue<byte[]> Logs { get; } = new();

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(Endpoint);
        _app = builder.Build();
        _app.MapPost("/v1/traces", async (HttpRequest request) => Traces.Enqueue(await ReadAsync(request)));
        _app.MapPost("/v1/logs", async (HttpRequest request) => Logs.Enqueue(await ReadAsync(request)));
        _app.MapPost("/v1/metrics", async (HttpRequest request) => await ReadAsync(request));
        await _app.StartAsync();
    }

    /// <summary>Every span as (service.name, span name, attributes), decoded from ExportTraceServiceRequest.</summary>
    public IEnumerable<(string Service, string Name, Dictionary<string, string> Attributes)> Spans()
    {
        // ExportTraceServiceRequest.resource_spans = 1; ResourceSpans.resource = 1, scope_spans = 2;
        // Resource.attributes = 1; ScopeSpans.spans = 2; Span.name = 5, attributes = 9.
        foreach (var request in Traces)
        foreach (var resourceSpans in Protobuf.Messages(request, 1))
        {
            var resource = Protobuf.Messages(resourceSpans, 1).FirstOrDefault() ?? [];
            var service = Protobuf.Attributes(resource, 1).GetValueOrDefault("service.name", "");
            foreach (var scopeSpans in Protobuf.Messages(resourceSpans, 2))
            foreach (var span in Protobuf.Messages(scopeSpans, 2))
            {
                yield return (service, Protobuf.Strings(span, 5).FirstOrDefault() ?? "", Protobuf.Attributes(span, 9));
            }
        }
    }

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

/// <summary>Just enough protobuf wire-format reading (CodedInputStream) to walk OTLP messages by field number.</summary>
public static class Protobuf
{
    public static IEnumerable<byte[]> Messages(byte[] message, int field) => LengthDelimited(message, field);

    public static IEnumerable<string> Strings(byte[] message, int field) =>
        LengthDelimited(message, field).Select(b => System.Text.Encoding.UTF8.GetString(b));

    /// <summary>KeyValue list (key = 1, value = AnyValue with string_value = 1 / int_value = 3) as strings.</summary>
    public static Dictionary<string, string> Attributes(byte[] message, int field)
    {
        var attributes = new Dictionary<string, string>();
        foreach (var keyValue in Messages(message, field))
        {
            var key = Strings(keyValue, 1).FirstOrDefault() ?? "";
            var value = Messages(keyValue, 2).FirstOrDefault() ?? [];
            attributes[key] = Strings(value, 1).FirstOrDefault() ?? Varints(value, 3).FirstOrDefault().ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return attributes;
    }

    private static IEnumerable<long> Varints(byte[] message, int field)
    {
        var input = new CodedInputStream(message);
        var results = new List<long>();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == field && WireFormat.GetTagWireType(tag) == WireFormat.WireType.Varint) results.Add(input.ReadInt64());
            else input.SkipLastField();
        }

        return results;
    }

    private static List<byte[]> LengthDelimited(byte[] message, int field)
    {
        var input = new CodedInputStream(message);
        var results = new List<byte[]>();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == field && WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
            {
                results.Add(input.ReadBytes().ToByteArray());
            }
            else
            {
                input.SkipLastField();
            }
        }

        return results;
    }
}
