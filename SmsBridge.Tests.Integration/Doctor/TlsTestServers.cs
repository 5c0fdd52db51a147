using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using SmsBridge.Tests.Deploy;

namespace SmsBridge.Tests.Doctor;

/// <summary>
/// One real nginx on loopback with a server block per scenario (each on its own port), all signed by one test PKI:
/// the way production serves TLS, good and broken.
/// </summary>
public sealed class TlsTestServers : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("smsbridge-doctor-tls-").FullName;
    private RunningProgram? _nginx;

    public TestPki Pki { get; } = new();

    /// <summary>60-day leaf with its chain, TLS 1.2+, HSTS of a year, and an HTTP block that 301s here.</summary>
    public Endpoint Good { get; } = new(FreePorts.Next(), FreePorts.Next());

    public Endpoint FiveDays { get; } = new(FreePorts.Next(), FreePorts.Next());

    public Endpoint FifteenDays { get; } = new(FreePorts.Next(), FreePorts.Next());

    /// <summary>The leaf alone, as when nginx is given cert.pem instead of fullchain.pem.</summary>
    public Endpoint NoIntermediate { get; } = new(FreePorts.Next(), FreePorts.Next());

    /// <summary>No HSTS, and an HTTP block that serves the page (200) instead of redirecting.</summary>
    public Endpoint PlainHttp { get; } = new(FreePorts.Next(), FreePorts.Next());

    /// <summary>HSTS of one day and a 302 redirect.</summary>
    public Endpoint Temporary { get; } = new(FreePorts.Next(), FreePorts.Next());

    /// <summary>Also TLS 1.1 (at security level 0, which OpenSSL 3 needs for it).</summary>
    public Endpoint Legacy { get; } = new(FreePorts.Next(), FreePorts.Next());

    public async Task InitializeAsync()
    {
        using var leaf60 = Pki.Leaf("localhost-60d", TimeSpan.FromDays(60));
        using var leaf5 = Pki.Leaf("localhost-5d", TimeSpan.FromDays(5));
        using var leaf15 = Pki.Leaf("localhost-15d", TimeSpan.FromDays(15));
        var full60 = TestPki.WritePem(_folder, "leaf60-fullchain", leaf60, Pki.Intermediate);
        var only60 = TestPki.WritePem(_folder, "leaf60-cert", leaf60, intermediate: null);
        var full5 = TestPki.WritePem(_folder, "leaf5-fullchain", leaf5, Pki.Intermediate);
        var full15 = TestPki.WritePem(_folder, "leaf15-fullchain", leaf15, Pki.Intermediate);

        const string modern = "ssl_protocols TLSv1.2 TLSv1.3;";
        const string year = "add_header Strict-Transport-Security \"max-age=31536000; includeSubDomains\" always;";
        var servers = new StringBuilder()
            .Append(Https(Good, full60, modern, year)).Append(Redirect(Good, 301))
            .Append(Https(FiveDays, full5, modern, year)).Append(Redirect(FiveDays, 301))
            .Append(Https(FifteenDays, full15, modern, year)).Append(Redirect(FifteenDays, 301))
            .Append(Https(NoIntermediate, only60, modern, year)).Append(Redirect(NoIntermediate, 301))
            .Append(Https(PlainHttp, full60, modern, "")).Append(Http(PlainHttp.HttpPort, "return 200 \"plain\\n\";"))
            .Append(Https(Temporary, full60, modern, "add_header Strict-Transport-Security \"max-age=86400\" always;")).Append(Redirect(Temporary, 302))
            .Append(Https(Legacy, full60, "ssl_protocols TLSv1.1 TLSv1.2; ssl_ciphers DEFAULT@SECLEVEL=0;", year)).Append(Redirect(Legacy, 301));
        var config = Path.Combine(_folder, "nginx.conf");
        await File.WriteAllTextAsync(config, $$"""
            daemon off;
            worker_processes 1;
            pid {{_folder}}/nginx.pid;
            error_log {{_folder}}/error.log warn;
            events { worker_connections 64; }
            http {
                access_log off;
                client_body_temp_path {{_folder}}/client_temp;
                proxy_temp_path {{_folder}}/proxy_temp;
                fastcgi_temp_path {{_folder}}/fastcgi_temp;
                uwsgi_temp_path {{_folder}}/uwsgi_temp;
                scgi_temp_path {{_folder}}/scgi_temp;
            {{servers}}
            }
            """);

        // As root, like the packaged service: nginx drops its workers to nobody, and the master reads the keys.
        _nginx = ExternalProgram.Start(new ProgramInvocation("nginx", ["-c", config, "-e", Path.Combine(_folder, "error.log")]));
        await WaitUntilListeningAsync();
    }

    public async Task DisposeAsync()
    {
        if (_nginx is not null)
        {
            // TERM (what "nginx -s stop" sends) lets the master reap its workers; killing it would leave them to init.
            await _nginx.StopAsync("TERM", TimeSpan.FromSeconds(10));
            await _nginx.DisposeAsync();
        }

        Pki.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private async Task WaitUntilListeningAsync()
    {
        var ports = new[] { Good, FiveDays, FifteenDays, NoIntermediate, PlainHttp, Temporary, Legacy }.SelectMany(e => new[] { e.HttpsPort, e.HttpPort });
        var deadline = DateTime.UtcNow.AddSeconds(15);
        foreach (var port in ports)
        {
            while (true)
            {
                if (_nginx!.HasExited) throw new InvalidOperationException("nginx stopped: " + await File.ReadAllTextAsync(Path.Combine(_folder, "error.log")));
                try
                {
                    using var tcp = new TcpClient();
                    await tcp.ConnectAsync(IPAddress.Loopback, port);
                    break;
                }
                catch (SocketException) when (DateTime.UtcNow < deadline)
                {
                    await Task.Delay(100);
                }
            }
        }
    }

    private static string Https(Endpoint endpoint, (string Certificate, string Key) pem, string protocols, string hsts) => $$"""
            server {
                listen 127.0.0.1:{{endpoint.HttpsPort}} ssl;
                server_name localhost;
                ssl_certificate {{pem.Certificate}};
                ssl_certificate_key {{pem.Key}};
                {{protocols}}
                {{hsts}}
                location / { return 200 "ok\n"; }
            }

        """;

    private static string Redirect(Endpoint endpoint, int status) =>
        Http(endpoint.HttpPort, $"return {status} https://$host:{endpoint.HttpsPort}$request_uri;");

    private static string Http(int port, string body) => $$"""
            server {
                listen 127.0.0.1:{{port}};
                server_name localhost;
                location / { {{body}} }
            }

        """;

    public sealed record Endpoint(int HttpsPort, int HttpPort)
    {
        public Uri HttpsUrl => new($"https://localhost:{HttpsPort}/");

        public Uri HttpUrl => new($"http://localhost:{HttpPort}/");
    }
}
