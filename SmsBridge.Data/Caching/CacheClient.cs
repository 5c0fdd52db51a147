using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The services' Redis client: Aspire.StackExchange.Redis's shared <see cref="IConnectionMultiplexer"/> (with its
/// tracing), set to come up and reconnect by itself, and the contract's <c>redis</c> health check. Redis holds only
/// what can be rebuilt, so its loss degrades a service rather than failing it.
/// </summary>
public static class CacheClient
{
    public const string ConnectionName = "cache";

    public static IHostApplicationBuilder AddCacheClient(this IHostApplicationBuilder builder)
    {
        builder.RequireConnectionString(ConnectionName);
        builder.AddRedisClient(ConnectionName,
            settings => settings.DisableHealthChecks = true, // ours below reports Degraded, Aspire's Unhealthy
            options =>
            {
                options.AbortOnConnectFail = false;
                options.ConnectTimeout = 2000;
                options.SyncTimeout = 2000;
                options.AsyncTimeout = 2000;
                options.ConnectRetry = 1;
                options.ClientName ??= builder.Environment.ApplicationName;
            });

        builder.Services.AddHealthChecks().AddRedis(
            sp => sp.GetRequiredService<IConnectionMultiplexer>(),
            name: "redis",
            failureStatus: HealthStatus.Degraded,
            tags: ["ready"],
            timeout: TimeSpan.FromSeconds(3));
        return builder;
    }
}
