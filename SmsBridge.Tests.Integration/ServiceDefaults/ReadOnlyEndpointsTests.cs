using System.Net;
using SmsBridge.Tests.Infrastructure;

namespace SmsBridge.Tests.ServiceDefaults;

/// <summary><c>/health</c>, <c>/alive</c> and <c>/metrics</c> of every service answer GET and HEAD, and 405 to anything else.</summary>
[Collection(GraphCollection.Name)]
public sealed class ReadOnlyEndpointsTests(GraphFixture graph)
{
    private static readonly HttpMethod[] Writes = [HttpMethod.Post, HttpMethod.Put, HttpMethod.Delete, HttpMethod.Patch, HttpMethod.Options, new("PROPFIND")];

    public static TheoryData<string, string, string> Endpoints()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var service in new[] { "receiver", "admin", "backup" })
        {
            data.Add(service, "http", "/health");
            data.Add(service, "http", "/alive");
            data.Add(service, "management", "/health");
            data.Add(service, "management", "/metrics");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Other_methods_get_405_with_allow_and_the_contracts_problem(string service, string endpoint, string path)
    {
        using var client = graph.App.CreateHttpClient(service, endpoint);

        foreach (var method in new[] { HttpMethod.Get, HttpMethod.Head })
        {
            using var read = await client.SendAsync(new HttpRequestMessage(method, path));
            Assert.True(read.StatusCode == HttpStatusCode.OK, $"{method} {service}:{endpoint}{path} → {(int)read.StatusCode}");
        }

        foreach (var method in Writes)
        {
            using var request = new HttpRequestMessage(method, path) { Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json") };
            using var response = await client.SendAsync(request);

            Assert.True(response.StatusCode == HttpStatusCode.MethodNotAllowed, $"{method} {service}:{endpoint}{path} → {(int)response.StatusCode}");
            Assert.Equal(["GET", "HEAD"], response.Content.Headers.Allow.Concat(response.Headers.TryGetValues("Allow", out var allow) ? allow : [])
                .SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries)).Distinct());
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            using var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal("METHOD_NOT_ALLOWED", body.RootElement.GetProperty("code").GetString());
            Assert.Equal(405, body.RootElement.GetProperty("status").GetInt32());
            Assert.True(body.RootElement.TryGetProperty("timestamp", out _));
        }

        // A trailing slash or another case reaches the same endpoint, and is refused the same way.
        using var variant = await client.PostAsync(new Uri(path.ToUpperInvariant() + "/", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, variant.StatusCode);
    }

    [Fact]
    public async Task Metrics_stays_unknown_on_the_public_port_whatever_the_method()
    {
        using var client = graph.App.CreateHttpClient("receiver", "http");
        using var get = await client.GetAsync(new Uri("/metrics", UriKind.Relative));
        using var post = await client.PostAsync(new Uri("/metrics", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
    }
}
