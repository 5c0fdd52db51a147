using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Microsoft.Extensions.Hosting;

public static partial class Extensions
{
    /// <summary>
    /// Aspire's <c>AddNpgsqlDataSource</c>: reads <c>ConnectionStrings:{name}</c>, registers the pooled
    /// <see cref="NpgsqlDataSource"/>, a <c>database</c> health check and the Npgsql telemetry sources.
    /// </summary>
    public static IHostApplicationBuilder AddNpgsqlDataSource(this IHostApplicationBuilder builder, string connectionName)
    {
        var connectionString = builder.Configuration.GetConnectionString(connectionName)
            ?? throw new InvalidOperationException(
                $"ConnectionStrings:{connectionName} is missing. Set ConnectionStrings__{connectionName} (the AppHost does this).");

        var csb = new NpgsqlConnectionStringBuilder(connectionString);
        csb.ApplicationName ??= builder.Environment.ApplicationName;
        // Fail fast while PostgreSQL is down instead of hanging requests (the contract wants 503 within seconds).
        if (csb.Timeout == 15) csb.Timeout = 5;
        var dataSource = new NpgsqlDataSourceBuilder(csb.ConnectionString).Build();

        builder.Services.AddSingleton(dataSource);
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            "database",
            _ => new NpgsqlHealthCheck(dataSource),
            HealthStatus.Unhealthy,
            tags: ["ready"],
            timeout: TimeSpan.FromSeconds(5)));
        return builder;
    }

    private sealed class NpgsqlHealthCheck(NpgsqlDataSource dataSource) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                await using var command = dataSource.CreateCommand("SELECT 1");
                await command.ExecuteScalarAsync(cancellationToken);
                return HealthCheckResult.Healthy();
            }
            catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException or TimeoutException)
            {
                return new HealthCheckResult(context.Registration.FailureStatus, "PostgreSQL is unreachable.");
            }
        }
    }
}
