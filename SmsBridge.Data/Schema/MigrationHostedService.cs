using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace SmsBridge.Data.Schema;

/// <summary>Migrates before the service starts taking requests, waiting up to a minute for PostgreSQL.</summary>
internal sealed class MigrationHostedService(DatabaseMigrator migrator, ILogger<MigrationHostedService> logger, TimeProvider time)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow().AddMinutes(1);
        while (true)
        {
            try
            {
                await migrator.MigrateAsync(cancellationToken);
                return;
            }
            catch (NpgsqlException ex) when (ex.IsTransient && time.GetUtcNow() < deadline)
            {
                logger.LogWarning("PostgreSQL not reachable for migrations yet ({Reason}); retrying", ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), time, cancellationToken);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
