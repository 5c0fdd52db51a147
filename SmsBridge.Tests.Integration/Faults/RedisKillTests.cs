using SmsBridge.Tests.Infrastructure;

namespace SmsBridge.Tests.Faults;

/// <summary>
/// Redis killed with -9 in the middle of a stream of SMS: intake does not need it, and every 202 ends in a final
/// outcome once it is back. (A graceful Redis stop during intake is Receiver/RedisDownIntakeTests.)
/// </summary>
[Collection(OutageGraphCollection.Name)]
public sealed class RedisKillTests(GraphFixture graph)
{
    private const int Total = 1_000;

    [Fact]
    public async Task Every_sms_accepted_around_a_redis_kill_reaches_a_final_outcome_after_it_restarts()
    {
        var app = graph.App;
        using var flow = new VerificationFlow(app);
        var load = new FaultLoad(flow);

        // Every tenth SMS carries a live code, so verifications fall before, during and after the outage.
        var live = new Dictionary<int, (string Mobile, string Code)>();
        for (var i = 0; i < Total; i += 10)
        {
            var mobile = VerificationFlow.NewMobile("+447701");
            live[i] = (mobile, await flow.RegisterAsync(mobile));
        }

        var sent = 0;
        Task? outage = null;
        var liveIds = new System.Collections.Concurrent.ConcurrentBag<Guid>();
        await Parallel.ForEachAsync(Enumerable.Range(0, Total), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
        {
            var n = Interlocked.Increment(ref sent);
            if (n == 300) outage = Task.Run(async () => await app.KillAsync("cache"));
            if (n == 700)
            {
                await outage!;
                outage = Task.Run(() => app.RestartResourceAsync("cache"));
            }

            var (mobile, message) = live.TryGetValue(i, out var code)
                ? (code.Mobile, "ONBOARD:" + code.Code)
                : (VerificationFlow.NewMobile("+447702"), "ONBOARD:ZZZZZZZZ");
            if (await load.ReceiveAsync(mobile, message) is { } id && live.ContainsKey(i)) liveIds.Add(id);
        });
        await outage!.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Empty(load.NoAnswer);
        Assert.All(load.Answers, a => Assert.Equal(202, a.Status));
        Assert.Equal(Total, load.Accepted.Count);
        Assert.Equal(Total, await load.WaitAllFinalAsync(TimeSpan.FromSeconds(60)));
        Assert.Equal(Total, await flow.ScalarAsync<long>("SELECT count(*) FROM sms_inbox WHERE id = ANY($1)", load.Accepted.ToArray()));
        Assert.Equal(liveIds.Count, await flow.ScalarAsync<long>(
            "SELECT count(*) FROM sms_inbox WHERE id = ANY($1) AND outcome = 'verified'", liveIds.ToArray()));
    }
}
