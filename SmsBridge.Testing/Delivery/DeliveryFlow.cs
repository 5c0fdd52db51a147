using System.Net;
using SmsBridge.Tests.Infrastructure;

namespace SmsBridge.Tests.Delivery;

/// <summary>Fast pacing for delivery tests: short backoff, lease, poll and breaker periods.</summary>
public static class DeliveryFlow
{
    public static void FastPacing(IDistributedApplicationTestingBuilder builder, string receiver = "receiver")
    {
        builder.Project(receiver)
            .WithEnvironment("Delivery__RetryBaseDelay", "00:00:00.200")
            .WithEnvironment("Delivery__PollInterval", "00:00:01")
            .WithEnvironment("Delivery__AttemptTimeout", "00:00:03")
            .WithEnvironment("Delivery__Lease", "00:00:05")
            .WithEnvironment("Delivery__BreakerOpenDuration", "00:00:01");
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
