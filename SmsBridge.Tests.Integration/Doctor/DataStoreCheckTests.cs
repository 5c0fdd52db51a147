using SmsBridge.Admin.Doctor;
using SmsBridge.Tests.Deploy;
using SmsBridge.Tests.Infrastructure;

namespace SmsBridge.Tests.Doctor;

/// <summary>
/// doctor's PostgreSQL and Redis checks, each seen passing against the production configuration (deploy/postgres,
/// deploy/redis) and failing against a real server set up wrong: a <c>trust</c> line, the superuser as the app's role,
/// a Redis without a password or persistence.
/// </summary>
public sealed class DataStoreCheckTests
{
    private static readonly TimeProvider Clock = TimeProvider.System;

    private static CheckStatus StatusOf(IReadOnlyList<CheckResult> results, string id) => Assert.Single(results, r => r.Id == id).Status;

    [Fact]
    public async Task PostgreSQL_as_deployed_passes_and_a_trust_line_or_a_superuser_app_role_fails()
    {
        var deployed = new ProductionPostgres();
        var trusting = new ProductionPostgres { PrependHba = "local   all   all   trust" };
        await Task.WhenAll(deployed.InitializeAsync(), trusting.InitializeAsync());
        try
        {
            var app = await new PostgresChecks(deployed.Connection("smsbridge_app", ProductionPostgres.AppPassword), 3, Clock).RunAsync(CancellationToken.None);
            Assert.All(["postgres.trust", "postgres.password_encryption", "postgres.app_role", "postgres.version"],
                id => Assert.Equal(CheckStatus.Pass, StatusOf(app, id)));
            Assert.NotEqual(CheckStatus.Fail, StatusOf(app, "postgres.connections"));

            var trust = await new PostgresChecks(trusting.Connection("smsbridge_app", ProductionPostgres.AppPassword), 3, Clock).RunAsync(CancellationToken.None);
            Assert.Equal(CheckStatus.Fail, StatusOf(trust, "postgres.trust"));
            Assert.Contains("pg_hba.conf", Assert.Single(trust, r => r.Id == "postgres.trust").Fix, StringComparison.Ordinal);

            // The app role set up wrong by a superuser: MD5 for new passwords, and a connection limit its pools already fill.
            await using (var admin = new Npgsql.NpgsqlConnection(deployed.Connection("postgres", ProductionPostgres.SuperuserPassword)))
            {
                await admin.OpenAsync();
                await using var alter = new Npgsql.NpgsqlCommand(
                    "ALTER ROLE smsbridge_app SET password_encryption = 'md5'; ALTER ROLE smsbridge_app CONNECTION LIMIT 1", admin);
                await alter.ExecuteNonQueryAsync();
            }

            var misconfigured = await new PostgresChecks(deployed.Connection("smsbridge_app", ProductionPostgres.AppPassword), 3, Clock).RunAsync(CancellationToken.None);
            Assert.Equal(CheckStatus.Fail, StatusOf(misconfigured, "postgres.password_encryption"));
            Assert.Equal(CheckStatus.Fail, StatusOf(misconfigured, "postgres.connections"));

            var superuser = await new PostgresChecks(deployed.Connection("postgres", ProductionPostgres.SuperuserPassword), 3, Clock).RunAsync(CancellationToken.None);
            var role = Assert.Single(superuser, r => r.Id == "postgres.app_role");
            Assert.Equal(CheckStatus.Fail, role.Status);
            Assert.Contains("superuser", role.Evidence, StringComparison.Ordinal);
        }
        finally
        {
            await Task.WhenAll(deployed.DisposeAsync(), trusting.DisposeAsync());
        }
    }

    [Fact]
    public async Task Redis_as_deployed_passes_and_one_without_a_password_or_persistence_fails()
    {
        var deployed = new ProductionRedis();
        await deployed.InitializeAsync();
        var port = FreePorts.Next();
        // No password, no persistence (the launcher's own defaults), nothing protecting it.
        await using var bare = await ScratchRedis.StartAsync(new ScratchRedisOptions
        {
            Folder = await Tool.ServiceUserFolderAsync("smsbridge-bare-redis-"),
            Port = port,
            ServerArguments = ["--protected-mode", "no"],
        });
        try
        {
            var good = await new RedisChecks($"127.0.0.1:{deployed.Port},password={ProductionRedis.AppPassword}", Clock).RunAsync(CancellationToken.None);
            Assert.All(["redis.password", "redis.bind", "redis.persistence"], id => Assert.Equal(CheckStatus.Pass, StatusOf(good, id)));
            Assert.NotEqual(CheckStatus.Fail, StatusOf(good, "redis.version"));

            var open = await new RedisChecks($"127.0.0.1:{port}", Clock).RunAsync(CancellationToken.None);
            Assert.Equal(CheckStatus.Fail, StatusOf(open, "redis.password"));
            Assert.Equal(CheckStatus.Fail, StatusOf(open, "redis.persistence"));
            Assert.Equal(CheckStatus.Pass, StatusOf(open, "redis.bind"));
        }
        finally
        {
            await deployed.DisposeAsync();
        }
    }

    [Fact]
    public void Versions_are_judged_against_the_dated_support_table()
    {
        var now = new DateTimeOffset(2027, 10, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal(CheckStatus.Pass, SupportWindows.Judge("x", "PostgreSQL", "16", SupportWindows.PostgreSql[16], now, "upgrade").Status);
        Assert.Equal(CheckStatus.Warn, SupportWindows.Judge("x", "PostgreSQL", "15", SupportWindows.PostgreSql[15], now, "upgrade").Status);
        Assert.Equal(CheckStatus.Fail, SupportWindows.Judge("x", "PostgreSQL", "14", SupportWindows.PostgreSql[14], now, "upgrade").Status);
        Assert.Equal(CheckStatus.Warn, SupportWindows.Judge("x", "Redis", "5.0", null, now, "upgrade").Status);
    }
}
