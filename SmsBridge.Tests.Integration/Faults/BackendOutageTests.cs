using SmsBridge.Tests.Delivery;
using SmsBridge.Tests.Infrastructure;

namespace SmsBridge.Tests.Faults;

/// <summary>
/// The backend goes away in the middle of a run and comes back: every hand-off, before, during and after, is
/// delivered once it returns, each webhook-id with one body. (Down from the start is Delivery/DeliveryFaultTests.)
/// </summary>
[Collection(DeliveryGraphCollection.Name)]
public sealed class BackendOutageTests(DeliveryGraphFixture graph)
{
    [Fact]
    public async Task Backend_down_for_the_middle_of_a_run_gets_every_hand_off_after_it_returns()
    {
        var flow = graph.Flow;
        await using var sink = new WebhookSink(flow.Secret("webhook-secret"));
        await sink.StartAsync();
        await flow.PointAtAsync(sink);

        var before = await OnboardManyAsync(flow, 20);
        await sink.StopAsync();
        var during = await OnboardManyAsync(flow, 20);
        await Eventually.TrueAsync(async () => await flow.ScalarAsync<long>(
                "SELECT count(*) FROM webhook_attempts WHERE outbox_id = ANY($1) AND error_class = 'connection_error'", during.ToArray()) > 0,
            TimeSpan.FromSeconds(20), "a delivery attempt hits the stopped backend");
        await sink.StartAsync();
        var after = await OnboardManyAsync(flow, 20);

        var all = before.Concat(during).Concat(after).ToList();
        await flow.WaitDeliveredAsync(all, TimeSpan.FromSeconds(60));
        var delivered = sink.Delivered.ToList();
        Assert.True(all.All(id => delivered.Any(d => d.Id == id.ToString())), "the backend received every hand-off");
        Assert.All(delivered, d => Assert.True(d.SignatureValid));
        Assert.All(delivered.GroupBy(d => d.Id), g => Assert.Single(g.Select(d => d.BodyText).Distinct()));
        Assert.Equal(0L, await flow.ScalarAsync<long>("SELECT count(*) FROM webhook_outbox WHERE id = ANY($1) AND status = 'dead'", all.ToArray()));
    }

    private static async Task<List<Guid>> OnboardManyAsync(VerificationFlow flow, int count)
    {
        var ids = new System.Collections.Concurrent.ConcurrentBag<Guid>();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 4 },
            async (_, _) => ids.Add(await flow.OnboardAsync(VerificationFlow.NewMobile("+447704"))));
        return [.. ids];
    }
}
