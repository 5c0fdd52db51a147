using System.Net;
using System.Net.Http.Headers;
using Microsoft.Playwright;
using SmsBridge.Tests.Infrastructure;

namespace SmsBridge.Tests.Admin;

/// <summary>
/// Two-step sign-in and API tokens in Debian's Chromium: enrol by the key under the QR code, sign in with a code, with a
/// wrong code and then a recovery code, and create and revoke a token that a script then uses.
/// </summary>
[Collection(AdminGraphCollection.Name)]
public sealed class AccountBrowserTests(AdminGraphFixture graph) : IAsyncLifetime
{
    private const string User = "browser-2fa";
    private const string Password = "browser-2fa-password";
    private readonly BrowserSession _browser = new("account");
    private readonly List<string> _consoleErrors = [];

    public Task InitializeAsync() => _browser.InitializeAsync();

    public Task DisposeAsync() => _browser.DisposeAsync();

    private async Task<IPage> SignInWithPasswordAsync()
    {
        var page = await _browser.NewPageAsync();
        page.Console += (_, message) =>
        {
            if (message.Type == "error") _consoleErrors.Add(message.Text);
        };
        await page.GotoAsync(graph.App.HttpEndpoint("admin") + "login");
        await page.GetByLabel("Username").FillAsync(User);
        await page.GetByLabel("Password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        return page;
    }

    private async Task SignOutAsync(IPage page)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await _browser.ExpectAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }), "the sign-in form");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task An_operator_enrols_signs_in_with_a_code_and_a_recovery_code_and_manages_a_token()
    {
        await graph.CreateAccountAsync(User, Password);

        // Enrol: the QR code is shown with the key under it; the code from the app turns it on and shows the recovery codes once.
        var page = await SignInWithPasswordAsync();
        await _browser.ExpectAsync(page, page.GetByRole(AriaRole.Heading, new() { Name = "Overview", Level = 1 }), "the overview");
        await page.GetByRole(AriaRole.Link, new() { Name = "Account" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Set up two-step sign-in" }).ClickAsync();
        await _browser.ExpectAsync(page, page.Locator("figure.qr svg"), "the QR code");
        await _browser.ScreenshotAsync(page, "enrol");
        var phone = new AuthenticatorApp(await page.Locator("#totp-key").InnerTextAsync());
        await page.GetByLabel("Code from the app").FillAsync(phone.WrongCode());
        await page.GetByRole(AriaRole.Button, new() { Name = "Turn on two-step sign-in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("does not match");
        await page.GetByLabel("Code from the app").FillAsync(await phone.NextCodeAsync());
        await page.GetByRole(AriaRole.Button, new() { Name = "Turn on two-step sign-in" }).ClickAsync();
        await _browser.ExpectAsync(page, page.Locator("#recovery-codes li"), "the recovery codes");
        var recoveryCodes = await page.Locator("#recovery-codes li").AllInnerTextsAsync();
        Assert.Equal(10, recoveryCodes.Count);
        await SignOutAsync(page);

        // The password alone now leads to the code step; the next code signs in.
        page = await SignInWithPasswordAsync();
        await _browser.ExpectAsync(page, page.GetByLabel("Code from your authenticator app, or a recovery code"), "the code step");
        Assert.EndsWith("/login/code", new Uri(page.Url).AbsolutePath, StringComparison.Ordinal);
        await page.GetByLabel("Code from your authenticator app, or a recovery code").FillAsync(await phone.NextCodeAsync());
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await _browser.ExpectAsync(page, page.GetByRole(AriaRole.Heading, new() { Name = "Overview", Level = 1 }), "the overview after the code");
        await SignOutAsync(page);

        // A wrong code is refused on the page; a recovery code (typed loosely) signs in once.
        page = await SignInWithPasswordAsync();
        var codeField = page.GetByLabel("Code from your authenticator app, or a recovery code");
        await codeField.FillAsync(phone.WrongCode());
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("That code is not right");
        await codeField.FillAsync(recoveryCodes[3].ToLowerInvariant().Replace("-", " "));
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await _browser.ExpectAsync(page, page.GetByRole(AriaRole.Heading, new() { Name = "Overview", Level = 1 }), "the overview after a recovery code");
        await page.GetByRole(AriaRole.Link, new() { Name = "Account" }).ClickAsync();
        await Assertions.Expect(page.Locator("#second-factor-status")).ToContainTextAsync("9 recovery code(s) left");

        // A token: created with a name, role and expiry, shown once, used by a script, revoked from the same page.
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("laptop scrape");
        await page.GetByLabel("Role", new() { Exact = true }).SelectOptionAsync("viewer");
        await page.GetByLabel("Expires in (days)").FillAsync("7");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create token" }).ClickAsync();
        await _browser.ExpectAsync(page, page.Locator("#new-token"), "the new token");
        var token = await page.Locator("#new-token").InnerTextAsync();
        using var script = graph.CreateClient(user: null);
        script.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.OK, (await script.GetAsync("/admin/monitoring/export-prometheus-config")).StatusCode);

        await page.ReloadAsync();
        Assert.Equal(0, await page.Locator("#new-token").CountAsync());
        await page.GetByRole(AriaRole.Button, new() { Name = "Revoke laptop scrape" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("The token is revoked");
        Assert.Equal(HttpStatusCode.Unauthorized, (await script.GetAsync("/admin/monitoring/export-prometheus-config")).StatusCode);
        await _browser.ScreenshotAsync(page, "account");

        Assert.Contains(await AdminTestKit.AuditAsync(graph.Database, "auth.recovery_code_used"), r => r.Actor == User);
        Assert.Contains(await AdminTestKit.AuditAsync(graph.Database, "auth.login", "password+totp"), r => r.Actor == User);
        // The pages answer a wrong code with 400/401 on purpose (Chromium logs those); what must not appear is a CSP refusal,
        // e.g. of the inline QR code.
        Assert.DoesNotContain(_consoleErrors, e => e.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase));
    }
}
