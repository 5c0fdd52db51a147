using System.Net;
using SmsBridge.Tests.Infrastructure;

namespace SmsBridge.Tests.Receiver;

/// <summary>
/// Intake's bound on the validation backlog (<c>Receiver:MaxPendingBacklog</c>), set low: with Redis stopped nothing can be
/// validated, so the backlog grows by each accepted SMS until intake answers 503 with Retry-After and writes nothing. Once
/// Redis is back the backlog drains, the refused SMS is accepted on its retry, and every accepted one gets its outcome.
/// </summary>
public sealed class IntakeBackPressureTests
{
    private const int Bound = 3;

    [Fact]
    public async Task Intake_refuses_with_503_and_writes_nothing_while_the_backlog_is_at_its_bound_and_accepts_the_retry_after()
    {
        await using var app = await TestGraph.StartAsync(builder =>
            builder.Project("receiver").WithEnvironment("Receiver__MaxPendingBacklog", Bound.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        using var flow = new VerificationFlow(app);
        var mobile = VerificationFlow.NewMobile();
        var code = await flow.RegisterAsync(mobile);
        await app.StopResourceAsync("cache");

        var accepted = new List<Guid> { await flow.ReceiveAsync(mobile, "ONBOARD:" + code) };
        var receivedAt = DateTimeOffset.UtcNow;
        string? refusedMobile = null;
        HttpResponseMessage? refused = null;
        // A sweep that read the inbox just before the last commit may report one less for a moment: at most a few more get in.
        for (var i = 0; i < Bound + 10 && refused is null; i++)
        {
            var other = VerificationFlow.NewMobile();
            var response = await flow.PostSmsAsync(other, "hello", receivedAt);
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                (refused, refusedMobile) = (response, other);
                break;
            }

            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            accepted.Add((await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("message_id").GetGuid());
            response.Dispose();
        }

        Assert.NotNull(refused);
        using (refused)
        {
            Assert.True(accepted.Count >= Bound, $"refused after only {accepted.Count} accepted");
            Assert.Equal("SERVICE_UNAVAILABLE", await VerificationFlowTests.ProblemCodeAsync(refused));
            Assert.NotNull(refused.Headers.RetryAfter);
        }

        Assert.Equal(0L, await flow.ScalarAsync<long>("SELECT count(*) FROM sms_inbox WHERE mobile_number = $1", refusedMobile!));
        Assert.Equal((long)accepted.Count, await flow.ScalarAsync<long>(
            "SELECT count(*) FROM sms_inbox WHERE id = ANY($1) AND outcome = 'pending'", accepted.ToArray()));

        await app.RestartResourceAsync("cache");

        Assert.Equal("verified", await flow.OutcomeAsync(accepted[0], TimeSpan.FromSeconds(30)));
        foreach (var id in accepted.Skip(1)) Assert.StartsWith("rejected:", await flow.OutcomeAsync(id, TimeSpan.FromSeconds(30)));
        await Eventually.TrueAsync(async () =>
        {
            using var retry = await flow.PostSmsAsync(refusedMobile!, "hello", receivedAt);
            return retry.StatusCode == HttpStatusCode.Accepted;
        }, TimeSpan.FromSeconds(30), "the refused SMS accepted on a retry");
        Assert.Equal(1L, await flow.ScalarAsync<long>("SELECT count(*) FROM sms_inbox WHERE mobile_number = $1", refusedMobile!));
    }
}
