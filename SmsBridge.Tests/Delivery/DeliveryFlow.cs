using System.Net;
using SmsBridge.AppHost.Hosting;
using SmsBridge.Tests.Infrastructure;

namespace SmsBridge.Tests.Delivery;

/// <summary>Fast pacing for delivery tests: short backoff, lease, poll and breaker periods.</summary>
public static class DeliveryFlow
{
    public static void FastPacing(DistributedApplicationBuilder builder, string receiver = "receiver")
    {
        var env = builder.Resources.OfType<ProjectResource>().Single(r => r.Name == receiver).Environment;
        env["Delivery__RetryBaseDelay"] = () => "00:00:00.200";
        env["Delivery__PollInterval"] = () => "00:00:01";
        env["Delivery__AttemptTimeout"] = () => "00:00:03";
        env["Delivery__Lease"] = () => "00:00:05";
        env["Delivery__BreakerOpenDuration"] = () => "00:00:01";
    }

    public static Task PointAtAsync(this VerificationFlow flow, WebhookSink sink) =>
        flow.ChangeSettingsAsync($$"""jsonb_set(s, '{sync_url}', '"{{sink.Url}}"')""");

    /// <summary>Register → SMS → verified → PIN setup; returns the hand-off's event id (the webhook-id).</summary>
    public static async Task<Guid> OnboardAsync(this VerificationFlow flow, string mobile, string pin = "2468")
    {
        var code = await flow.VerifyAsync(mobile);
        using var response = await flow.PinSetupAsync(mobile, pin, code);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await flow.ScalarAsync<Guid>("SELECT id FROM webhook_outbox WHERE mobile_number = $1", mobile))!;
    }

    public static async Task WaitDeliveredAsync(this VerificationFlow flow, IReadOnlyCollection<Guid> ids, TimeSpan timeout)
    {
        await Eventually.TrueAsync(async () =>
            await flow.ScalarAsync<long>("SELECT count(*) FROM webhook_outbox WHERE id = ANY($1) AND status = 'delivered'", ids.ToArray()) == ids.Count,
            timeout, $"{ids.Count} hand-off(s) delivered");
    }
}
