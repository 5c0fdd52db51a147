using System.IO.Compression;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using SmsBridge.AppHost.Dashboard.Otlp;

namespace SmsBridge.AppHost.Dashboard;

/// <summary>OTLP/HTTP with protobuf bodies (<c>/v1/traces</c>, <c>/v1/logs</c>, <c>/v1/metrics</c>) into the telemetry store.</summary>
internal static class OtlpReceiver
{
    public const long MaxBodyBytes = 16 * 1024 * 1024;

    public static void MapOtlpReceiver(this WebApplication app, TelemetryStore store)
    {
        var otlp = app.MapGroup("/v1");
        otlp.MapPost("/traces", (HttpRequest request) => ReceiveAsync(request, body => store.Add(OtlpDecoder.DecodeTraces(body))));
        otlp.MapPost("/logs", (HttpRequest request) => ReceiveAsync(request, body => store.Add(OtlpDecoder.DecodeLogs(body))));
        otlp.MapPost("/metrics", (HttpRequest request) => ReceiveAsync(request, body => store.Add(OtlpDecoder.DecodeMetrics(body))));
    }

    /// <summary>An empty protobuf body is a valid Export*ServiceResponse (full success); a body that does not decode is a 400, as OTLP says.</summary>
    private static async Task<IResult> ReceiveAsync(HttpRequest request, Action<ByteString> accept)
    {
        if (request.ContentType?.StartsWith("application/x-protobuf", StringComparison.OrdinalIgnoreCase) != true)
        {
            return Results.StatusCode(StatusCodes.Status415UnsupportedMediaType);
        }

        using var buffer = new MemoryStream();
        if (request.Headers.ContentEncoding.ToString() == "gzip")
        {
            await using var gzip = new GZipStream(request.Body, CompressionMode.Decompress, leaveOpen: true);
            await gzip.CopyToAsync(buffer, request.HttpContext.RequestAborted);
        }
        else
        {
            await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
        }

        try
        {
            accept(ByteString.CopyFrom(buffer.GetBuffer(), 0, (int)buffer.Length));
        }
        catch (InvalidProtocolBufferException)
        {
            return Results.BadRequest();
        }

        return Results.Bytes([], "application/x-protobuf");
    }
}
