using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace SmsBridge.Tests.Delivery;

/// <summary>
/// A real backend on loopback that receives the webhooks: it verifies each signature, answers what the
/// test says (by the attempt number per webhook-id), can be slow, can be down (not listening), and
/// records how many deliveries of one id were ever in flight at once.
/// </summary>
public sealed class WebhookSink(string secret) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, int> _attempts = new();
    private readonly ConcurrentDictionary<string, int> _inFlight = new();
    private WebApplication? _app;
    private int _maxInFlightPerId;

    public int Port { get; } = FreePorts.Next();

    public string Url => $"http://127.0.0.1:{Port}/hooks";

    /// <summary>The status to answer for the n-th attempt (1-based) of a webhook-id.</summary>
    public Func<int, int> Respond { get; set; } = _ => 200;

    public TimeSpan Delay { get; set; }

    public ConcurrentQueue<ReceivedWebhook> Received { get; } = new();

    public int MaxInFlightPerId => _maxInFlightPerId;

    public IEnumerable<ReceivedWebhook> Delivered => Received.Where(r => r.Status is >= 200 and < 300);

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{Port}");
        _app = builder.Build();
        _app.MapPost("/hooks", HandleAsync);
        await _app.StartAsync();
    }

    public async Task StopAsync()
    {
        if (_app is null) return;
        await _app.StopAsync();
        await _app.DisposeAsync();
        _app = null;
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var id = context.Request.Headers["webhook-id"].ToString();
        var inFlight = _inFlight.AddOrUpdate(id, 1, (_, n) => n + 1);
        InterlockedMax(ref _maxInFlightPerId, inFlight);
        try
        {
            if (Delay > TimeSpan.Zero) await Task.Delay(Delay);
            var attempt = _attempts.AddOrUpdate(id, 1, (_, n) => n + 1);
            var timestamp = context.Request.Headers["webhook-timestamp"].ToString();
            var signature = context.Request.Headers["webhook-signature"].ToString();
            var valid = StandardWebhookVerifier.Verify(secret, id, timestamp, buffer.ToArray(), signature, DateTimeOffset.UtcNow);
            var status = valid ? Respond(attempt) : 401;
            Received.Enqueue(new ReceivedWebhook(id, timestamp, signature, buffer.ToArray(), valid, status));
            context.Response.StatusCode = status;
        }
        finally
        {
            _inFlight.AddOrUpdate(id, 0, (_, n) => n - 1);
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}

public sealed record ReceivedWebhook(string Id, string Timestamp, string Signature, byte[] Body, bool SignatureValid, int Status)
{
    public string BodyText => System.Text.Encoding.UTF8.GetString(Body);
}
