using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace SmsBridge.Benchmarks.Load;

/// <summary>
/// The customer's backend on loopback: verifies each Standard Webhooks signature as a real backend would (so its
/// cost is in the run), answers 204, and tells the waiting flow that its hand-off arrived.
/// </summary>
public sealed class WebhookBackend(string secret) : IAsyncDisposable
{
    private readonly byte[] _key = Convert.FromBase64String(secret.StartsWith("whsec_", StringComparison.Ordinal) ? secret[6..] : secret);
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _waiting = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _bodies = new(StringComparer.Ordinal);
    private WebApplication? _app;
    private int _badSignatures;
    private int _redeliveries;
    private int _conflicting;
    private long _lastArrival = System.Diagnostics.Stopwatch.GetTimestamp();

    /// <summary>The port the kernel gave the listener (known once started).</summary>
    public int Port { get; private set; }

    public string Url => UrlOf(Port);

    /// <summary>The sync_url the services are given for a backend listening on <paramref name="port"/>.</summary>
    public static string UrlOf(int port) => $"http://127.0.0.1:{port}/hooks";

    public int BadSignatures => _badSignatures;

    /// <summary>Deliveries of a webhook-id already received (at least once is allowed; counted, not an error).</summary>
    public int Redeliveries => _redeliveries;

    /// <summary>A webhook-id received twice with different bodies: a real error.</summary>
    public int Conflicting => _conflicting;

    /// <summary>When the last webhook arrived (Stopwatch timestamp), so the generator can stay up while deliveries still come.</summary>
    public long LastArrival => Interlocked.Read(ref _lastArrival);

    /// <summary>Listens on <paramref name="port"/> (0: the kernel picks one).</summary>
    public async Task StartAsync(int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        _app = builder.Build();
        _app.MapPost("/hooks", (Delegate)HandleAsync);
        await _app.StartAsync();
        Port = new Uri(_app.Urls.Single()).Port;
    }

    /// <summary>Completes when the hand-off for <paramref name="mobile"/> has been delivered (register before pin-setup).</summary>
    public Task Expect(string mobile) => _waiting.GetOrAdd(mobile, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public void Forget(string mobile) => _waiting.TryRemove(mobile, out _);

    private async Task<IResult> HandleAsync(HttpContext context)
    {
        Interlocked.Exchange(ref _lastArrival, System.Diagnostics.Stopwatch.GetTimestamp());
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        var id = context.Request.Headers["webhook-id"].ToString();
        if (!SignatureValid(id, context.Request.Headers["webhook-timestamp"].ToString(), body,
                context.Request.Headers["webhook-signature"].ToString()))
        {
            Interlocked.Increment(ref _badSignatures);
            return Results.Unauthorized();
        }

        var text = Encoding.UTF8.GetString(body);
        var first = _bodies.GetOrAdd(id, text);
        if (!ReferenceEquals(first, text))
        {
            Interlocked.Increment(ref _redeliveries);
            if (first != text) Interlocked.Increment(ref _conflicting);
        }

        using var json = JsonDocument.Parse(body);
        var mobile = json.RootElement.GetProperty("mobile_number").GetString()!;
        if (_waiting.TryRemove(mobile, out var waiter)) waiter.TrySetResult();
        return Results.NoContent();
    }

    private bool SignatureValid(string id, string timestamp, byte[] body, string header)
    {
        var signed = new byte[Encoding.UTF8.GetByteCount(id) + Encoding.UTF8.GetByteCount(timestamp) + 2 + body.Length];
        var n = Encoding.UTF8.GetBytes($"{id}.{timestamp}.", signed);
        body.CopyTo(signed, n);
        var expected = Encoding.ASCII.GetBytes(Convert.ToBase64String(HMACSHA256.HashData(_key, signed)));
        foreach (var candidate in header.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (candidate.StartsWith("v1,", StringComparison.Ordinal)
                && CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(candidate[3..])))
            {
                return true;
            }
        }

        return false;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is null) return;
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
