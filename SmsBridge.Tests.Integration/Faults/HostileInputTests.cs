using System.Text.Json;
using SmsBridge.Data.Caching;
using SmsBridge.Tests.Infrastructure;
using StackExchange.Redis;

namespace SmsBridge.Tests.Faults;

/// <summary>
/// Hundreds of malformed and hostile requests across every public endpoint: none gets a 5xx, each gets an
/// answer, and nothing from a rejected request is stored in PostgreSQL or Redis. (Single cases with exact
/// codes are in Receiver/BadInputTests; this is the breadth.)
/// </summary>
[Collection(GraphCollection.Name)]
public sealed class HostileInputTests(GraphFixture graph)
{
    [Fact]
    public async Task Two_hundred_hostile_requests_get_no_5xx_and_store_nothing_they_were_refused()
    {
        var flow = graph.Flow;
        var corpus = new HostileCorpus(flow.Secret("backend-api-key"), flow.Secret("gateway-api-key"), flow.Secret("gateway-signing-key"));
        var requests = corpus.All().ToList();
        Assert.True(requests.Count >= 200, $"the corpus has {requests.Count} requests");
        var port = graph.App.HttpEndpoint("receiver").Port;

        var answers = new List<(string Name, int Status, string Body)>();
        foreach (var (name, request) in requests)
        {
            try
            {
                var (status, body) = await RawHttp.SendAsync(port, request, TimeSpan.FromSeconds(10));
                answers.Add((name, status, body));
            }
            catch (InvalidOperationException unanswered)
            {
                throw new InvalidOperationException($"{name}: {unanswered.Message}", unanswered);
            }
        }

        Assert.Empty(answers.Where(a => a.Status >= 500).Select(a => $"{a.Name} → {a.Status}"));
        // The corpus reaches the endpoints' own checks, not only the HTTP parser's.
        Assert.Contains(answers, a => a.Status == 400 && a.Body.Contains("VALIDATION_ERROR", StringComparison.Ordinal));
        Assert.Contains(answers, a => a.Status == 401 && a.Body.Contains("UNAUTHORIZED", StringComparison.Ordinal));
        Assert.Contains(answers, a => a.Status == 413);
        Assert.Contains(answers, a => a.Status == 404);
        // Our endpoints' refusals are the contract's problem+json, with no internals in them.
        foreach (var (name, _, body) in answers.Where(a => a.Status is 400 or 401 or 403 or 413 && a.Body.StartsWith('{')))
        {
            using var problem = JsonDocument.Parse(body);
            Assert.True(problem.RootElement.TryGetProperty("code", out _), $"{name}: no code in {body}");
            Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
            Assert.DoesNotContain("Npgsql", body, StringComparison.Ordinal);
        }

        // Hostile text can still be a valid SMS (a 202 is a promise to process it); anything refused left no row.
        var accepted = answers.Where(a => a.Status == 202).Select(a => JsonDocument.Parse(a.Body).RootElement.GetProperty("message_id").GetGuid()).ToArray();
        var mobiles = corpus.Mobiles.ToArray();
        Assert.Equal(0L, await flow.ScalarAsync<long>(
            "SELECT count(*) FROM sms_inbox WHERE (mobile_number = ANY($1) OR raw_payload LIKE '%DROP TABLE%' OR raw_payload LIKE '%<script>%') AND NOT id = ANY($2)",
            mobiles, accepted));
        Assert.Equal(0L, await flow.ScalarAsync<long>("SELECT count(*) FROM onboarded_mobiles WHERE mobile_number = ANY($1)", (object)mobiles));
        Assert.Equal(0L, await flow.ScalarAsync<long>("SELECT count(*) FROM webhook_outbox WHERE mobile_number = ANY($1)", (object)mobiles));
        Assert.Equal(1L, await flow.ScalarAsync<long>("SELECT count(*) FROM pg_tables WHERE tablename = 'sms_inbox'"));

        // Registrations answered 200 may hold a code; no refused one does.
        var registered = answers.Count(a => a.Name.StartsWith("/onboarding/register", StringComparison.Ordinal) && a.Status == 200);
        using var redis = await ConnectionMultiplexer.ConnectAsync((await graph.App.GetConnectionStringAsync("cache"))!);
        var codes = 0;
        foreach (var mobile in mobiles) if (await redis.GetDatabase().KeyExistsAsync(RedisKeys.MobileCode(mobile))) codes++;
        Assert.True(codes <= registered, $"{codes} codes stored for {registered} accepted registrations");
    }
}
