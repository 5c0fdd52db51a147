using System.Net;
using System.Text.Json;
using Aspire.Hosting.Testing;
using SmsBridge.Tests.Infrastructure;

namespace SmsBridge.Tests.Foundation;

public sealed class AspireGraphTests
{
    [Fact]
    public async Task Whole_graph_under_aspire_reports_healthy()
    {
        await using var app = await TestGraph.StartAsync();
        foreach (var service in new[] { "receiver", "admin", "backup" })
        {
            using var client = app.CreateHttpClient(service, "http");
            using var response = await client.GetAsync(new Uri("/health", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal("healthy", body.RootElement.GetProperty("status").GetString());
        }
    }
}
