using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SmsBridge.Admin.Doctor;

/// <summary>
/// The TLS face of the installation as a visitor meets it: the served certificate (expiry, chain, name), the
/// protocols, the HTTP → HTTPS redirect and HSTS.
/// </summary>
public sealed class TlsChecks : IDoctorCheck
{
    public static readonly TimeSpan ConnectionTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Under this the certificate fails: certbot renews 30 days ahead, so renewal has been failing for weeks.</summary>
    public static readonly TimeSpan FailWithin = TimeSpan.FromDays(7);

    /// <summary>Under this it warns; the same threshold as <c>deploy/certbot/check-expiry.sh</c>.</summary>
    public static readonly TimeSpan WarnWithin = TimeSpan.FromDays(21);

    private const string RenewFix = "sudo certbot renew (its deploy hook reloads nginx), or deploy/certbot/obtain-certificate.sh if certbot never " +
                                    "issued it; then deploy/certbot/check-expiry.sh --host NAME";

    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");

    // The s_client options for the protocols a server must refuse.
    private static readonly (string Option, string Name)[] LegacyProtocols = [("tls1", "TLS 1.0"), ("tls1_1", "TLS 1.1")];

    private readonly Uri _httpsUrl;
    private readonly Uri _httpUrl;
    private readonly TimeProvider _timeProvider;
    private readonly X509Certificate2Collection? _trustedRoots;

    /// <param name="httpsUrl">The public HTTPS address, e.g. <c>https://sms.example.org</c>.</param>
    /// <param name="httpUrl">Where plain HTTP is expected to redirect from; null for the same host on port 80.</param>
    /// <param name="trustedRoots">A private CA's roots to trust instead of the system store; null or empty for the system store.</param>
    public TlsChecks(Uri httpsUrl, Uri? httpUrl, TimeProvider timeProvider, X509Certificate2Collection? trustedRoots = null)
    {
        if (httpsUrl.Scheme != Uri.UriSchemeHttps) throw new ArgumentException($"{httpsUrl} is not an https:// URL.", nameof(httpsUrl));
        _httpsUrl = httpsUrl;
        _httpUrl = httpUrl ?? new UriBuilder(httpsUrl) { Scheme = Uri.UriSchemeHttp, Port = 80 }.Uri;
        _timeProvider = timeProvider;
        _trustedRoots = trustedRoots is { Count: > 0 } ? trustedRoots : null;
    }

    public TlsChecks(Uri httpsUrl, TimeProvider timeProvider) : this(httpsUrl, null, timeProvider)
    {
    }

    public string Area => "tls";

    /// <summary>Where plain HTTP is asked for its redirect.</summary>
    public Uri HttpUrl => _httpUrl;

    public async Task<IReadOnlyList<CheckResult>> RunAsync(CancellationToken cancellationToken)
    {
        var host = _httpsUrl.DnsSafeHost;
        var handshake = await TlsHandshake.RunAsync(host, _httpsUrl.Port, ConnectionTimeout, cancellationToken);
        var results = new List<CheckResult>();
        if (handshake.Served is { } served)
        {
            try
            {
                results.Add(Expiry(served.Leaf));
                results.Add(Chain(served, host));
                results.Add(await ProtocolsAsync(served, cancellationToken));
            }
            finally
            {
                served.Leaf.Dispose();
                foreach (var certificate in served.Sent) certificate.Dispose();
            }
        }
        else
        {
            const string fix = "make nginx answer on HTTPS: docker compose ps nginx, and its error log";
            var evidence = $"{handshake.Failure}, so no certificate could be seen";
            results.Add(CheckResult.Fail("tls.expiry", evidence, fix));
            results.Add(CheckResult.Fail("tls.chain", evidence, fix));
            results.Add(CheckResult.Fail("tls.protocols", handshake.Failure!, fix));
        }

        results.Add(await TlsHttpChecks.RedirectAsync(_httpUrl, _httpsUrl.Host, ConnectionTimeout, cancellationToken));
        results.Add(await TlsHttpChecks.HstsAsync(_httpsUrl, ConnectionTimeout, cancellationToken));
        return results;
    }

    private CheckResult Expiry(X509Certificate2 leaf)
    {
        const string id = "tls.expiry";
        var notAfter = new DateTimeOffset(leaf.NotAfter.ToUniversalTime());
        var left = notAfter - _timeProvider.GetUtcNow();
        var evidence = $"{leaf.Subject} expires {notAfter:yyyy-MM-dd HH:mm} UTC";
        if (left <= TimeSpan.Zero) return CheckResult.Fail(id, evidence + " (expired)", "renew now: " + RenewFix);
        evidence += $" ({left.TotalDays:0.#} days left)";
        if (left < FailWithin) return CheckResult.Fail(id, evidence, "renew now: " + RenewFix);
        if (left < WarnWithin)
        {
            return CheckResult.Warn(id, evidence + "; certbot renews 30 days ahead, so renewal is not happening",
                "systemctl list-timers certbot.timer; sudo certbot renew --dry-run; then " + RenewFix);
        }

        return CheckResult.Pass(id, evidence);
    }

    private CheckResult Chain(ServedTls served, string host)
    {
        const string id = "tls.chain";
        using var chain = new X509Chain();
        var policy = chain.ChainPolicy;
        // Only what the server sent: fetching missing intermediates (AIA) would hide the very mistake that breaks
        // clients which do not fetch them.
        policy.ExtraStore.AddRange(served.Sent);
        policy.DisableCertificateDownloads = true;
        // Revocation is the CA's side; checking it would make doctor slow and dependent on outbound access.
        policy.RevocationMode = X509RevocationMode.NoCheck;
        policy.VerificationTime = _timeProvider.GetUtcNow().UtcDateTime;
        policy.ApplicationPolicy.Add(ServerAuthentication);
        if (_trustedRoots is not null)
        {
            policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            policy.CustomTrustStore.AddRange(_trustedRoots);
        }

        var sentCount = served.Sent.Count(c => c.Thumbprint != served.Leaf.Thumbprint);
        var trust = _trustedRoots is null ? "the system store" : $"{_trustedRoots.Count} configured root(s)";
        var built = chain.Build(served.Leaf);
        var path = string.Join(" ← ", chain.ChainElements.Select(e => e.Certificate.Subject));
        if (!built)
        {
            var statuses = chain.ChainStatus.Select(s => s.Status).Aggregate(X509ChainStatusFlags.NoError, (all, s) => all | s);
            var evidence = $"{path} does not build to a root trusted by {trust} ({statuses}); the server sent {sentCount} certificate(s) besides the leaf";
            var last = chain.ChainElements[^1].Certificate;
            var selfSigned = last.SubjectName.RawData.AsSpan().SequenceEqual(last.IssuerName.RawData);
            if (statuses.HasFlag(X509ChainStatusFlags.PartialChain) && last.Thumbprint == served.Leaf.Thumbprint && !selfSigned)
            {
                return CheckResult.Fail(id, evidence, "serve fullchain.pem, not cert.pem (nginx ssl_certificate must include the intermediate)");
            }

            if (statuses.HasFlag(X509ChainStatusFlags.PartialChain) || statuses.HasFlag(X509ChainStatusFlags.UntrustedRoot))
            {
                // The intermediates are there; what is missing is trust in the CA at the top.
                return CheckResult.Fail(id, $"{evidence}; {(selfSigned ? last.Subject : last.Issuer)} is not a trusted root",
                    "use a certificate from a public CA (deploy/certbot/obtain-certificate.sh), or give doctor the private CA's root");
            }

            return CheckResult.Fail(id, evidence, "reissue the certificate: " + RenewFix);
        }

        // A trusted chain for another name is refused by every client just the same.
        if (!served.Leaf.MatchesHostname(host))
        {
            return CheckResult.Fail(id, $"{served.Leaf.Subject} does not name {host}",
                "issue the certificate for this name: SMSBRIDGE_DOMAIN in deploy/.env, then deploy/certbot/obtain-certificate.sh");
        }

        return CheckResult.Pass(id, $"{path}, trusted by {trust}; names {host}");
    }

    private async Task<CheckResult> ProtocolsAsync(ServedTls served, CancellationToken cancellationToken)
    {
        const string id = "tls.protocols";
        const string fix = "in nginx: ssl_protocols TLSv1.2 TLSv1.3; (deploy/nginx/nginx.conf)";
        var negotiated = $"a default client negotiated {Name(served.Protocol)} ({served.CipherSuite})";
        if (served.Protocol is not (SslProtocols.Tls12 or SslProtocols.Tls13))
        {
            return CheckResult.Fail(id, negotiated, fix);
        }

        var findings = new List<string> { negotiated };
        var accepted = new List<string>();
        foreach (var (option, name) in LegacyProtocols)
        {
            var probe = await LegacyTlsProbe.RunAsync(_httpsUrl.Host, _httpsUrl.Port, _httpsUrl.HostNameType == UriHostNameType.Dns, option,
                ConnectionTimeout, cancellationToken);
            findings.Add(probe.Verdict switch
            {
                LegacyTlsVerdict.Accepted => $"{name} accepted ({probe.Detail})",
                LegacyTlsVerdict.Refused => $"{name} refused ({probe.Detail})",
                _ => $"{name} not tried: this machine cannot offer it ({probe.Detail})",
            });
            if (probe.Verdict == LegacyTlsVerdict.Accepted) accepted.Add(name);
        }

        var evidence = string.Join("; ", findings);
        return accepted.Count > 0 ? CheckResult.Fail(id, evidence, fix) : CheckResult.Pass(id, evidence);
    }

    private static string Name(SslProtocols protocol) => protocol switch
    {
        SslProtocols.Tls12 => "TLS 1.2",
        SslProtocols.Tls13 => "TLS 1.3",
        _ => protocol.ToString(),
    };
}
