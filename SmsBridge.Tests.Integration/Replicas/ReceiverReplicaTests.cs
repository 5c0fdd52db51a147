using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SmsBridge.Tests.Delivery;
using SmsBridge.Tests.Infrastructure;

namespace SmsBridge.Tests.Replicas;

/// <summary>
/// Two receivers on one database: 500 full flows spread over both receivers' own endpoints (each step of a flow on a
/// different receiver than the one before), one receiver killed with SIGKILL halfway. Every 2xx either gave is kept: each
/// flow verified once, no SMS validated twice, each hand-off delivered under one webhook-id with the same body on every
/// attempt; what the killed receiver held (SMS leases, outbox leases) the other finishes once the leases run out.
/// Both receivers delivering from one outbox never send one hand-off twice at the same time.
/// </summary>
[Collection(ReplicaGraphCollection.Name)]
public sealed class ReceiverReplicaTests(ReplicaGraphFixture graph)
{
    private const int Flows = 500;

    [Fact]
    public async Task Flows_over_both_receivers_with_one_killed_midway_are_verified_once_and_delivered_once_each()
    {
        var receivers = await graph.ReplicasAsync("receiver");
        Assert.Equal(2, receivers.Count);
        var backends = receivers.Select(graph.BackendOf).ToArray();
        var gateways = receivers.Select(graph.GatewayOf).ToArray();
        var killed = 0;
        var started = 0;
        var mobiles = Enumerable.Range(0, Flows).Select(_ => VerificationFlow.NewMobile()).ToArray();

        // A load balancer's view: a call to a dead receiver fails, and the client tries the other one; a 503 is retried after its Retry-After.
        async Task<HttpResponseMessage> SendAsync(HttpClient[] clients, int preferred, Func<HttpClient, Task<HttpResponseMessage>> call)
        {
            for (var attempt = 0; ; attempt++)
            {
                var target = Volatile.Read(ref killed) == 1 ? 1 : (preferred + attempt) % 2;
                try
                {
                    return await VerificationFlow.RetryingAfter503Async(() => call(clients[target]));
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && attempt < 5)
                {
                    await Task.Delay(200);
                }
            }
        }

        try
        {
            await RunFlowsAsync();
        }
        finally
        {
            // The graph's other tests need both receivers (a restart of anything that waits for the receiver would fail).
            if (killed == 1) await graph.RestartAsync(receivers[0]);
        }

        async Task RunFlowsAsync() => await Parallel.ForEachAsync(Enumerable.Range(0, Flows), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
        {
            if (Interlocked.Increment(ref started) == Flows / 2)
            {
                using var victim = Process.GetProcessById(receivers[0].ProcessId);
                victim.Kill(); // SIGKILL: no shutdown, leases stay taken
                Volatile.Write(ref killed, 1);
            }

            var mobile = mobiles[i];
            using var registered = await SendAsync(backends, i, c => c.PostAsJsonAsync("/onboarding/register", new { mobile_number = mobile }));
            Assert.True(registered.StatusCode == HttpStatusCode.OK, $"register {mobile}: {(int)registered.StatusCode}");
            var code = (await registered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("hash").GetString()!;

            var receivedAt = DateTimeOffset.UtcNow.ToString("O"); // one triple per flow: a retry on the other receiver is a duplicate
            using var accepted = await SendAsync(gateways, i + 1, c => c.PostAsJsonAsync("/sms/receive",
                new { mobile_number = mobile, message = "ONBOARD:" + code, received_at = receivedAt }));
            Assert.True(accepted.StatusCode == HttpStatusCode.Accepted, $"sms {mobile}: {(int)accepted.StatusCode}");
            var messageId = (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("message_id").GetGuid();
            Assert.Equal("verified", await graph.Flow.OutcomeAsync(messageId, TimeSpan.FromSeconds(40)));

            // A PIN setup the killed receiver committed but never answered is, retried, already completed: both keep the promise.
            using var pin = await SendAsync(backends, i, c => c.PostAsJsonAsync("/pin-setup", new { mobile_number = mobile, pin = "2468", hash = code }));
            Assert.True(pin.StatusCode is HttpStatusCode.OK || (killed == 1 && pin.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.Forbidden),
                $"pin {mobile}: {(int)pin.StatusCode} {await pin.Content.ReadAsStringAsync()}");
        });
        Assert.Equal(1, killed);

        // Each flow: one SMS, validated once, verified.
        var inbox = await RowsAsync("""
            SELECT mobile_number, count(*), count(*) FILTER (WHERE outcome = 'verified') FROM sms_inbox
            WHERE mobile_number = ANY($1) GROUP BY mobile_number
            """, mobiles);
        Assert.Equal(Flows, inbox.Count);
        Assert.All(inbox, row => Assert.Equal((1L, 1L), ((long)row[1], (long)row[2])));
        var validatedTwice = await RowsAsync("""
            SELECT a.details->>'message_id' FROM audit_events a JOIN sms_inbox i ON i.id::text = a.details->>'message_id'
            WHERE a.event_type = 'sms.validated' AND i.mobile_number = ANY($1)
            GROUP BY 1 HAVING count(*) > 1
            """, mobiles);
        Assert.Empty(validatedTwice);

        // Each flow: one hand-off, delivered, under one webhook-id with one body however often it was sent.
        var outbox = await RowsAsync("SELECT mobile_number, id FROM webhook_outbox WHERE mobile_number = ANY($1)", mobiles);
        Assert.Equal(Flows, outbox.Count);
        Assert.Equal(Flows, outbox.Select(r => (string)r[0]).Distinct().Count());
        var ids = outbox.Select(r => (Guid)r[1]).ToArray();
        await graph.Flow.WaitDeliveredAsync(ids, TimeSpan.FromSeconds(60));
        var received = graph.Sink.Received.ToArray().GroupBy(w => w.Id).ToDictionary(g => g.Key, g => g.ToList());
        foreach (var id in ids)
        {
            Assert.True(received.TryGetValue(id.ToString(), out var attempts), $"hand-off {id} never reached the backend");
            Assert.Single(attempts.Select(a => a.BodyText).Distinct());
            Assert.All(attempts, a => Assert.True(a.SignatureValid));
            Assert.Contains(attempts, a => a.Status is >= 200 and < 300);
        }

        foreach (var client in backends.Concat(gateways)) client.Dispose();
    }

    [Fact]
    public async Task Two_receivers_share_the_outbox_without_sending_one_delivery_twice_at_once()
    {
        // A slow backend keeps each delivery in flight long enough for the other receiver to claim it if its lease let it.
        graph.Sink.Delay = TimeSpan.FromMilliseconds(300);
        try
        {
            var ids = new System.Collections.Concurrent.ConcurrentBag<Guid>();
            await Parallel.ForEachAsync(Enumerable.Range(0, 60), new ParallelOptions { MaxDegreeOfParallelism = 6 },
                async (_, _) => ids.Add(await graph.Flow.OnboardAsync(VerificationFlow.NewMobile())));
            await graph.Flow.WaitDeliveredAsync(ids, TimeSpan.FromSeconds(60));

            Assert.Equal(1, graph.Sink.MaxInFlightPerId);
            var own = ids.Select(id => id.ToString()).ToHashSet();
            Assert.Equal(60, graph.Sink.Delivered.Where(d => own.Contains(d.Id)).Select(d => d.Id).Distinct().Count());
        }
        finally
        {
            graph.Sink.Delay = TimeSpan.Zero;
        }
    }

    /// <summary>The rows of a query over this test's mobiles (<c>$1</c>).</summary>
    private async Task<List<object[]>> RowsAsync(string sql, string[] mobiles)
    {
        await using var command = graph.Flow.Database.CreateCommand(sql);
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = mobiles });
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<object[]>();
        while (await reader.ReadAsync())
        {
            var row = new object[reader.FieldCount];
            reader.GetValues(row);
            rows.Add(row);
        }

        return rows;
    }
}
