using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SmsBridge.Receiver.Delivery;

namespace SmsBridge.Tests.Delivery;

/// <summary>
/// The outbox owns webhook retries: the client one delivery attempt uses must send exactly one request, while every
/// other client keeps the standard resilience handler. Against a real Kestrel stub that always answers 503.
/// </summary>
public sealed class WebhookClientTests : IAsyncLifetime
{
    private readonly int _port = FreePorts.Next();
    private int _hits;
    private WebApplication _stub = null!;
    private IHost _receiver = null!;

    public async Task InitializeAsync()
    {
        var stub = WebApplication.CreateSlimBuilder();
        stub.Logging.ClearProviders();
        stub.WebHost.UseUrls($"http://127.0.0.1:{_port}");
        _stub = stub.Build();
        _stub.MapPost("/webhook", () =>
        {
            Interlocked.Increment(ref _hits);
            return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
        });
        await _stub.StartAsync();

        // The receiver's own registrations; never started, so the outbox workers stay idle.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing" });
        builder.AddServiceDefaults();
        builder.AddDelivery();
        builder.Services.ConfigureAll<Microsoft.Extensions.Http.Resilience.HttpStandardResilienceOptions>(
            o => o.Retry.Delay = TimeSpan.FromMilliseconds(10));
        _receiver = builder.Build();
    }

    [Fact]
    public async Task A_503_reaches_the_outbox_after_one_request_while_other_clients_retry()
    {
        var clients = _receiver.Services.GetRequiredService<IHttpClientFactory>();
        var target = new Uri($"http://127.0.0.1:{_port}/webhook");

        using (var response = await clients.CreateClient(WebhookSender.ClientName).PostAsync(target, null))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        }

        Assert.Equal(1, _hits);

        _hits = 0;
        using (var response = await clients.CreateClient("other").PostAsync(target, null))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        }

        Assert.Equal(4, _hits); // the standard handler's three retries, which the webhook client must not have
    }

    public async Task DisposeAsync()
    {
        _receiver.Dispose();
        await _stub.DisposeAsync();
    }
}
