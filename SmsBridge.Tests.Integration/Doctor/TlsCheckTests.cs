using System.Security.Cryptography.X509Certificates;
using SmsBridge.Admin.Doctor;
using SmsBridge.Tests.Deploy;

namespace SmsBridge.Tests.Doctor;

public sealed class TlsCheckTests(TlsTestServers servers) : IClassFixture<TlsTestServers>
{
    private static readonly string[] Ids = ["tls.expiry", "tls.chain", "tls.protocols", "tls.redirect", "tls.hsts"];

    [Fact]
    public async Task A_server_set_up_like_production_passes_every_check()
    {
        var results = await RunAsync(servers.Good);

        Assert.Equal(Ids, results.Select(r => r.Id));
        Assert.All(results, r => Assert.True(r.Status == CheckStatus.Pass, $"{r.Id}: {r.Status} {r.Evidence}"));
        Assert.Contains("CN=localhost-60d", Result(results, "tls.expiry").Evidence, StringComparison.Ordinal);
        Assert.Contains("CN=SMS Bridge Test Intermediate", Result(results, "tls.chain").Evidence, StringComparison.Ordinal);
        Assert.Contains("max-age=31536000", Result(results, "tls.hsts").Evidence, StringComparison.Ordinal);
        // Where this machine can offer TLS 1.1, passing means the server was asked and said no.
        var protocols = Result(results, "tls.protocols").Evidence;
        Assert.Contains(await MachineOffersTls11Async() ? "TLS 1.1 refused" : "TLS 1.1 not tried: this machine cannot offer it", protocols,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_private_root_is_what_makes_the_chain_trusted()
    {
        var chain = Result(await RunAsync(servers.Good, trustedRoots: null), "tls.chain");

        Assert.Equal(CheckStatus.Fail, chain.Status);
        Assert.EndsWith("CN=SMS Bridge Test Root is not a trusted root", chain.Evidence, StringComparison.Ordinal);
        Assert.Contains("private CA's root", chain.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_certificate_ending_within_a_week_fails_and_within_three_weeks_warns()
    {
        var fiveDays = Result(await RunAsync(servers.FiveDays), "tls.expiry");
        var fifteenDays = Result(await RunAsync(servers.FifteenDays), "tls.expiry");

        Assert.Equal(CheckStatus.Fail, fiveDays.Status);
        Assert.Contains("CN=localhost-5d", fiveDays.Evidence, StringComparison.Ordinal);
        Assert.Contains("deploy/certbot/obtain-certificate.sh", fiveDays.Fix, StringComparison.Ordinal);
        Assert.Equal(CheckStatus.Warn, fifteenDays.Status);
        Assert.Contains("certbot renew", fifteenDays.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Expiry_is_judged_by_the_given_clock()
    {
        // The 60-day certificate, seen 55 days from now.
        var later = new ShiftedClock(TimeSpan.FromDays(55));

        var expiry = Result(await RunAsync(servers.Good, clock: later), "tls.expiry");

        Assert.Equal(CheckStatus.Fail, expiry.Status);
    }

    [Fact]
    public async Task A_leaf_served_without_its_intermediate_fails_the_chain()
    {
        var results = await RunAsync(servers.NoIntermediate);

        var chain = Result(results, "tls.chain");
        Assert.Equal(CheckStatus.Fail, chain.Status);
        Assert.Contains("PartialChain", chain.Evidence, StringComparison.Ordinal);
        Assert.Equal("serve fullchain.pem, not cert.pem (nginx ssl_certificate must include the intermediate)", chain.Fix);
        Assert.Equal(CheckStatus.Pass, Result(results, "tls.expiry").Status);
    }

    [Fact]
    public async Task Plain_http_served_with_200_fails_the_redirect_and_no_header_fails_hsts()
    {
        var results = await RunAsync(servers.PlainHttp);

        var redirect = Result(results, "tls.redirect");
        Assert.Equal(CheckStatus.Fail, redirect.Status);
        Assert.Contains("answered 200", redirect.Evidence, StringComparison.Ordinal);
        var hsts = Result(results, "tls.hsts");
        Assert.Equal(CheckStatus.Fail, hsts.Status);
        Assert.Contains("without a Strict-Transport-Security header", hsts.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_temporary_redirect_and_a_one_day_hsts_warn()
    {
        var results = await RunAsync(servers.Temporary);

        Assert.Equal(CheckStatus.Warn, Result(results, "tls.redirect").Status);
        Assert.Equal(CheckStatus.Warn, Result(results, "tls.hsts").Status);
        Assert.Contains("max-age=86400", Result(results, "tls.hsts").Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_closed_http_port_warns_that_it_may_be_on_purpose()
    {
        var closed = new Uri($"http://localhost:{FreePorts.Next()}/");

        var redirect = Result(await RunAsync(servers.Good, httpUrl: closed), "tls.redirect");

        Assert.Equal(CheckStatus.Warn, redirect.Status);
        Assert.Contains("closed on purpose", redirect.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_accepts_tls_1_1_fails_the_protocols_check_where_this_machine_can_tell()
    {
        var protocols = Result(await RunAsync(servers.Legacy), "tls.protocols");

        // The expectation comes from asking the same server with openssl here, not from the check's own answer.
        if (await MachineOffersTls11Async())
        {
            Assert.Equal(CheckStatus.Fail, protocols.Status);
            Assert.Contains("TLS 1.1 accepted (TLSv1.1 with ", protocols.Evidence, StringComparison.Ordinal);
            Assert.Contains("ssl_protocols TLSv1.2 TLSv1.3;", protocols.Fix, StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(CheckStatus.Pass, protocols.Status);
            Assert.Contains("TLS 1.1 not tried: this machine cannot offer it", protocols.Evidence, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Nothing_listening_is_reported_not_thrown()
    {
        var https = new Uri($"https://localhost:{FreePorts.Next()}/");
        var http = new Uri($"http://localhost:{FreePorts.Next()}/");

        var results = await new TlsChecks(https, http, TimeProvider.System).RunAsync(CancellationToken.None);

        Assert.Equal(Ids, results.Select(r => r.Id));
        foreach (var id in (string[])["tls.expiry", "tls.chain", "tls.protocols", "tls.hsts"])
        {
            Assert.Equal(CheckStatus.Fail, Result(results, id).Status);
        }

        Assert.Contains("cannot connect", Result(results, "tls.expiry").Evidence, StringComparison.Ordinal);
        Assert.Equal(CheckStatus.Warn, Result(results, "tls.redirect").Status);
    }

    [Theory]
    [InlineData("max-age=31536000; includeSubDomains", 31536000L)]
    [InlineData("includeSubDomains; MAX-AGE=\"600\"", 600L)]
    [InlineData("max-age=; preload", null)]
    [InlineData("includeSubDomains", null)]
    public void Max_age_is_read_from_the_header(string header, long? expected) => Assert.Equal(expected, TlsHttpChecks.MaxAge(header));

    [Fact]
    public void Without_an_http_url_the_redirect_is_expected_from_port_80_of_the_same_host()
    {
        var checks = new TlsChecks(new Uri("https://sms.example.org:8443/"), TimeProvider.System);

        Assert.Equal("tls", checks.Area);
        Assert.Equal(new Uri("http://sms.example.org/"), checks.HttpUrl);
    }

    private Task<IReadOnlyList<CheckResult>> RunAsync(TlsTestServers.Endpoint endpoint, Uri? httpUrl = null, TimeProvider? clock = null) =>
        RunAsync(endpoint, [servers.Pki.Root], httpUrl, clock);

    private static Task<IReadOnlyList<CheckResult>> RunAsync(TlsTestServers.Endpoint endpoint, X509Certificate2Collection? trustedRoots,
        Uri? httpUrl = null, TimeProvider? clock = null) =>
        new TlsChecks(endpoint.HttpsUrl, httpUrl ?? endpoint.HttpUrl, clock ?? TimeProvider.System, trustedRoots).RunAsync(CancellationToken.None);

    private static CheckResult Result(IReadOnlyList<CheckResult> results, string id) => Assert.Single(results, r => r.Id == id);

    private async Task<bool> MachineOffersTls11Async()
    {
        var probe = await Tool.RunAsync("openssl",
            ["s_client", "-connect", $"127.0.0.1:{servers.Legacy.HttpsPort}", "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0", "-brief"],
            timeout: TimeSpan.FromSeconds(10));
        return probe.ExitCode == 0 && probe.All.Contains("Protocol version: TLSv1.1", StringComparison.Ordinal);
    }

    private sealed class ShiftedClock(TimeSpan offset) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + offset;
    }
}
