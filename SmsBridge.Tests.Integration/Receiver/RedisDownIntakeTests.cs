using System.Net;
using SmsBridge.Tests.Infrastructure;

namespace SmsBridge.Tests.Receiver;

/// <summary>Without Redis, SMS are still accepted and committed; they are validated, oldest first, when it returns.</summary>
[Collection(OutageGraphCollection.Name)]
public sealed class RedisDownIntakeTests(GraphFixture graph)
{
    [Fact]
    public async Task Receive_is_accepted_while_redis_is_stopped_and_verified_after_it_restarts()
    {
        var app = graph.App;
        using var flow = new VerificationFlow(app);
        var mobile = VerificationFlow.NewMobile();
        var code = await flow.RegisterAsync(mobile);

        await app.StopResourceAsync("cache");

        var id = await flow.ReceiveAsync(mobile, "ONBOARD:" + code);
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal("pending", await flow.ScalarAsync<string>("SELECT outcome FROM sms_inbox WHERE id = $1", id));

        using var register = await flow.Backend.PostAsJsonAsync("/onboarding/register", new { mobile_number = VerificationFlow.NewMobile() });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, register.StatusCode);
        Assert.Equal("SERVICE_UNAVAILABLE", await VerificationFlowTests.ProblemCodeAsync(register));
        Assert.NotNull(register.Headers.RetryAfter);
        using var pinSetup = await flow.PinSetupAsync(mobile, "1234", code);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, pinSetup.StatusCode);

        await app.RestartResourceAsync("cache");

        Assert.Equal("verified", await flow.OutcomeAsync(id, TimeSpan.FromSeconds(30)));
        using var completed = await flow.PinSetupAsync(mobile, "1234", code);
        Assert.Equal(HttpStatusCode.OK, completed.StatusCode);
    }
}
