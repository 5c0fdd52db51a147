using System.Net;

namespace SmsBridge.Tests.Admin;

/// <summary>Exhausts the login form's per-address budget, so it runs on a graph of its own.</summary>
public sealed class LoginFormRateLimitTests
{
    [Fact]
    public async Task The_login_form_answers_429_once_an_address_posts_too_often()
    {
        await using var app = await TestGraph.StartAsync(b => b.Project("admin").WithEnvironment("Admin__Login__FormPostsPerMinutePerAddress", "3"));
        using var client = app.CreateHttpClient("admin", "http");

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["Username"] = "admin", ["Password"] = "guess-" + i });
            using var response = await client.PostAsync("/login", form);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                await AdminTestKit.ProblemAsync(response, HttpStatusCode.TooManyRequests, "RATE_LIMITED");
                Assert.NotNull(response.Headers.RetryAfter);
            }
        }

        Assert.DoesNotContain(HttpStatusCode.TooManyRequests, statuses.Take(3));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[3]);
        // The page itself (GET) is never limited.
        using var page = await client.GetAsync("/login");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }
}
