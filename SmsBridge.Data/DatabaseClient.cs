using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The services' PostgreSQL client: Aspire.Npgsql's pooled <see cref="NpgsqlDataSource"/> (with its tracing and metrics),
/// tuned for the app role, and the contract's <c>database</c> health check.
/// </summary>
public static class DatabaseClient
{
    public const string ConnectionName = "smsbridge";

    /// <summary>
    /// Connections one service instance may hold. The app role has <c>CONNECTION LIMIT 60</c> (postgres-init.sql) and
    /// receiver, admin and backup share it, so each pool stays well below a third of it (<c>Database:MaxPoolSize</c>).
    /// </summary>
    public const int DefaultMaxPoolSize = 16;

    /// <summary>Idle connections are closed after this long, so PostgreSQL's backends give their memory back after a burst.</summary>
    public const int IdleLifetimeSeconds = 30;

    /// <summary>How many distinct statements each connection keeps prepared (Npgsql's automatic preparation).</summary>
    public const int MaxAutoPrepare = 64;

    /// <param name="resetOnClose">
    /// False for a service that leaves no session state on a connection (no <c>SET</c>, session advisory lock or temporary
    /// table): Npgsql then skips the reset it otherwise sends with the next use of a pooled connection, a few statements (and
    /// PostgreSQL transactions) on every open.
    /// </param>
    public static IHostApplicationBuilder AddDatabaseClient(this IHostApplicationBuilder builder, bool resetOnClose = true)
    {
        builder.RequireConnectionString(ConnectionName);
        var maxPoolSize = builder.Configuration.GetValue("Database:MaxPoolSize", DefaultMaxPoolSize);
        builder.AddNpgsqlDataSource(ConnectionName,
            settings => settings.DisableHealthChecks = true, // ours below carries the contract's name
            dataSource =>
            {
                var connection = dataSource.ConnectionStringBuilder;
                connection.ApplicationName ??= builder.Environment.ApplicationName;
                // Npgsql's defaults, unless the connection string chose otherwise. A short connect timeout fails fast
                // while PostgreSQL is down (the contract wants 503 within seconds, not a hung request).
                if (connection.Timeout == 15) connection.Timeout = 5;
                if (connection.MaxPoolSize == 100) connection.MaxPoolSize = maxPoolSize;
                if (connection.ConnectionIdleLifetime == 300) connection.ConnectionIdleLifetime = IdleLifetimeSeconds;
                // The same few statements run thousands of times: prepared once per connection, each run skips PostgreSQL's
                // parse and plan. (PgBouncer in session mode keeps a connection's prepared statements.)
                if (connection.MaxAutoPrepare == 0) connection.MaxAutoPrepare = MaxAutoPrepare;
                if (!resetOnClose) connection.NoResetOnClose = true;
            });

        builder.Services.AddHealthChecks().AddNpgSql(
            sp => sp.GetRequiredService<NpgsqlDataSource>(),
            name: "database",
            failureStatus: HealthStatus.Unhealthy,
            tags: ["ready"],
            timeout: TimeSpan.FromSeconds(5));
        return builder;
    }
}
