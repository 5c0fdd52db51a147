using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace SmsBridge.Admin.Doctor;

/// <summary>What the server presented in one handshake with a default client.</summary>
public sealed record ServedTls(X509Certificate2 Leaf, X509Certificate2Collection Sent, SslProtocols Protocol, TlsCipherSuite CipherSuite);

/// <summary>Either what the server presented, or why no handshake happened (refused, timed out, rejected).</summary>
public sealed record TlsHandshakeOutcome(ServedTls? Served, string? Failure);

/// <summary>
/// One TLS handshake as an ordinary client would make it (the OS's protocol defaults, SNI for a name), accepting
/// whatever certificate comes so that the checks can judge it instead of the handshake refusing it.
/// </summary>
public static class TlsHandshake
{
    public static async Task<TlsHandshakeOutcome> RunAsync(string host, int port, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        var sent = new X509Certificate2Collection();
        try
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(host, port, limit.Token);
            await using var tls = new SslStream(tcp.GetStream());
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = host,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                RemoteCertificateValidationCallback = (_, _, chain, _) =>
                {
                    // SslStream puts the certificates the server sent into the extra store; copied, because the
                    // chain and its certificates are disposed after the handshake.
                    foreach (var certificate in chain?.ChainPolicy.ExtraStore ?? [])
                    {
                        sent.Add(X509CertificateLoader.LoadCertificate(certificate.RawData));
                    }

                    return true;
                },
            }, limit.Token);
            var leaf = X509CertificateLoader.LoadCertificate(tls.RemoteCertificate!.GetRawCertData());
            return new TlsHandshakeOutcome(new ServedTls(leaf, sent, tls.SslProtocol, tls.NegotiatedCipherSuite), null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new TlsHandshakeOutcome(null, $"no TLS handshake with {host}:{port} within {timeout.TotalSeconds:0} s");
        }
        catch (SocketException e)
        {
            return new TlsHandshakeOutcome(null, $"cannot connect to {host}:{port}: {e.Message}");
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
            return new TlsHandshakeOutcome(null, $"TLS handshake with {host}:{port} failed: {Innermost(e).Message}");
        }
    }

    private static Exception Innermost(Exception e) => e.InnerException is null ? e : Innermost(e.InnerException);
}
