using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Polly;

namespace SmsBridge.Tests.ServiceDefaults;

/// <summary>The standard resilience handler and service discovery every HttpClient gets, against a real local Kestrel stub.</summary>
public sealed class ResiliencePipelineTests : IAsyncLifetime
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<DateTimeOffset>> _hits = new();
    private WebApplication _stub = null!;
    private IHost _client = null!;
    private readonly int _port = FreePorts.Next();

    public async Task InitializeAsync()
    {
        var stub = WebApplication.CreateSlimBuilder();
        stub.Logging.ClearProviders();
        stub.WebHost.UseUrls($"http://127.0.0.1:{_port}");
        _stub = stub.Build();
        _stub.MapGet("/{scenario}", (string scenario, HttpContext context) =>
        {
            var hits = _hits.GetOrAdd(scenario, _ => new());
            hits.Enqueue(DateTimeOffset.UtcNow);
            switch (scenario)
            {
                case "flaky" when hits.Count <= 2:
                    return Results.StatusCode(503);
                case "drop" when hits.Count == 1:
                    context.Abort();
                    return Results.Empty;
                case "retry-after" when hits.Count == 1:
                    context.Response.Headers.RetryAfter = "1";
                    return Results.StatusCode(503);
                case "down":
                    return Results.StatusCode(500);
                default:
                    return Results.Ok("fine");
            }
        });
        await _stub.StartAsync();

        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["services:stub:http:0"] = $"http://127.0.0.1:{_port}";
        builder.AddServiceDefaults();
        builder.Services.AddHttpClient("stub", c => c.BaseAddress = new Uri($"http://127.0.0.1:{_port}"));
        // Every standard handler of this host (the defaults put one on each client), tuned so the test runs in seconds.
        builder.Services.ConfigureAll<HttpStandardResilienceOptions>(o =>
        {
            o.Retry.Delay = TimeSpan.FromMilliseconds(50);
            o.CircuitBreaker.MinimumThroughput = 5;
            o.CircuitBreaker.FailureRatio = 0.5;
            o.CircuitBreaker.BreakDuration = TimeSpan.FromSeconds(30);
            // Roomy enough for a loaded machine, and shorter than the break, so a call during it ends in the total timeout.
            o.AttemptTimeout.Timeout = TimeSpan.FromSeconds(3);
            o.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(10);
        });
        _client = builder.Build();
    }

    private HttpClient Client => _client.Services.GetRequiredService<IHttpClientFactory>().CreateClient("stub");

    [Fact]
    public async Task A_503_is_retried_until_it_succeeds()
    {
        using var response = await Client.GetAsync(new Uri("/flaky", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, _hits["flaky"].Count);
    }

    [Fact]
    public async Task Logical_service_names_resolve_from_aspire_style_configuration()
    {
        using var client = _client.Services.GetRequiredService<IHttpClientFactory>().CreateClient();
        using var response = await client.GetAsync(new Uri("http://stub/discovered"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(_hits["discovered"]);
    }

    [Fact]
    public async Task A_dropped_connection_is_retried()
    {
        using var response = await Client.GetAsync(new Uri("/drop", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, _hits["drop"].Count);
    }

    [Fact]
    public async Task Retry_after_is_honoured()
    {
        using var response = await Client.GetAsync(new Uri("/retry-after", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var hits = _hits["retry-after"].ToArray();
        Assert.Equal(2, hits.Length);
        // The server asked for one second; the jittered backoff alone would have come back after ~50 ms.
        Assert.True(hits[1] - hits[0] >= TimeSpan.FromMilliseconds(900), $"retried after {(hits[1] - hits[0]).TotalMilliseconds} ms");
    }

    [Fact]
    public async Task The_breaker_opens_after_repeated_failures_and_stops_calling_the_server()
    {
        var opened = false;
        for (var i = 0; i < 10 && !opened; i++)
        {
            try
            {
                using var response = await Client.GetAsync(new Uri("/down", UriKind.Relative));
                Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
            }
            catch (ExecutionRejectedException) // the open breaker's refusal, or the total timeout while the retry waits it out
            {
                opened = true;
            }
        }

        Assert.True(opened, "the circuit opened");
        var calls = _hits["down"].Count;
        await Assert.ThrowsAnyAsync<ExecutionRejectedException>(() => Client.GetAsync(new Uri("/down", UriKind.Relative)));
        Assert.Equal(calls, _hits["down"].Count);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _stub.DisposeAsync();
    }
}
