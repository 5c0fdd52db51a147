using SmsBridge.Data.Caching;
using SmsBridge.Tests.Infrastructure;
using StackExchange.Redis;

namespace SmsBridge.Tests.Receiver;

/// <summary>One test per check of the contract's pipeline, each asserting the recorded outcome and what happened to the code.</summary>
[Collection(GraphCollection.Name)]
public sealed class ValidationCheckTests(GraphFixture graph) : IAsyncLifetime
{
    private VerificationFlow Flow => graph.Flow;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => Flow.ResetSettingsAsync();

    [Theory]
    [InlineData("HELLO:{0}")]
    [InlineData("ONBOARD:{0}X")]
    [InlineData("ONBOARD:ABC")]
    [InlineData("{0}")]
    public async Task Wrong_prefix_or_length_is_rejected_by_header_hash_check_and_leaves_the_code_live(string template)
    {
        var mobile = VerificationFlow.NewMobile();
        var code = await Flow.RegisterAsync(mobile);
        var id = await Flow.ReceiveAsync(mobile, string.Format(System.Globalization.CultureInfo.InvariantCulture, template, code));
        Assert.Equal("rejected:header_hash_check", await Flow.OutcomeAsync(id));
        Assert.Equal("verified", await Flow.OutcomeAsync(await Flow.ReceiveAsync(mobile, "ONBOARD:" + code)));
    }

    [Fact]
    public async Task Unknown_code_is_rejected_by_header_hash_check()
    {
        var mobile = VerificationFlow.NewMobile();
        await Flow.RegisterAsync(mobile);
        Assert.Equal("rejected:header_hash_check", await Flow.OutcomeAsync(await Flow.ReceiveAsync(mobile, "ONBOARD:ZZZZ0000")));
    }

    [Fact]
    public async Task Expired_code_is_rejected_by_header_hash_check()
    {
        var mobile = VerificationFlow.NewMobile();
        var code = await Flow.RegisterAsync(mobile);
        using (var redis = await ConnectionMultiplexer.ConnectAsync((await graph.App.GetConnectionStringAsync("cache"))!))
        {
            // Let Redis expire it for real, as the TTL would.
            await redis.GetDatabase().KeyExpireAsync(RedisKeys.Code(code), TimeSpan.FromMilliseconds(1));
            await Task.Delay(50);
        }

        Assert.Equal("rejected:header_hash_check", await Flow.OutcomeAsync(await Flow.ReceiveAsync(mobile, "ONBOARD:" + code)));
    }

    [Fact]
    public async Task Code_sent_from_another_mobile_is_rejected_by_mobile_match_check_and_stays_live_for_its_owner()
    {
        var owner = VerificationFlow.NewMobile();
        var code = await Flow.RegisterAsync(owner);
        Assert.Equal("rejected:mobile_match_check", await Flow.OutcomeAsync(await Flow.ReceiveAsync(VerificationFlow.NewMobile(), "ONBOARD:" + code)));
        Assert.Equal("verified", await Flow.OutcomeAsync(await Flow.ReceiveAsync(owner, "ONBOARD:" + code)));
    }

    [Fact]
    public async Task Country_no_longer_allowed_is_rejected_by_foreign_number_check()
    {
        var mobile = VerificationFlow.NewMobile("+919876");
        var code = await Flow.RegisterAsync(mobile);
        await Flow.ChangeSettingsAsync("""jsonb_set(s, '{allowed_countries}', '["+44"]')""");
        await WaitUntilRegisterIsRefusedAsync(VerificationFlow.NewMobile("+919876"));

        Assert.Equal("rejected:foreign_number_check", await Flow.OutcomeAsync(await Flow.ReceiveAsync(mobile, "ONBOARD:" + code)));
    }

    [Fact]
    public async Task More_sms_than_the_threshold_in_the_window_is_rejected_by_count_check_and_leaves_the_code_live()
    {
        var mobile = VerificationFlow.NewMobile();
        var code = await Flow.RegisterAsync(mobile);
        var start = DateTimeOffset.UtcNow.AddMinutes(-10);
        for (var i = 0; i < 5; i++) await Flow.OutcomeAsync(await Flow.ReceiveAsync(mobile, "hello " + i, start.AddSeconds(i)));

        Assert.Equal("rejected:count_check", await Flow.OutcomeAsync(await Flow.ReceiveAsync(mobile, "ONBOARD:" + code)));
        using var redis = await ConnectionMultiplexer.ConnectAsync((await graph.App.GetConnectionStringAsync("cache"))!);
        Assert.Equal(mobile, (string?)await redis.GetDatabase().StringGetAsync(RedisKeys.Code(code)));
    }

    [Fact]
    public async Task Blacklisted_mobile_is_rejected_by_blacklist_check_within_two_seconds_of_listing()
    {
        var mobile = VerificationFlow.NewMobile();
        var code = await Flow.RegisterAsync(mobile);
        await Flow.ExecuteAsync("INSERT INTO blacklist (mobile_number, reason, created_by) VALUES ($1, 'fraud', 'test')", mobile);
        await Task.Delay(TimeSpan.FromSeconds(2)); // the contract's bound for caches to follow

        Assert.Equal("rejected:blacklist_check", await Flow.OutcomeAsync(await Flow.ReceiveAsync(mobile, "ONBOARD:" + code)));
    }

    [Fact]
    public async Task A_check_set_to_log_records_the_failure_and_lets_the_message_verify()
    {
        var mobile = VerificationFlow.NewMobile();
        var code = await Flow.RegisterAsync(mobile);
        await Flow.ExecuteAsync("INSERT INTO blacklist (mobile_number, reason, created_by) VALUES ($1, 'watch', 'test')", mobile);
        await Flow.ChangeSettingsAsync("""jsonb_set(s, '{checks,blacklist_check,failure_action}', '"log"')""");
        await Task.Delay(TimeSpan.FromSeconds(2));

        var id = await Flow.ReceiveAsync(mobile, "ONBOARD:" + code);
        Assert.Equal("verified", await Flow.OutcomeAsync(id));
        Assert.Equal("failed_logged", await Flow.ScalarAsync<string>("SELECT check_results->>'blacklist_check' FROM sms_inbox WHERE id = $1", id));
    }

    private async Task WaitUntilRegisterIsRefusedAsync(string mobile) =>
        await Eventually.TrueAsync(async () =>
        {
            using var response = await Flow.Backend.PostAsJsonAsync("/onboarding/register", new { mobile_number = mobile });
            return response.StatusCode == System.Net.HttpStatusCode.Forbidden;
        }, TimeSpan.FromSeconds(2), "the settings change to reach the receiver");
}
