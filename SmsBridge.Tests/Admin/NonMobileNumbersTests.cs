using System.Net;
using SmsBridge.Tests.Infrastructure;

namespace SmsBridge.Tests.Admin;

/// <summary>The setting refuse_non_mobile_numbers, switched through the admin API, as registration meets it.</summary>
[Collection(AdminGraphCollection.Name)]
public sealed class NonMobileNumbersTests(AdminGraphFixture graph)
{
    [Fact]
    public async Task With_the_setting_on_registration_refuses_landlines_and_unassigned_numbers_and_off_accepts_them_again()
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
