using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SmsBridge.Admin.Doctor;

/// <summary>
/// The receiver believes <c>X-Forwarded-For</c> only from the configured proxies: a request from this host (not the proxy)
/// claiming a public address must be judged by this host's own (LAN) address. Probed on <c>POST /sms/receive</c> without a
/// key: ignored, the answer is 401; believed, the claimed public source is refused first with 403 FORBIDDEN_SOURCE.
/// </summary>
/// <param name="localAddress">The address to send from (tests: another loopback address than the trusted one).</param>
public sealed class ProxyChecks(Uri receiver, IPAddress? localAddress = null) : IDoctorCheck
{
    private const string SpoofedSource = "203.0.113.77"; // TEST-NET-3: never a real client

    public string Area => "proxy";

    public async Task<IReadOnlyList<CheckResult>> RunAsync(CancellationToken cancellationToken)
    {
        using var handler = new SocketsHttpHandler { UseProxy = false, ConnectCallback = ConnectAsync };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(5) };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(receiver, "/sms/receive"))
        {
            Content = new StringContent("{}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Forwarded-For", SpoofedSource);
        using var response = await http.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        CheckResult result = response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => CheckResult.Pass("proxy.forwarded", $"X-Forwarded-For: {SpoofedSource} from this host was ignored (401 without a key)"),
            HttpStatusCode.Forbidden when body.Contains("FORBIDDEN_SOURCE", StringComparison.Ordinal) => CheckResult.Fail("proxy.forwarded",
                $"the receiver believed X-Forwarded-For: {SpoofedSource} from this host, so it trusts this host as a proxy",
                "list only the TLS proxy's address in ForwardedHeaders__TrustedProxies__* on the receiver"),
            _ => CheckResult.Warn("proxy.forwarded", $"POST /sms/receive answered {(int)response.StatusCode}, neither 401 nor 403 FORBIDDEN_SOURCE",
                "check the receiver's source allowlist (Receiver__AllowedSources) covers this host"),
        };
        return [result];
    }

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            if (localAddress is not null) socket.Bind(new IPEndPoint(localAddress, 0));
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
