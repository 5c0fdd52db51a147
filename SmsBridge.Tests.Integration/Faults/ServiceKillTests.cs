using System.Collections.Concurrent;
using SmsBridge.Tests.Delivery;
using SmsBridge.Tests.Infrastructure;

namespace SmsBridge.Tests.Faults;

/// <summary>
/// The receiver killed with -9 in the middle of a load of whole flows, then restarted: the inbox and the outbox
/// resume, every committed hand-off is delivered, and no webhook-id ever arrives with two different bodies.
/// (A kill with deliveries in flight but no load is Delivery/DeliveryFaultTests.)
/// </summary>
[Collection(DeliveryGraphCollection.Name)]
public sealed class ServiceKillTests(DeliveryGraphFixture graph)
{
    [Fact]
    public async Task Receiver_killed_mid_load_resumes_and_never_sends_one_webhook_id_with_two_bodies()
    {
        var (app, flow) = (graph.App, graph.Flow);
        var startedAt = await flow.ScalarAsync<DateTime>("SELECT now()");
        await using var sink = new WebhookSink(flow.Secret("webhook-secret")) { Delay = TimeSpan.FromMilliseconds(200) };
        await sink.StartAsync();
        await flow.PointAtAsync(sink);
        var load = new FaultLoad(flow);

        using var stop = new CancellationTokenSource();
        var running = FaultLoad.RunAsync(6, stop.Token, _ => load.OnboardAsync(VerificationFlow.NewMobile("+447705"), waitForOutcome: true));
        await Eventually.TrueAsync(() => Task.FromResult(load.HandedOff.Count >= 10), TimeSpan.FromSeconds(60), "ten hand-offs under load");

        await app.KillAsync("receiver");
        await app.RestartResourceAsync("receiver");
        var handedOffBeforeRestart = load.HandedOff.Count;
        await Eventually.TrueAsync(() => Task.FromResult(load.HandedOff.Count >= handedOffBeforeRestart + 10), TimeSpan.FromSeconds(60),
            "ten more hand-offs after the restart");
        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(30));

        // Everything committed, including what was committed just before the kill whose answer was lost, is delivered.
        var outbox = await OutboxIdsSinceAsync(flow, startedAt);
        Assert.True(outbox.Count >= load.HandedOff.Count);
        await flow.WaitDeliveredAsync(outbox, TimeSpan.FromSeconds(60));
        Assert.Equal(load.Accepted.Count, await load.WaitAllFinalAsync(TimeSpan.FromSeconds(60)));

        var received = sink.Received.ToList();
        Assert.True(outbox.All(id => received.Any(r => r.Id == id.ToString() && r.Status == 200)), "the backend received every hand-off");
        Assert.All(received, r => Assert.True(r.SignatureValid));
        Assert.All(received.GroupBy(r => r.Id), g => Assert.Single(g.Select(r => r.BodyText).Distinct()));
    }

    /// <summary>This test's hand-offs: the graph is shared with the other delivery tests, which ran before it.</summary>
    private static async Task<List<Guid>> OutboxIdsSinceAsync(VerificationFlow flow, DateTime startedAt)
    {
        var ids = new List<Guid>();
        await using var command = flow.Database.CreateCommand("SELECT id FROM webhook_outbox WHERE created_at >= $1");
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = startedAt });
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) ids.Add(reader.GetGuid(0));
        return ids;
    }
}
