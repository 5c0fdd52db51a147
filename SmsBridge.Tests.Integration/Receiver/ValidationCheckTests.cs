using SmsBridge.Data.Caching;
using SmsBridge.Receiver.Verification;
using SmsBridge.Tests.Infrastructure;
using StackExchange.Redis;

namespace SmsBridge.Tests.Receiver;

/// <summary>
/// The validation checks where real parts decide: the code script's atomic consumption and verified mark in Redis, expiry by
/// TTL, the count from the real inbox, the blacklist reaching the receiver through its notification. Each check's logic
/// (results, order, reject and log, skipped) is unit-tested with fakes in SmsValidationPipelineTests.
/// </summary>
[Collection(GraphCollection.Name)]
public sealed class ValidationCheckTests(GraphFixture graph)
{
    private VerificationFlow Flow => graph.Flow;

    private async Task<ConnectionMultiplexer> ConnectCacheAsync() =>
        await ConnectionMultiplexer.ConnectAsync((await graph.App.GetConnectionStringAsync("cache"))!);

    [Fact]
    public async Task A_passing_message_consumes_the_code_and_marks_the_sender_verified_once_per_message()
    {
        var mobile = VerificationFlow.NewMobile();
        var code = await Flow.RegisterAsync(mobile);
        var id = await Flow.ReceiveAsync(mobile, "ONBOARD:" + code);
        Assert.Equal("verified", await Flow.OutcomeAsync(id));

        using var redis = await ConnectCacheAsync();
        var db = redis.GetDatabase();
        Assert.False(await db.KeyExistsAsync(RedisKeys.Code(code)));
        Assert.False(await db.KeyExistsAsync(RedisKeys.MobileCode(mobile)));
        Assert.StartsWith(code + "|", (string?)await db.StringGetAsync(RedisKeys.Verified(mobile)), StringComparison.Ordinal);
        Assert.InRange(await db.KeyTimeToLiveAsync(RedisKeys.Verified(mobile)) ?? TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(300));
        Assert.Equal(id.ToString(), (string?)await db.StringGetAsync(RedisKeys.Consumed(code)));

        // The same message again (a crash came before its outcome was recorded) finds its own consumption; any other, no code.
        var store = new CodeStore(redis);
        var now = DateTimeOffset.UtcNow;
        Assert.True((await store.ValidateAsync(code, id, mobile, true, true, TimeSpan.FromMinutes(5), now)).ConsumedByThisMessage);
        Assert.Equal(new CodeCheck(null, false, false), await store.ValidateAsync(code, Guid.NewGuid(), mobile, true, true, TimeSpan.FromMinutes(5), now));
    }

    [Fact]
    public async Task A_code_consumed_by_another_sender_is_gone_for_its_owner_too_who_then_gets_a_new_one()
    {
        // mobile_match_check disabled or logged: the script finds the owner itself and clears the owner's code with it.
        var owner = VerificationFlow.NewMobile();
        var sender = VerificationFlow.NewMobile();
        var code = await Flow.RegisterAsync(owner);
        using var redis = await ConnectCacheAsync();

        var found = await new CodeStore(redis).ValidateAsync(code, Guid.NewGuid(), sender, senderMustOwnCode: false, othersPassed: true,
            TimeSpan.FromMinutes(5), DateTimeOffset.UtcNow);

        Assert.Equal(new CodeCheck(owner, false, Consumed: true), found);
        Assert.False(await redis.GetDatabase().KeyExistsAsync(RedisKeys.MobileCode(owner)));
        Assert.True(await redis.GetDatabase().KeyExistsAsync(RedisKeys.Verified(sender)));
        Assert.NotEqual(code, await Flow.RegisterAsync(owner));
    }

    [Fact]
    public async Task Expired_code_is_rejected_by_header_hash_check()
    {
        var mobile = VerificationFlow.NewMobile();
        var code = await Flow.RegisterAsync(mobile);
        using (var redis = await ConnectCacheAsync())
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
    public async Task More_sms_than_the_threshold_in_the_window_is_rejected_by_count_check_and_leaves_the_code_live()
    {
        var mobile = VerificationFlow.NewMobile();
        var code = await Flow.RegisterAsync(mobile);
        var start = DateTimeOffset.UtcNow.AddMinutes(-10);
        for (var i = 0; i < 5; i++) await Flow.OutcomeAsync(await Flow.ReceiveAsync(mobile, "hello " + i, start.AddSeconds(i)));

        Assert.Equal("rejected:count_check", await Flow.OutcomeAsync(await Flow.ReceiveAsync(mobile, "ONBOARD:" + code)));
        using var redis = await ConnectCacheAsync();
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
}
