using System.Text.Json;
using SmsBridge.Tests.Infrastructure;

namespace SmsBridge.Tests.Foundation;

[Collection(OutageGraphCollection.Name)]
public sealed class RedisOutageTests(GraphFixture graph)
{
    [Fact]
    public async Task Receiver_health_degrades_while_Redis_is_down_and_recovers_when_it_is_back()
    {
        var app = graph.App;
        using var receiver = app.CreateHttpClient("receiver", "http");

        await app.KillAsync("cache");

        await Eventually.TrueAsync(async () => await HealthAsync(receiver) is ("degraded" or "unhealthy", "degraded" or "unhealthy"),
            TimeSpan.FromSeconds(30), "receiver /health reports Redis down");

        await app.RestartResourceAsync("cache");

        await Eventually.TrueAsync(async () => await HealthAsync(receiver) is ("healthy", "healthy"),
            TimeSpan.FromSeconds(30), "receiver /health recovers with Redis");
    }

    private static async Task<(string? Status, string? Redis)> HealthAsync(HttpClient client)
    {
        using var response = await client.GetAsync(new Uri("/health", UriKind.Relative));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (body.RootElement.GetProperty("status").GetString(),
            body.RootElement.GetProperty("checks").GetProperty("redis").GetString());
    }
}
