using System.Net;
using System.Net.Http.Json;
using Microsoft.Playwright;
using SmsBridge.Tests.Infrastructure;

namespace SmsBridge.Tests.Admin;

/// <summary>
/// The admin service while PostgreSQL or Redis is down, on the admin graph the browser tests share (they run one after another;
/// each outage ends with the server restarted and the kit's pooled connections to the old one dropped). Without
/// PostgreSQL every call that needs it answers 503 with Retry-After: the API as problem+json, wherever it fails (an endpoint
/// behind a cookie session, or HTTP Basic itself, which reads the account), and the pages and the login form as a readable
/// page in the layout; once it is back, the same calls work. Redis holds nothing the admin service needs: without it the
/// API and the pages keep working and only the overview's health and doctor, the two places that ask Redis, report it down.
/// </summary>
[Collection(AdminGraphCollection.Name)]
public sealed class AdminOutageTests(AdminGraphFixture graph)
{
    private const string Admin = "admin";

    private string Password => graph.App.Secret("admin-password");

    [Fact]
    public async Task Without_postgres_the_api_and_the_pages_answer_503_with_retry_after_and_work_again_once_it_is_back()
    {
        var app = graph.App;
        using var session = await AdminSession.SignedInAsync(app, Admin, Password);
        using var basic = AdminSession.Basic(app, Admin, Password);
        using var visitor = AdminSession.Anonymous(app);
        var token = await visitor.LoginTokenAsync();
        var mobile = VerificationFlow.NewMobile("+447704");
        var browser = new BrowserSession("admin-outage");
        await browser.InitializeAsync();
        try
        {
            var operatorPage = await SignedInPageAsync(browser);

            await app.StopResourceAsync("postgres");
            try
            {
                await UnavailableApiAndPagesAsync(session, basic, visitor, token, mobile);

                // What an operator sees in Chromium: the layout with its navigation, and what is down.
                await operatorPage.GotoAsync(Url("/settings"));
                await browser.ExpectAsync(operatorPage, operatorPage.GetByRole(AriaRole.Heading, new() { Name = "Temporarily unavailable", Level = 1 }),
                    "the outage page");
                await browser.ExpectAsync(operatorPage, operatorPage.GetByText("PostgreSQL (the database) is not answering"), "what is down");
                await browser.ExpectAsync(operatorPage, operatorPage.GetByRole(AriaRole.Link, new() { Name = "Settings" }), "the navigation");
                await browser.ScreenshotAsync(operatorPage, "admin-postgres-down");
            }
            finally
            {
                await app.RestartResourceAsync("postgres");
                graph.Database.Clear();
            }

            await WorkingAgainAsync(session, basic, visitor, mobile);
            await operatorPage.GotoAsync(Url("/settings"));
            await browser.ExpectAsync(operatorPage, operatorPage.GetByRole(AriaRole.Heading, new() { Name = "Settings", Level = 1 }), "the settings page");
        }
        finally
        {
            await browser.DisposeAsync();
        }
    }

    private async Task UnavailableApiAndPagesAsync(AdminSession session, HttpClient basic, AdminSession visitor, string token, string mobile)
    {
        using (var read = await session.Client.GetAsync(new Uri("/admin/settings", UriKind.Relative)))
        {
            await UnavailableProblemAsync(read);
        }

        using (var write = await session.Client.PostAsJsonAsync("/admin/blacklist", new { mobile_number = mobile, reason = "outage test" }))
        {
            await UnavailableProblemAsync(write);
        }

        using (var scripted = await basic.GetAsync(new Uri("/admin/settings", UriKind.Relative)))
        {
            await UnavailableProblemAsync(scripted);
        }

        using (var page = await session.Client.GetAsync(new Uri("/blacklist", UriKind.Relative)))
        {
            await UnavailablePageAsync(page, "PostgreSQL");
        }

        using (var login = await visitor.PostLoginAsync(token, Admin, Password))
        {
            await UnavailablePageAsync(login, "PostgreSQL");
        }
    }

    private async Task WorkingAgainAsync(AdminSession session, HttpClient basic, AdminSession visitor, string mobile)
    {
        // The pool reconnects by itself; the first calls after the restart may still find the old connections gone.
        await Eventually.TrueAsync(async () =>
        {
            using var read = await basic.GetAsync(new Uri("/admin/settings", UriKind.Relative));
            return read.StatusCode == HttpStatusCode.OK;
        }, TimeSpan.FromSeconds(30), "the admin API reads settings again");
        using (var read = await session.Client.GetAsync(new Uri("/admin/settings", UriKind.Relative)))
        {
            await AdminTestKit.JsonAsync(read, HttpStatusCode.OK);
        }

        using (var write = await session.Client.PostAsJsonAsync("/admin/blacklist", new { mobile_number = mobile, reason = "outage test" }))
        {
            await AdminTestKit.JsonAsync(write, HttpStatusCode.Created);
        }

        using (var page = await session.Client.GetAsync(new Uri("/blacklist", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Contains(mobile[1..], await page.Content.ReadAsStringAsync(), StringComparison.Ordinal); // Razor writes "+" as &#x2B;
        }

        using (var login = await visitor.PostLoginAsync(await visitor.LoginTokenAsync(), Admin, Password))
        {
            Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        }
    }

    private string Url(string path) => new Uri(graph.App.HttpEndpoint("admin"), path).ToString();

    private async Task<IPage> SignedInPageAsync(BrowserSession browser)
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync(Url("/login"));
        await page.GetByLabel("Username").FillAsync(Admin);
        await page.GetByLabel("Password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await browser.ExpectAsync(page, page.GetByRole(AriaRole.Heading, new() { Name = "Overview", Level = 1 }), "the overview after sign-in");
        return page;
    }

    [Fact]
    public async Task Without_redis_the_admin_service_keeps_working_and_the_overview_and_doctor_say_redis_is_down()
    {
        var app = graph.App;
        using var session = await AdminSession.SignedInAsync(app, Admin, Password);
        using var basic = AdminSession.Basic(app, Admin, Password);
        var mobile = VerificationFlow.NewMobile("+447704");

        await app.KillAsync("cache");
        try
        {
            using (var read = await basic.GetAsync(new Uri("/admin/settings", UriKind.Relative)))
            {
                await AdminTestKit.JsonAsync(read, HttpStatusCode.OK);
            }

            using (var write = await session.Client.PostAsJsonAsync("/admin/blacklist", new { mobile_number = mobile, reason = "redis outage test" }))
            {
                await AdminTestKit.JsonAsync(write, HttpStatusCode.Created);
            }

            using (var page = await session.Client.GetAsync(new Uri("/blacklist", UriKind.Relative)))
            {
                Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            }

            using (var overview = await session.Client.GetAsync(new Uri("/", UriKind.Relative)))
            {
                Assert.Equal(HttpStatusCode.OK, overview.StatusCode);
                Assert.Matches("<th scope=\"row\">redis</th><td><span class=\"status status-(degraded|unhealthy)\">",
                    await overview.Content.ReadAsStringAsync());
            }

            using (var doctor = await basic.GetAsync(new Uri("/admin/doctor", UriKind.Relative)))
            {
                var report = await AdminTestKit.JsonAsync(doctor, HttpStatusCode.OK);
                Assert.Contains(report.GetProperty("results").EnumerateArray(),
                    r => r.GetProperty("id").GetString()!.StartsWith("redis", StringComparison.Ordinal) && r.GetProperty("status").GetString() == "fail");
            }
        }
        finally
        {
            await app.RestartResourceAsync("cache");
        }

        using (var overview = await session.Client.GetAsync(new Uri("/", UriKind.Relative)))
        {
            Assert.Matches("<th scope=\"row\">redis</th><td><span class=\"status status-healthy\">", await overview.Content.ReadAsStringAsync());
        }
    }

    private static async Task UnavailableProblemAsync(HttpResponseMessage response)
    {
        var problem = await AdminTestKit.ProblemAsync(response, HttpStatusCode.ServiceUnavailable, "SERVICE_UNAVAILABLE");
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
        Assert.Contains("database", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private static async Task UnavailablePageAsync(HttpResponseMessage response, string dependency)
    {
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"expected 503, got {(int)response.StatusCode}: {html}");
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
        Assert.Contains("<title>Temporarily unavailable · SMS Bridge admin</title>", html, StringComparison.Ordinal); // the layout's
        Assert.Contains($"{dependency} (the database) is not answering", html, StringComparison.Ordinal);
        Assert.Contains("Try again in 5 seconds", html, StringComparison.Ordinal);
    }
}
