using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace SmsBridge.Benchmarks.Load;

/// <summary>What each phase's clients do, speaking the contract as the backend and a gateway phone would.</summary>
public sealed class Scenarios(HttpClient backend, HttpClient gateway, OutcomeWatcher outcomes, WebhookBackend webhooks) : IDisposable
{
    public const string Register = "POST /onboarding/register";
    public const string Receive = "POST /sms/receive";
    public const string PinSetup = "POST /pin-setup";
    public const string Verified = "receive -> verified (async validation)";
    public const string Delivered = "pin-setup -> webhook delivered";
    public const string Flow = "full flow";

    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(30);
    private static long _sequence = Stopwatch.GetTimestamp() % 1_000_000;

    /// <summary>A mobile no earlier iteration or run used (+44 7 then 9 digits from a counter seeded by the clock).</summary>
    public static string NextMobile() => "+447" + (Interlocked.Increment(ref _sequence) % 1_000_000_000).ToString("D9", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The iteration a phase repeats; <paramref name="from"/> is when it started or, open loop, was scheduled to.</summary>
    public delegate Task Iteration(Recorder recorder, long from, CancellationToken cancellationToken);

    public Iteration For(string scenario) => scenario switch
    {
        RegisterScenario => RegisterOnlyAsync,
        ReceiveScenario => ReceiveOnlyAsync,
        FlowScenario => FullFlowAsync,
        _ => throw new ArgumentOutOfRangeException(nameof(scenario), scenario, "unknown scenario"),
    };

    public const string RegisterScenario = "register";
    public const string ReceiveScenario = "receive";
    public const string FlowScenario = "flow";

    public async Task RegisterOnlyAsync(Recorder recorder, long from, CancellationToken cancellationToken)
    {
        if (await RegisterAsync(NextMobile(), recorder, cancellationToken, from) is not null) recorder.Complete();
    }

    public async Task ReceiveOnlyAsync(Recorder recorder, long from, CancellationToken cancellationToken)
    {
        // A well-formed SMS whose code is not live: accepted (202), then rejected by header_hash_check.
        if (await ReceiveAsync(NextMobile(), "ONBOARD:ZZZZZZZZ", recorder, cancellationToken, from) is not null) recorder.Complete();
    }

    public async Task FullFlowAsync(Recorder recorder, long from, CancellationToken cancellationToken)
    {
        var started = from;
        var mobile = NextMobile();
        if (await RegisterAsync(mobile, recorder, cancellationToken) is not { } code) return;

        var verifying = Stopwatch.GetTimestamp();
        if (await ReceiveAsync(mobile, "ONBOARD:" + code, recorder, cancellationToken) is not { } messageId) return;
        var outcome = await outcomes.OutcomeAsync(messageId).WaitAsync(StepTimeout, cancellationToken);
        if (outcome != "verified")
        {
            recorder.Error("sms " + outcome);
            return;
        }

        recorder.Latency(Verified, verifying);
        var delivered = webhooks.Expect(mobile);
        var pinStarted = Stopwatch.GetTimestamp();
        using (var response = await backend.PostAsJsonAsync("/pin-setup", new { mobile_number = mobile, pin = "2468", hash = code }, cancellationToken))
        {
            recorder.Latency(PinSetup, pinStarted);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                webhooks.Forget(mobile);
                await ErrorAsync(recorder, PinSetup, response, cancellationToken);
                return;
            }
        }

        var deliveryStarted = Stopwatch.GetTimestamp();
        try
        {
            await delivered.WaitAsync(StepTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            webhooks.Forget(mobile);
            recorder.Error("webhook not delivered in 30 s");
            return;
        }

        recorder.Latency(Delivered, deliveryStarted);
        recorder.Latency(Flow, started);
        recorder.Complete();
    }

    private async Task<string?> RegisterAsync(string mobile, Recorder recorder, CancellationToken cancellationToken, long? from = null)
    {
        var started = from ?? Stopwatch.GetTimestamp();
        using var response = await backend.PostAsJsonAsync("/onboarding/register", new { mobile_number = mobile }, cancellationToken);
        recorder.Latency(Register, started);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            await ErrorAsync(recorder, Register, response, cancellationToken);
            return null;
        }

        using var body = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellationToken));
        return body.RootElement.GetProperty("hash").GetString();
    }

    private async Task<Guid?> ReceiveAsync(string mobile, string message, Recorder recorder, CancellationToken cancellationToken, long? from = null)
    {
        var started = from ?? Stopwatch.GetTimestamp();
        using var response = await gateway.PostAsJsonAsync("/sms/receive",
            new { mobile_number = mobile, message, received_at = DateTime.UtcNow.ToString("O") }, cancellationToken);
        recorder.Latency(Receive, started);
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            await ErrorAsync(recorder, Receive, response, cancellationToken);
            return null;
        }

        using var body = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellationToken));
        return body.RootElement.GetProperty("message_id").GetGuid();
    }

    private static readonly TimeSpan MaxBackOff = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Closed loop: a client waits out a 503's Retry-After (up to 5 s) as a gateway phone would, rather than retrying in a
    /// tight loop. Open loop sends on its schedule regardless, so there it is off.
    /// </summary>
    public bool ObeyRetryAfter { get; init; } = true;

    private async Task ErrorAsync(Recorder recorder, string operation, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var code = "";
        try
        {
            using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            code = problem.RootElement.TryGetProperty("code", out var c) ? " " + c.GetString() : "";
        }
        catch (JsonException)
        {
        }

        recorder.Error($"{operation} {(int)response.StatusCode}{code}");

        if (ObeyRetryAfter && response.StatusCode == HttpStatusCode.ServiceUnavailable && response.Headers.RetryAfter?.Delta is { } wait)
        {
            await Task.Delay(wait < MaxBackOff ? wait : MaxBackOff, cancellationToken);
        }
    }

    /// <summary>One connection pool per role, sized to the client count, all to the receiver's loopback endpoint.</summary>
    public static HttpClient Client(Uri baseAddress, int connections, Action<HttpRequestHeaders> authenticate)
    {
        var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };
        authenticate(client.DefaultRequestHeaders);
        return client;
    }

    public void Dispose()
    {
        backend.Dispose();
        gateway.Dispose();
    }
}
