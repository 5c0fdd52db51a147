using Npgsql;

namespace SmsBridge.Admin.Doctor;

/// <summary>
/// PostgreSQL as the services meet it, probed with the app role's own connection: passwords required (a connection
/// without one must be refused, which no <c>trust</c> line allows), SCRAM for stored passwords, the app role without
/// superuser, role or database creation, or CREATE on public, room for the services' pools, a supported version.
/// </summary>
public sealed class PostgresChecks(string appConnectionString, int services, TimeProvider time) : IDoctorCheck
{
    public string Area => "postgres";

    public async Task<IReadOnlyList<CheckResult>> RunAsync(CancellationToken cancellationToken)
    {
        var results = new List<CheckResult> { await PasswordRequiredAsync(cancellationToken) };
        await using var connection = new NpgsqlConnection(appConnectionString);
        await connection.OpenAsync(cancellationToken);

        var encryption = await ScalarAsync<string>(connection, "SHOW password_encryption", cancellationToken);
        results.Add(encryption == "scram-sha-256"
            ? CheckResult.Pass("postgres.password_encryption", "password_encryption = scram-sha-256 (an md5 line then still authenticates with SCRAM)")
            : CheckResult.Fail("postgres.password_encryption", $"password_encryption = {encryption}",
                "set password_encryption = scram-sha-256 in postgresql.conf and reset every role's password"));

        string name;
        List<string> powers;
        int limit;
        await using (var role = new NpgsqlCommand("""
            SELECT r.rolname, r.rolsuper, r.rolcreaterole, r.rolcreatedb, r.rolconnlimit, has_schema_privilege(current_user, 'public', 'CREATE')
            FROM pg_roles r WHERE r.rolname = current_user
            """, connection))
        await using (var reader = await role.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            name = reader.GetString(0);
            powers = [.. new[] { ("superuser", reader.GetBoolean(1)), ("CREATEROLE", reader.GetBoolean(2)), ("CREATEDB", reader.GetBoolean(3)),
                ("CREATE on schema public", reader.GetBoolean(5)) }.Where(p => p.Item2).Select(p => p.Item1)];
            limit = reader.GetInt32(4);
        }

        results.Add(powers.Count == 0
            ? CheckResult.Pass("postgres.app_role", $"{name}: no superuser, CREATEROLE, CREATEDB or CREATE on public")
            : CheckResult.Fail("postgres.app_role", $"{name} has {string.Join(", ", powers)}",
                $"run deploy/postgres/initdb.d as the superuser again, or: ALTER ROLE {name} NOSUPERUSER NOCREATEROLE NOCREATEDB; REVOKE CREATE ON SCHEMA public FROM {name}"));
        results.Add(await HeadroomAsync(connection, name, limit, new NpgsqlConnectionStringBuilder(appConnectionString).MaxPoolSize, cancellationToken));

        var versionNumber = await ScalarAsync<string>(connection, "SHOW server_version_num", cancellationToken);
        var major = int.Parse(versionNumber!, System.Globalization.CultureInfo.InvariantCulture) / 10000;
        results.Add(SupportWindows.Judge("postgres.version", "PostgreSQL", major.ToString(System.Globalization.CultureInfo.InvariantCulture),
            SupportWindows.PostgreSql.TryGetValue(major, out var end) ? end : null, time.GetUtcNow(),
            "upgrade to a supported major (pg_upgrade, or dump and restore: docs/operations.md)"));
        return results;
    }

    /// <summary>The app role's connection without its password: refused unless a trust (or ident/peer over TCP) line lets it in.</summary>
    private async Task<CheckResult> PasswordRequiredAsync(CancellationToken cancellationToken)
    {
        var withoutPassword = new NpgsqlConnectionStringBuilder(appConnectionString) { Password = null, Passfile = null, Pooling = false, Timeout = 5 };
        try
        {
            await using var connection = new NpgsqlConnection(withoutPassword.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            return CheckResult.Fail("postgres.trust", $"{withoutPassword.Username}@{withoutPassword.Host} connected without a password",
                "replace trust with scram-sha-256 in pg_hba.conf (deploy/postgres/pg_hba.conf) and reload PostgreSQL");
        }
        catch (NpgsqlException ex) when (ex is PostgresException { SqlState: "28P01" or "28000" }
                                          || ex.Message.Contains("password", StringComparison.OrdinalIgnoreCase))
        {
            return CheckResult.Pass("postgres.trust", "a connection without a password is refused");
        }
    }

    /// <summary>Room for every service's pool under the role's connection limit, and how much is in use now.</summary>
    private async Task<CheckResult> HeadroomAsync(NpgsqlConnection connection, string role, int limit, int pool, CancellationToken cancellationToken)
    {
        var inUse = await ScalarAsync<long>(connection, "SELECT count(*) FROM pg_stat_activity WHERE usename = current_user", cancellationToken);
        var max = int.Parse((await ScalarAsync<string>(connection, "SHOW max_connections", cancellationToken))!, System.Globalization.CultureInfo.InvariantCulture);
        var allowed = limit < 0 ? max : Math.Min(limit, max);
        var wanted = pool * services;
        var evidence = $"{role}: {inUse} of {allowed} connections in use; {services} services × pool {pool} = {wanted}";
        if (inUse * 10 >= allowed * 8)
        {
            return CheckResult.Fail("postgres.connections", evidence, "raise the role's CONNECTION LIMIT (and max_connections) or lower Maximum Pool Size");
        }

        return wanted > allowed
            ? CheckResult.Warn("postgres.connections", evidence + " (the pools may ask for more than allowed under load)",
                "set Maximum Pool Size in ConnectionStrings__smsbridge so the services' pools fit under the limit")
            : CheckResult.Pass("postgres.connections", evidence);
    }

    private static async Task<T?> ScalarAsync<T>(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T?)await command.ExecuteScalarAsync(cancellationToken);
    }
}
