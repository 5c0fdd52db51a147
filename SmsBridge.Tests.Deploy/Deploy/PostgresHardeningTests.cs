using Npgsql;

namespace SmsBridge.Tests.Deploy;

/// <summary>The automatable CIS PostgreSQL / STIG checks, on the production init SQL and pg_hba.conf applied for real.</summary>
public sealed class PostgresHardeningTests(ProductionPostgres postgres) : IClassFixture<ProductionPostgres>
{
    private static readonly string[] ServiceRoles = ["smsbridge_owner", "smsbridge_app", "smsbridge_backup"];

    private async Task<List<object?[]>> QueryAsync(string sql, string user = "postgres", string password = ProductionPostgres.SuperuserPassword,
        string database = "smsbridge")
    {
        await using var connection = new NpgsqlConnection(postgres.Connection(user, password, database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<object?[]>();
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            rows.Add(row);
        }

        return rows;
    }

    [Fact]
    public async Task Password_encryption_is_scram_and_every_stored_password_is_scram()
    {
        Assert.Equal("scram-sha-256", (await QueryAsync("SHOW password_encryption"))[0][0]);

        var stored = await QueryAsync("SELECT rolname, rolpassword FROM pg_authid WHERE rolpassword IS NOT NULL");

        Assert.Equal(4, stored.Count); // postgres and the three service roles
        Assert.All(stored, row => Assert.StartsWith("SCRAM-SHA-256$", (string)row[1]!, StringComparison.Ordinal));
        Assert.Contains("ready", postgres.InitOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Log_connections_and_disconnections_are_on()
    {
        Assert.Equal("on", (await QueryAsync("SHOW log_connections"))[0][0]);
        Assert.Equal("on", (await QueryAsync("SHOW log_disconnections"))[0][0]);
    }

    [Fact]
    public async Task Pg_hba_has_no_weak_method_and_admits_only_the_service_roles_from_the_internal_network()
    {
        var rules = await QueryAsync("SELECT type, database, user_name, address, auth_method, error FROM pg_hba_file_rules");

        Assert.All(rules, rule => Assert.Null(rule[5]));
        Assert.DoesNotContain(rules, rule => ((string)rule[0]!).StartsWith("host", StringComparison.Ordinal)
                                             && (string)rule[4]! is "trust" or "password" or "md5");
        Assert.DoesNotContain(rules, rule => (string)rule[4]! == "trust");
        var admitted = rules.Where(rule => (string)rule[0]! == "host" && (string)rule[4]! == "scram-sha-256").ToList();
        var only = Assert.Single(admitted);
        Assert.Equal(["smsbridge"], (string[])only[1]!);
        Assert.Equal(ServiceRoles.Order(), ((string[])only[2]!).Order());
        Assert.Equal(SmsBridge.AppHost.Publishing.ProductionStack.InternalSubnet.Split('/')[0], (string)only[3]!);
    }

    [Fact]
    public async Task The_superuser_and_the_app_cannot_log_in_over_tcp_from_outside_the_internal_network()
    {
        foreach (var (user, password) in new[] { ("postgres", ProductionPostgres.SuperuserPassword), ("smsbridge_app", ProductionPostgres.AppPassword) })
        {
            await using var connection = new NpgsqlConnection(
                $"Host=127.0.0.1;Port={postgres.Port};Username={user};Password={password};Database=smsbridge;Pooling=false;Timeout=5");
            var error = await Assert.ThrowsAsync<PostgresException>(() => connection.OpenAsync());
            Assert.Equal(PostgresErrorCodes.InvalidAuthorizationSpecification, error.SqlState);
        }
    }

    [Fact]
    public async Task Service_roles_have_no_superpowers_and_limited_connections()
    {
        var roles = await QueryAsync(
            "SELECT rolname, rolsuper, rolcreaterole, rolcreatedb, rolreplication, rolbypassrls, rolconnlimit FROM pg_roles WHERE rolname LIKE 'smsbridge%'");

        Assert.Equal(ServiceRoles.Order(), roles.Select(r => (string)r[0]!).Order());
        foreach (var role in roles)
        {
            Assert.True(role[1..6].All(flag => (bool)flag! == false), $"{role[0]} has a privilege flag set");
            Assert.InRange((int)role[6]!, 1, 60);
        }
    }

    [Fact]
    public async Task App_role_cannot_create_tables_or_schemas()
    {
        foreach (var ddl in new[] { "CREATE TABLE public.intruder (id int)", "CREATE SCHEMA intruder", "CREATE FUNCTION public.f() RETURNS int LANGUAGE sql AS 'SELECT 1'" })
        {
            var error = await Assert.ThrowsAsync<PostgresException>(() => QueryAsync(ddl, "smsbridge_app", ProductionPostgres.AppPassword));
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
        }

        // It still does its job: read and write rows of the migrated schema.
        var rows = await QueryAsync("SELECT count(*) FROM webhook_outbox", "smsbridge_app", ProductionPostgres.AppPassword);
        Assert.Equal(0L, rows[0][0]);
    }

    [Fact]
    public async Task App_and_backup_roles_cannot_read_password_hashes()
    {
        foreach (var (user, password) in new[] { ("smsbridge_app", ProductionPostgres.AppPassword), ("smsbridge_backup", ProductionPostgres.BackupPassword) })
        {
            foreach (var sql in new[] { "SELECT rolpassword FROM pg_authid", "SELECT passwd FROM pg_shadow" })
            {
                var error = await Assert.ThrowsAsync<PostgresException>(() => QueryAsync(sql, user, password));
                Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
            }
        }
    }

    [Fact]
    public async Task Backup_role_reads_everything_and_writes_nothing()
    {
        var error = await Assert.ThrowsAsync<PostgresException>(() =>
            QueryAsync("DELETE FROM blacklist", "smsbridge_backup", ProductionPostgres.BackupPassword));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
        Assert.NotEmpty(await QueryAsync("SELECT * FROM settings_versions", "smsbridge_backup", ProductionPostgres.BackupPassword));
    }

    [Fact]
    public async Task The_monitoring_kits_exporter_queries_run_as_the_backup_role()
    {
        var queries = Yaml.Load(Repo.Read("deploy/monitoring/postgres-exporter/queries.yaml"));

        foreach (var (name, definition) in queries)
        {
            var rows = await QueryAsync((string)((Dictionary<object, object>)definition)["query"], "smsbridge_backup", ProductionPostgres.BackupPassword);
            var metrics = definition.List("metrics").Cast<Dictionary<object, object>>().ToList();
            // An aggregate is one row; a query with a LABEL column is one row per label value (none on a fresh database).
            var labelled = metrics.Any(m => ((Dictionary<object, object>)m.Values.Single())["usage"] as string == "LABEL");
            if (!labelled) Assert.Single(rows);
            Assert.All(rows, row => Assert.Equal(metrics.Count, row.Length));
            Assert.All(rows.SelectMany(row => row), value => Assert.NotNull(value));
            Assert.StartsWith("smsbridge_", (string)name, StringComparison.Ordinal);
        }
    }
}
