using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;

namespace SmsBridge.Tests.Admin;

/// <summary>
/// With <c>Admin:Login:RequireSecondFactor</c> on (the policy graph, since it changes every account), an operator who
/// has not enrolled can do nothing but enrol: the API answers 403 <c>SECOND_FACTOR_ENROLMENT_REQUIRED</c>, the UI leads
/// to the account page, and no token can be made to get around it.
/// </summary>
[Collection(AdminPolicyGraphCollection.Name)]
public sealed partial class SecondFactorRequiredTests(AdminPolicyGraphFixture graph)
{
    private const string User = "must-enrol";
    private const string Password = "must-enrol-password";

    private DistributedApplication App => graph.App;

    [Fact]
    public async Task An_operator_without_a_second_factor_can_only_enrol_until_it_is_on()
    {
        var connectionString = await App.GetConnectionStringAsync("smsbridge");
        var (exit, _, error) = await AdminGraphFixture.RunCliAsync(App, connectionString, Password, "create-admin", "--username", User);
        Assert.True(exit == 0, error);
        using var basic = App.CreateHttpClient("admin", "http");
        basic.DefaultRequestHeaders.Authorization = new("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{User}:{Password}")));

        await AdminTestKit.ProblemAsync(await basic.GetAsync("/admin/settings"), HttpStatusCode.Forbidden, "SECOND_FACTOR_ENROLMENT_REQUIRED");
        await AdminTestKit.ProblemAsync(await basic.PostAsJsonAsync("/admin/account/tokens", new { name = "bypass" }),
            HttpStatusCode.Forbidden, "SECOND_FACTOR_ENROLMENT_REQUIRED");
        var account = await AdminTestKit.JsonAsync(await basic.GetAsync("/admin/account"), HttpStatusCode.OK);
        Assert.True(account.GetProperty("second_factor").GetProperty("required").GetBoolean());

        // The web UI: the password signs in, but only to the account page.
        var cookies = new System.Net.CookieContainer();
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = App.HttpEndpoint("admin") };
        var form = await browser.GetStringAsync("/login");
        var antiforgery = AntiforgeryField().Match(form).Groups[1].Value;
        using var signedIn = await browser.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Username"] = User, ["Password"] = Password, ["__RequestVerificationToken"] = antiforgery,
        }));
        Assert.Equal("/account", signedIn.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Contains("requires two-step sign-in", await signedIn.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var settings = await browser.GetAsync("/settings");
        Assert.Equal("/account", settings.RequestMessage!.RequestUri!.AbsolutePath);

        // Enrolled: the gate lifts, and Basic (which cannot carry a code) now asks for a token instead.
        var enrolment = await AdminTestKit.JsonAsync(await basic.PostAsync("/admin/account/second-factor", null), HttpStatusCode.OK);
        var phone = new AuthenticatorApp(enrolment.GetProperty("key").GetString()!);
        await AdminTestKit.JsonAsync(await basic.PostAsJsonAsync("/admin/account/second-factor/confirm", new { code = await phone.NextCodeAsync() }),
            HttpStatusCode.OK);
        await AdminTestKit.ProblemAsync(await basic.GetAsync("/admin/settings"), HttpStatusCode.Unauthorized, "SECOND_FACTOR_REQUIRED");
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
