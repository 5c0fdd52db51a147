using System.Text.Json;

namespace SmsBridge.Tests.Infrastructure;

/// <summary>A span as the dashboard's API returns it (OTLP JSON), flattened with its service and scope.</summary>
public sealed record TelemetrySpan(string Service, string Scope, string TraceId, string SpanId, string? ParentSpanId, string Name,
    TelemetrySpan.SpanKind Kind, IReadOnlyDictionary<string, string> Attributes, bool IsError)
{
    public enum SpanKind { Unspecified, Internal, Server, Client, Producer, Consumer }

    public static IReadOnlyList<TelemetrySpan> Read(JsonElement data) =>
        [.. Otlp.Records(data, "resourceSpans", "scopeSpans", "spans").Select(r => new TelemetrySpan(
            r.Service, r.Scope,
            r.Record.GetProperty("traceId").GetString()!,
            r.Record.GetProperty("spanId").GetString()!,
            r.Record.TryGetProperty("parentSpanId", out var parent) && parent.GetString() is { Length: > 0 } p ? p : null,
            r.Record.GetProperty("name").GetString()!,
            (SpanKind)(r.Record.TryGetProperty("kind", out var kind) ? kind.GetInt32() : 0),
            Otlp.Attributes(r.Record),
            r.Record.TryGetProperty("status", out var status) && status.TryGetProperty("code", out var code) && code.GetInt32() == 2))];
}

/// <summary>A structured log record as the dashboard's API returns it.</summary>
public sealed record TelemetryLog(string Service, string Category, string Message, string? TraceId, string? SpanId)
{
    public static IReadOnlyList<TelemetryLog> Read(JsonElement data) =>
        [.. Otlp.Records(data, "resourceLogs", "scopeLogs", "logRecords").Select(r => new TelemetryLog(
            r.Service, r.Scope,
            r.Record.TryGetProperty("body", out var body) ? Otlp.Value(body) : "",
            Otlp.OptionalString(r.Record, "traceId"),
            Otlp.OptionalString(r.Record, "spanId")))];
}

/// <summary>The OTLP JSON shape both share: resource → scope → records, attributes as key/typed-value pairs.</summary>
internal static class Otlp
{
    public static IEnumerable<(string Service, string Scope, JsonElement Record)> Records(JsonElement data, string resources, string scopes, string records)
    {
        if (data.ValueKind != JsonValueKind.Object || !data.TryGetProperty(resources, out var resourceList)) yield break;
        foreach (var resource in resourceList.EnumerateArray())
        {
            var service = resource.TryGetProperty("resource", out var r) ? Attributes(r).GetValueOrDefault("service.name", "") : "";
            foreach (var scope in resource.GetProperty(scopes).EnumerateArray())
            {
                var scopeName = scope.TryGetProperty("scope", out var s) ? OptionalString(s, "name") ?? "" : "";
                foreach (var record in scope.GetProperty(records).EnumerateArray()) yield return (service, scopeName, record);
            }
        }
    }

    public static Dictionary<string, string> Attributes(JsonElement owner) =>
        owner.TryGetProperty("attributes", out var attributes)
            ? attributes.EnumerateArray().GroupBy(a => a.GetProperty("key").GetString()!).ToDictionary(g => g.Key, g => Value(g.First().GetProperty("value")))
            : [];

    /// <summary>An AnyValue as text: stringValue, intValue (a JSON string for int64), boolValue or doubleValue.</summary>
    public static string Value(JsonElement anyValue)
    {
        foreach (var property in anyValue.EnumerateObject())
        {
            return property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
        }

        return "";
    }

    public static string? OptionalString(JsonElement owner, string name) =>
        owner.TryGetProperty(name, out var value) && value.GetString() is { Length: > 0 } text ? text : null;
}
