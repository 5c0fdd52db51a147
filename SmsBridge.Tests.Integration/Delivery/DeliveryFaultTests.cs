using SmsBridge.Tests.Infrastructure;

namespace SmsBridge.Tests.Delivery;

/// <summary>
/// Nothing committed is lost: backend down, receiver killed. (Two receivers sharing one outbox is
/// Replicas/ReceiverReplicaTests.)
/// </summary>
[Collection(DeliveryGraphCollection.Name)]
public sealed class DeliveryFaultTests(DeliveryGraphFixture graph)
{
    [Fact]
    public async Task Backend_down_during_200_pin_setups_then_up_delivers_all_once_per_id()
    {
        var flow = graph.Flow;
        await using var sink = new WebhookSink(flow.Secret("webhook-secret"));
        await flow.PointAtAsync(sink); // not listening yet: connection refused

        var mobiles = Enumerable.Range(0, 200).Select(i => "+44770" + (1_000_000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var ids = new System.Collections.Concurrent.ConcurrentBag<Guid>();
        await Parallel.ForEachAsync(mobiles, new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (mobile, _) => ids.Add(await flow.OnboardAsync(mobile)));
        Assert.Equal(0L, await flow.ScalarAsync<long>("SELECT count(*) FROM webhook_outbox WHERE id = ANY($1) AND status = 'delivered'", ids.ToArray()));

        await sink.StartAsync();
        await flow.WaitDeliveredAsync(ids, TimeSpan.FromSeconds(90));

        var own = ids.Select(id => id.ToString()).ToHashSet();
        var delivered = sink.Delivered.Where(d => own.Contains(d.Id)).ToList();
        Assert.Equal(200, delivered.Select(d => d.Id).Distinct().Count());
        Assert.All(delivered.GroupBy(d => d.Id), g => Assert.Single(g.Select(d => d.BodyText).Distinct()));
        Assert.All(delivered, d => Assert.True(d.SignatureValid));
    }

    [Fact]
    public async Task Receiver_killed_with_deliveries_in_flight_delivers_every_committed_hand_off_after_restart()
    {
        var (app, flow) = (graph.App, graph.Flow);
        await using var sink = new WebhookSink(flow.Secret("webhook-secret")) { Delay = TimeSpan.FromSeconds(2) };
        await sink.StartAsync();
        await flow.PointAtAsync(sink);

        var ids = new List<Guid>();
        for (var i = 0; i < 20; i++) ids.Add(await flow.OnboardAsync(VerificationFlow.NewMobile()));
        await Eventually.TrueAsync(() => Task.FromResult(!sink.Received.IsEmpty || sink.MaxInFlightPerId > 0), TimeSpan.FromSeconds(10),
            "deliveries in flight");

        await app.KillAsync("receiver");
        await app.RestartResourceAsync("receiver");

        await flow.WaitDeliveredAsync(ids, TimeSpan.FromSeconds(60));
        Assert.True(ids.All(id => sink.Delivered.Any(d => d.Id == id.ToString())), "the backend received every hand-off");
    }
}
