using System.Diagnostics;
using System.Net;
using SmsBridge.Tests.Infrastructure;

namespace SmsBridge.Tests.ServiceDefaults;

[Collection(OutageGraphCollection.Name)]
public sealed class PostgresOutageTests(GraphFixture graph)
{
    [Fact]
    public async Task Alive_stays_up_while_postgres_is_down_health_does_not_and_requests_get_a_quick_503()
    {
        var app = graph.App;
        using var flow = new VerificationFlow(app);
        using var receiver = app.CreateHttpClient("receiver", "http");

        await app.StopResourceAsync("postgres");

        await Eventually.TrueAsync(async () =>
        {
            using var health = await receiver.GetAsync(new Uri("/health", UriKind.Relative));
            return health.StatusCode == HttpStatusCode.ServiceUnavailable;
        }, TimeSpan.FromSeconds(20), "/health to report unhealthy");
        using (var alive = await receiver.GetAsync(new Uri("/alive", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        }

        var watch = Stopwatch.StartNew();
        using (var register = await flow.Backend.PostAsJsonAsync("/onboarding/register", new { mobile_number = VerificationFlow.NewMobile() }))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, register.StatusCode);
            Assert.Equal("SERVICE_UNAVAILABLE", await SmsBridge.Tests.Receiver.VerificationFlowTests.ProblemCodeAsync(register));
        }

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"the 503 came after {watch.Elapsed}, not within 10 s");

        await app.RestartResourceAsync("postgres");
        await Eventually.TrueAsync(async () =>
        {
            using var health = await receiver.GetAsync(new Uri("/health", UriKind.Relative));
            return health.StatusCode == HttpStatusCode.OK;
        }, TimeSpan.FromSeconds(30), "/health to recover");
        await flow.VerifyAsync(VerificationFlow.NewMobile());
    }
}
