using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using System.Text;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using SmsBridge.Processes;

namespace SmsBridge.AppHost.Hosting;

/// <summary>Our hosting integration for Redis from the machine's binaries.</summary>
public static class LocalRedisExtensions
{
    public static IResourceBuilder<LocalRedisResource> AddLocalRedis(this IDistributedApplicationBuilder builder, string name,
        IResourceBuilder<ParameterResource> password, string dataRoot)
    {
        var resource = new LocalRedisResource(name, dataRoot, password.Resource);
        var healthCheck = $"{name}-answers-ping";
        builder.Services.AddHealthChecks().AddAsyncCheck(healthCheck, async cancellationToken =>
            await PingAsync(resource, cancellationToken) ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("no PONG"));

        return builder.AddResource(resource)
            .WithEndpoint(name: "tcp", scheme: "tcp", isProxied: false)
            .WithArgs(context =>
            {
                foreach (var argument in ServiceAccount.SetprivArguments(ServiceAccount.User)) context.Args.Add(argument);
                context.Args.Add("redis-server");
                context.Args.Add(resource.ConfigFile);
                context.Args.Add("--port");
                context.Args.Add(resource.Endpoint.Property(EndpointProperty.TargetPort));
            })
            .OnBeforeResourceStarted(async (redis, _, cancellationToken) =>
            {
                Directory.CreateDirectory(dataRoot);
                // The password lives only in this file (0600), never on a command line where ps would show it.
                await File.WriteAllTextAsync(redis.ConfigFile, $"""
                    bind 127.0.0.1
                    protected-mode yes
                    requirepass {await redis.Password.GetValueAsync(cancellationToken)}
                    dir {dataRoot}
                    appendonly yes
                    appendfsync everysec
                    save 3600 1
                    daemonize no
                    loglevel notice
                    """, cancellationToken);
                File.SetUnixFileMode(redis.ConfigFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                await DataFolderAccess.PrepareAsync(dataRoot);
            })
            .WithHealthCheck(healthCheck)
            .WithIconName("Memory")
            .ExcludeFromManifest();
    }

    private static async Task<bool> PingAsync(LocalRedisResource redis, CancellationToken cancellationToken)
    {
        try
        {
            var port = redis.Endpoint.Port;
            using var client = new TcpClient();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            await client.ConnectAsync("127.0.0.1", port, timeout.Token);
            var stream = client.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"AUTH {await redis.Password.GetValueAsync(cancellationToken)}\r\nPING\r\n"), timeout.Token);
            var received = new StringBuilder();
            var buffer = new byte[64];
            while (!received.ToString().Contains("PONG", StringComparison.Ordinal))
            {
                var read = await stream.ReadAsync(buffer, timeout.Token);
                if (read == 0) return false;
                received.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }

            return true;
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException or InvalidOperationException)
        {
            return false;
        }
    }
}
