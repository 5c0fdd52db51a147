using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using SmsBridge.Processes;

namespace SmsBridge.AppHost.Hosting;

/// <summary>Our hosting integration for PostgreSQL from the machine's binaries (there is no Docker engine to run Aspire's container).</summary>
public static class LocalPostgresExtensions
{
    public static IResourceBuilder<LocalPostgresResource> AddLocalPostgres(this IDistributedApplicationBuilder builder, string name,
        IResourceBuilder<ParameterResource> password, string dataRoot, bool fastUnsafeStorage)
    {
        var resource = new LocalPostgresResource(name, dataRoot, password.Resource);
        // The benchmark counts statements per operation; the module costs a little on every query, so it is opt-in.
        var statementStatistics = builder.Configuration.GetValue("AppHost:StatementStatistics", false);
        var healthCheck = $"{name}-accepts-connections";
        builder.Services.AddHealthChecks().AddAsyncCheck(healthCheck, async cancellationToken =>
        {
            try
            {
                var connectionString = await resource.ConnectionStringExpression.GetValueAsync(cancellationToken);
                await using var connection = new NpgsqlConnection(connectionString + ";Database=postgres;Timeout=3;Pooling=false");
                await connection.OpenAsync(cancellationToken);
                return Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Healthy();
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
            {
                return Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Unhealthy(ex.Message);
            }
        });

        return builder.AddResource(resource)
            .WithEndpoint(name: "tcp", scheme: "tcp", isProxied: false)
            .WithArgs(context =>
            {
                foreach (var argument in ServiceAccount.SetprivArguments(ServiceAccount.User)) context.Args.Add(argument);
                context.Args.Add(Path.Combine(LocalPostgresResource.BinDirectory, "postgres"));
                string[] settings = ["listen_addresses=127.0.0.1", "password_encryption=scram-sha-256", "max_connections=200"];
                if (fastUnsafeStorage) settings = [.. settings, "fsync=off", "full_page_writes=off"];
                if (statementStatistics) settings = [.. settings, "shared_preload_libraries=pg_stat_statements"];
                foreach (var argument in new object[] { "-D", resource.DataDirectory, "-k", Path.Combine(dataRoot, "run") }) context.Args.Add(argument);
                context.Args.Add("-p");
                context.Args.Add(resource.Endpoint.Property(EndpointProperty.TargetPort));
                foreach (var setting in settings)
                {
                    context.Args.Add("-c");
                    context.Args.Add(setting);
                }
            })
            .OnBeforeResourceStarted(async (postgres, @event, cancellationToken) =>
            {
                var logger = @event.Services.GetRequiredService<ResourceLoggerService>().GetLogger(postgres);
                await DataFolderAccess.PrepareAsync(dataRoot);
                await DataFolderAccess.PrepareAsync(Path.Combine(dataRoot, "run"));
                await StopLeftoverAsync(postgres, logger);
                if (!File.Exists(Path.Combine(postgres.DataDirectory, "PG_VERSION")))
                {
                    await InitDbAsync(postgres, await postgres.Password.GetValueAsync(cancellationToken) ?? "", fastUnsafeStorage, logger);
                }
            })
            .WithHealthCheck(healthCheck)
            .WithIconName("DatabaseMultiple")
            .ExcludeFromManifest();
    }

    /// <summary>A server left running by an AppHost that was killed (its pid file names a live process) is stopped first.</summary>
    private static async Task StopLeftoverAsync(LocalPostgresResource postgres, ILogger logger)
    {
        var pidFile = Path.Combine(postgres.DataDirectory, "postmaster.pid");
        if (!File.Exists(pidFile) || !int.TryParse(File.ReadLines(pidFile).FirstOrDefault(), out var pid)) return;
        try
        {
            using var leftover = Process.GetProcessById(pid);
            logger.LogWarning("Stopping PostgreSQL left running by an earlier run (pid {Pid})", pid);
            leftover.Kill();
            await leftover.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15));
        }
        catch (ArgumentException)
        {
            // Not running: PostgreSQL itself ignores a stale pid file whose process is gone.
        }
    }

    private static async Task InitDbAsync(LocalPostgresResource postgres, string password, bool fastUnsafeStorage, ILogger logger)
    {
        logger.LogInformation("initdb: creating the cluster in {Directory}", postgres.DataDirectory);
        var passwordFile = Path.Combine(postgres.DataRoot, "initdb.pw");
        await File.WriteAllTextAsync(passwordFile, password);
        File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await DataFolderAccess.PrepareAsync(postgres.DataRoot);
        try
        {
            List<string> arguments = ["-D", postgres.DataDirectory, "-U", "postgres", "--pwfile", passwordFile, "--auth=scram-sha-256",
                "-E", "UTF8", "--locale=C.UTF-8"];
            if (fastUnsafeStorage) arguments.Add("--no-sync");
            var initDb = await ExternalProgram.CaptureAsync(
                new ProgramInvocation(Path.Combine(LocalPostgresResource.BinDirectory, "initdb"), arguments) { RunAsUser = ServiceAccount.User });
            var (code, output) = (initDb.ExitCode, initDb.All);
            foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries)) logger.LogInformation("initdb: {Line}", line);
            if (code != 0) throw new DistributedApplicationException($"initdb for '{postgres.Name}' failed ({code}); see its console log.");
        }
        finally
        {
            File.Delete(passwordFile);
        }
    }
}
