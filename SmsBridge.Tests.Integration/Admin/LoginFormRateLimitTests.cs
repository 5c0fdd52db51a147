using System.Net;

namespace SmsBridge.Tests.Admin;

/// <summary>Exhausts the login form's per-address budget, from an address of its own (the graph's other tests post from loopback).</summary>
[Collection(AdminPolicyGraphCollection.Name)]
public sealed class LoginFormRateLimitTests(AdminPolicyGraphFixture graph)
{
    [Fact]
    public async Task The_login_form_answers_429_once_an_address_posts_too_often()
    {
        using var client = graph.App.CreateHttpClient("admin", "http");
        client.DefaultRequestHeaders.Add("X-Forwarded-For", "10.20.30.40");

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i <= AdminPolicyGraphFixture.FormPostsPerMinute; i++)
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

        Assert.DoesNotContain(HttpStatusCode.TooManyRequests, statuses.Take(AdminPolicyGraphFixture.FormPostsPerMinute));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[AdminPolicyGraphFixture.FormPostsPerMinute]);
        // The page itself (GET) is never limited.
        using var page = await client.GetAsync("/login");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }
}
