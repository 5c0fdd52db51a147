using System.Net;
using System.Text.Json;
using SmsBridge.AppHost.Hosting;
using SmsBridge.Tests.Infrastructure;

namespace SmsBridge.Tests.Foundation;

public sealed class GraphLifecycleTests
{
    [Fact]
    public async Task Whole_graph_reports_healthy_then_leaves_no_process_behind()
    {
        var app = DistributedApplicationTestingBuilder.Create().Build();
        HashSet<int> processes;
        try
        {
            await app.StartAsync().WaitAsync(TimeSpan.FromMinutes(3));

            foreach (var service in new[] { "receiver", "admin", "backup" })
            {
                using var client = app.CreateHttpClient(service);
                using var response = await client.GetAsync(new Uri("/health", UriKind.Relative));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                Assert.Equal("healthy", body.RootElement.GetProperty("status").GetString());
                Assert.Equal($"sms-bridge-{service}", body.RootElement.GetProperty("service").GetString());
                var checks = body.RootElement.GetProperty("checks");
                Assert.Equal("healthy", checks.GetProperty("database").GetString());
                Assert.Equal("healthy", checks.GetProperty("redis").GetString());
            }

            processes = ProcessTable.WithDescendants(app.Resources.OfType<ProcessResource>().Select(r => r.ProcessId!.Value));
            Assert.True(processes.Count >= 5, "postgres (with its workers), redis and three services run");
        }
        finally
        {
            await app.DisposeAsync();
        }

        var alive = processes.Where(ProcessTable.IsAlive).ToList();
        Assert.True(alive.Count == 0, $"processes left running after dispose: {string.Join(", ", alive)}");
        Assert.False(Directory.Exists(app.Options.DataDirectory), "the test's data folder is removed");
    }

    [Fact]
    public async Task A_service_that_cannot_start_fails_fast_naming_the_resource_and_its_last_log_lines()
    {
        var builder = DistributedApplicationTestingBuilder.Create(o => o.DeclareGraph = false);
        var cache = builder.AddRedis("cache");
        builder.AddProject("receiver", "SmsBridge.Receiver").WithReference(cache).WaitFor(cache); // no database: refuses to start
        await using var app = builder.Build();

        var error = await Assert.ThrowsAsync<ResourceFailedException>(() => app.StartAsync());

        Assert.Contains("'receiver'", error.Message, StringComparison.Ordinal);
        Assert.Contains("ConnectionStrings__smsbridge", error.Message, StringComparison.Ordinal);
    }
}
