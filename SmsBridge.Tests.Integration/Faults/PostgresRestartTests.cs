using SmsBridge.Tests.Infrastructure;

namespace SmsBridge.Tests.Faults;

/// <summary>
/// PostgreSQL restarted under load: the services reconnect by themselves, calls during the outage get 503 within
/// the request limit (never a hang), and nothing answered 2xx is lost. (A stopped PostgreSQL without load is
/// ServiceDefaults/PostgresOutageTests.)
/// </summary>
[Collection(OutageGraphCollection.Name)]
public sealed class PostgresRestartTests(GraphFixture graph)
{
    [Fact]
    public async Task A_postgres_restart_under_load_loses_no_2xx_and_answers_503_meanwhile()
    {
        var app = graph.App;
        using var flow = new VerificationFlow(app);
        var receiverPid = await app.ProcessIdAsync("receiver");
        var load = new FaultLoad(flow);
        var previous = new System.Collections.Concurrent.ConcurrentQueue<(string Mobile, string Code)>();

        using var stop = new CancellationTokenSource();
        var running = FaultLoad.RunAsync(6, stop.Token, async _ =>
        {
            // A PIN setup for a mobile verified a few iterations ago, then a new registration and its SMS.
            if (previous.Count > 6 && previous.TryDequeue(out var earlier)) await load.PinSetupAsync(earlier.Mobile, earlier.Code);
            var mobile = VerificationFlow.NewMobile("+447703");
            if (await load.RegisterAsync(mobile) is not { } code) return;
            if (await load.ReceiveAsync(mobile, "ONBOARD:" + code) is not null) previous.Enqueue((mobile, code));
        });

        await Task.Delay(TimeSpan.FromSeconds(3));
        await app.StopResourceAsync("postgres");
        await Task.Delay(TimeSpan.FromSeconds(3)); // load keeps arriving while the database is down
        await app.RestartResourceAsync("postgres");
        await Task.Delay(TimeSpan.FromSeconds(4));
        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Empty(load.NoAnswer); // every call was answered within the 10 s request limit
        // Fast 503s during the outage let the loop spin, so registration may also meet its rate limit (429, a contract answer).
        Assert.All(load.Answers, a => Assert.Contains(a.Status, a.Operation switch
        {
            "pin-setup" => [200, 403, 503],
            "register" => [200, 429, 503],
            _ => new[] { 202, 503 },
        }));
        Assert.Contains(load.Answers, a => a.Status == 503);
        Assert.Contains(load.Answers, a => a.Status == 202);
        Assert.Equal(receiverPid, await app.ProcessIdAsync("receiver")); // recovered without a restart

        // Every 202 is in the inbox and processed; every 200 PIN setup has its onboarding and its hand-off.
        Assert.Equal(load.Accepted.Count, await load.WaitAllFinalAsync(TimeSpan.FromSeconds(60)));
        var handedOff = load.HandedOff.ToArray();
        Assert.Equal(handedOff.Length, await flow.ScalarAsync<long>("SELECT count(*) FROM onboarded_mobiles WHERE mobile_number = ANY($1)", (object)handedOff));
        Assert.Equal(handedOff.Length, await flow.ScalarAsync<long>("SELECT count(*) FROM webhook_outbox WHERE mobile_number = ANY($1)", (object)handedOff));

        // And the whole flow works again.
        var mobile = VerificationFlow.NewMobile();
        var code = await flow.VerifyAsync(mobile);
        using var pinSetup = await flow.PinSetupAsync(mobile, "2468", code);
        Assert.Equal(System.Net.HttpStatusCode.OK, pinSetup.StatusCode);
    }
}
