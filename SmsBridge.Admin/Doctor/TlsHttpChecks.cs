using System.Net;
using System.Net.Sockets;

namespace SmsBridge.Admin.Doctor;

/// <summary>The two HTTP-level parts of TLS: plain HTTP sends visitors to HTTPS, and HTTPS tells browsers to stay (HSTS).</summary>
public static class TlsHttpChecks
{
    /// <summary>180 days: what HSTS preload lists and most audits ask for.</summary>
    public const long MinimumHstsMaxAge = 15_552_000;

    private const string RedirectFix = "in nginx's port-80 server block: return 301 https://$host$request_uri; (deploy/nginx/nginx.conf)";

    public static async Task<CheckResult> RedirectAsync(Uri httpUrl, string httpsHost, TimeSpan timeout, CancellationToken cancellationToken)
    {
        const string id = "tls.redirect";
        var target = $"{httpUrl.Host}:{httpUrl.Port}";
        using var client = Client(timeout);
        HttpResponseMessage response;
        try
        {
            response = await client.GetAsync(httpUrl, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused })
        {
            return CheckResult.Warn(id, $"nothing listens on {target} (connection refused); that is fine if port {httpUrl.Port} is closed on purpose, " +
                "but then http:// visitors get no redirect and certbot's webroot renewal cannot reach nginx",
                $"if not on purpose, publish port {httpUrl.Port} to nginx, whose port-80 server block redirects to HTTPS");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return CheckResult.Warn(id, $"no answer from {target} within {timeout.TotalSeconds:0} s (filtered by a firewall?); that is fine if the port " +
                "is closed on purpose, but then http:// visitors get no redirect and certbot's webroot renewal cannot reach nginx",
                $"if not on purpose, open port {httpUrl.Port} to nginx, whose port-80 server block redirects to HTTPS");
        }
        catch (HttpRequestException e)
        {
            return CheckResult.Fail(id, $"GET {httpUrl} failed: {e.Message}", RedirectFix);
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            var location = response.Headers.Location is { } l ? new Uri(httpUrl, l) : null;
            var seen = $"GET {httpUrl} answered {status}" + (location is null ? "" : $" → {location}");
            var toHttps = location is not null && location.Scheme == Uri.UriSchemeHttps
                                               && string.Equals(location.Host, httpsHost, StringComparison.OrdinalIgnoreCase);
            return status switch
            {
                301 or 308 when toHttps => CheckResult.Pass(id, seen),
                302 or 307 when toHttps => CheckResult.Warn(id, seen + " (temporary: browsers and search engines keep asking over HTTP)",
                    "make it permanent: " + RedirectFix),
                >= 300 and < 400 => CheckResult.Fail(id, seen + $" (not to https://{httpsHost})", RedirectFix),
                _ => CheckResult.Fail(id, seen + " (plain HTTP is served, not redirected)", RedirectFix),
            };
        }
    }

    public static async Task<CheckResult> HstsAsync(Uri httpsUrl, TimeSpan timeout, CancellationToken cancellationToken)
    {
        const string id = "tls.hsts";
        const string fix = "in nginx's HTTPS server block: add_header Strict-Transport-Security \"max-age=63072000; includeSubDomains\" always;";
        using var client = Client(timeout);
        try
        {
            using var response = await client.GetAsync(httpsUrl, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var status = (int)response.StatusCode;
            if (!response.Headers.TryGetValues("Strict-Transport-Security", out var values))
            {
                return CheckResult.Fail(id, $"GET {httpsUrl} answered {status} without a Strict-Transport-Security header", fix);
            }

            // Browsers obey only the first header (RFC 6797 §8.1).
            var header = values.First();
            var maxAge = MaxAge(header);
            return maxAge switch
            {
                null => CheckResult.Fail(id, $"Strict-Transport-Security: {header} has no valid max-age", fix),
                < MinimumHstsMaxAge => CheckResult.Warn(id,
                    $"Strict-Transport-Security: {header} (max-age {maxAge} s is under 180 days, {MinimumHstsMaxAge} s)", fix),
                _ => CheckResult.Pass(id, $"Strict-Transport-Security: {header}"),
            };
        }
        catch (HttpRequestException e)
        {
            return CheckResult.Fail(id, $"GET {httpsUrl} failed: {e.Message}", "make nginx answer on HTTPS (docker compose ps nginx; its error log)");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return CheckResult.Fail(id, $"GET {httpsUrl} got no answer within {timeout.TotalSeconds:0} s",
                "make nginx answer on HTTPS (docker compose ps nginx; its error log)");
        }
    }

    /// <summary>The max-age directive of a Strict-Transport-Security value (it may be quoted), or null.</summary>
    public static long? MaxAge(string header)
    {
        foreach (var directive in header.Split(';'))
        {
            var parts = directive.Split('=', 2, StringSplitOptions.TrimEntries);
            if (parts.Length == 2 && parts[0].Equals("max-age", StringComparison.OrdinalIgnoreCase)
                                  && long.TryParse(parts[1].Trim('"'), out var seconds) && seconds >= 0)
            {
                return seconds;
            }
        }

        return null;
    }

    private static HttpClient Client(TimeSpan timeout) => new(new SocketsHttpHandler
    {
        // The redirect itself is what is judged, not where it leads.
        AllowAutoRedirect = false,
        // The installation is asked directly; an outbound proxy from the environment would answer instead of it.
        UseProxy = false,
        ConnectTimeout = timeout,
        // tls.chain judges the certificate; here only the headers matter, so a private CA must not hide them.
        SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
    })
    {
        Timeout = timeout,
    };
}
