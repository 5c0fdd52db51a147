using System.Net;
using System.Text.Json;

namespace SmsBridge.Tests.Foundation;

[LongRunning] // two graphs of its own, one that fails to start
public sealed class GraphLifecycleTests
{
    [Fact]
    public async Task Whole_graph_reports_healthy_then_leaves_no_process_behind()
    {
        var app = await TestGraph.StartAsync();
        HashSet<int> processes;
        var data = app.DataDirectory();
        try
        {
            foreach (var service in new[] { "receiver", "admin", "backup" })
            {
                using var client = app.CreateHttpClient(service, "http");
                using var response = await client.GetAsync(new Uri("/health", UriKind.Relative));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                Assert.Equal("healthy", body.RootElement.GetProperty("status").GetString());
                Assert.Equal($"sms-bridge-{service}", body.RootElement.GetProperty("service").GetString());
                var checks = body.RootElement.GetProperty("checks");
                Assert.Equal("healthy", checks.GetProperty("database").GetString());
                Assert.Equal("healthy", checks.GetProperty("redis").GetString());
            }

            var pids = new List<int>();
            foreach (var name in TestGraph.ResourceNames) pids.Add(await app.ProcessIdAsync(name));
            processes = ProcessTable.WithDescendants(pids);
            Assert.True(processes.Count >= 5, "postgres (with its workers), redis and three services run");
        }
        finally
        {
            await app.DisposeAsync();
        }

        // DCP stops them after dispose returns (the test graphs do not wait for its cleanup).
        await Eventually.TrueAsync(() => Task.FromResult(!processes.Any(ProcessTable.IsAlive)), TimeSpan.FromSeconds(30),
            "no process of the graph left running after dispose");
        Assert.False(Directory.Exists(data), "the test's data folder is removed");
    }

    [Fact]
    public async Task A_service_that_cannot_start_fails_fast_naming_the_resource_and_its_last_log_lines()
    {
        // No database for the receiver: it refuses to start, saying which variable to set.
        var error = await Assert.ThrowsAnyAsync<Exception>(() =>
            TestGraph.StartAsync(b => b.Project("receiver").WithEnvironment("ConnectionStrings__smsbridge", "")));

        Assert.Contains("'receiver'", error.Message, StringComparison.Ordinal);
        Assert.True(error.Message.Contains("ConnectionStrings__smsbridge", StringComparison.Ordinal), error.Message);
    }
}
