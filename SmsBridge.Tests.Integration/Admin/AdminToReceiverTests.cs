using System.Net;
using System.Net.Http.Json;
using SmsBridge.Tests.Infrastructure;

namespace SmsBridge.Tests.Admin;

/// <summary>What operators change through the admin API reaches the receiver's validation within the contract's bound.</summary>
[Collection(AdminGraphCollection.Name)]
public sealed class AdminToReceiverTests(AdminGraphFixture graph)
{
    [Fact]
    public async Task Blacklisting_through_the_admin_api_rejects_the_mobiles_sms_within_two_seconds_and_removal_lets_it_verify()
    {
        using var flow = new VerificationFlow(graph.App);
        using var admin = graph.CreateClient();
        var mobile = VerificationFlow.NewMobile();
        var code = await flow.RegisterAsync(mobile);

        await AdminTestKit.JsonAsync(await admin.PostAsJsonAsync("/admin/blacklist", new { mobile_number = mobile, reason = "admin to receiver" }),
            HttpStatusCode.Created);
        await Task.Delay(TimeSpan.FromSeconds(2)); // the contract's bound for the receivers' caches to follow
        Assert.Equal("rejected:blacklist_check", await flow.OutcomeAsync(await flow.ReceiveAsync(mobile, "ONBOARD:" + code)));

        await AdminTestKit.JsonAsync(await admin.DeleteAsync($"/admin/blacklist/{Uri.EscapeDataString(mobile)}"), HttpStatusCode.OK);
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal("verified", await flow.OutcomeAsync(await flow.ReceiveAsync(mobile, "ONBOARD:" + await flow.RegisterAsync(mobile),
            DateTimeOffset.UtcNow.AddSeconds(1))));
    }

    [Fact]
    public async Task A_settings_version_and_its_rollback_reach_the_receiver()
    {
        using var flow = new VerificationFlow(graph.App);
        using var admin = graph.CreateClient();
        var before = await AdminTestKit.JsonAsync(await admin.GetAsync("/admin/settings"), HttpStatusCode.OK);
        var mobile = VerificationFlow.NewMobile();

        await AdminTestKit.JsonAsync(await admin.PostAsJsonAsync("/admin/settings",
            new { settings = new { allowed_countries = new[] { "+91" } }, change_note = "tests: India only" }), HttpStatusCode.Created);
        await Task.Delay(TimeSpan.FromSeconds(2));
        using (var refused = await flow.Backend.PostAsJsonAsync("/onboarding/register", new { mobile_number = mobile }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        await AdminTestKit.JsonAsync(await admin.PostAsJsonAsync($"/admin/settings/{before.GetProperty("version").GetInt32()}/activate",
            new { change_note = "tests: back to the previous countries" }), HttpStatusCode.OK);
        await Task.Delay(TimeSpan.FromSeconds(2));
        await flow.VerifyAsync(mobile); // asserts the SMS verifies
    }

    [Fact]
    public async Task Refusing_non_mobile_numbers_stops_the_registration_of_landlines_and_unassigned_numbers_until_switched_off()
    {
        using var flow = new VerificationFlow(graph.App);
        using var admin = graph.CreateClient();
        var before = await AdminTestKit.JsonAsync(await admin.GetAsync("/admin/settings"), HttpStatusCode.OK);
        Assert.False(before.GetProperty("settings").GetProperty("refuse_non_mobile_numbers").GetBoolean());
        var unique = VerificationFlow.NewMobile()[^6..];
        var mobile = "+447400" + unique; // an assigned GB mobile range
        var drama = "+447700900" + unique[^3..]; // possible, but kept free for fiction: not an assigned number
        const string landline = "+442079460000"; // a London landline, used by no other test

        await AdminTestKit.JsonAsync(await admin.PostAsJsonAsync("/admin/settings",
            new { settings = new { refuse_non_mobile_numbers = true }, change_note = "tests: mobiles only" }), HttpStatusCode.Created);
        await Task.Delay(TimeSpan.FromSeconds(2)); // the contract's bound for the receivers' settings to follow
        foreach (var refused in new[] { drama, landline })
        {
            using var response = await flow.Backend.PostAsJsonAsync("/onboarding/register", new { mobile_number = refused });
            await AdminTestKit.ProblemAsync(response, HttpStatusCode.BadRequest, "VALIDATION_ERROR", "mobile_number");
        }

        await flow.RegisterAsync(mobile);

        await AdminTestKit.JsonAsync(await admin.PostAsJsonAsync($"/admin/settings/{before.GetProperty("version").GetInt32()}/activate",
            new { change_note = "tests: any possible number again" }), HttpStatusCode.OK);
        await Task.Delay(TimeSpan.FromSeconds(2));
        await flow.VerifyAsync(landline); // asserts the SMS verifies
    }
}
