using System.Text.RegularExpressions;
using Npgsql;

namespace SmsBridge.Tests.Deploy;

public sealed class PgBouncerTests(ProductionPostgres postgres) : IClassFixture<ProductionPostgres>
{
    [Fact]
    public async Task PgBouncer_with_the_generated_ini_accepts_the_app_role_with_scram_and_refuses_a_wrong_password()
    {
        var folder = Path.Combine(postgres.Folder, "pgbouncer");
        var authDirectory = Path.Combine(folder, "auth");
        Directory.CreateDirectory(authDirectory);
        var port = FreePorts.Next();
        // The generated file, pointed at this machine: the server's socket, a loopback listener, temporary paths.
        var ini = Repo.Read("deploy/pgbouncer/pgbouncer.ini");
        ini = Regex.Replace(ini, @"host=postgres port=5432", $"host={postgres.SocketDirectory} port={postgres.Port}");
        ini = Regex.Replace(ini, @"(?m)^listen_addr = .*$", "listen_addr = 127.0.0.1");
        ini = Regex.Replace(ini, @"(?m)^listen_port = .*$", $"listen_port = {port}");
        ini = Regex.Replace(ini, @"(?m)^auth_file = .*$", $"auth_file = {authDirectory}/userlist.txt");
        ini = Regex.Replace(ini, @"(?m)^logfile = .*$", $"logfile = {folder}/pgbouncer.log");
        Assert.Contains("auth_type = scram-sha-256", ini, StringComparison.Ordinal);
        var iniPath = Path.Combine(folder, "pgbouncer.ini");
        await File.WriteAllTextAsync(iniPath, ini);
        // The password as compose mounts it: a secret file named by PGBOUNCER_PASSWORD_FILE.
        var passwordFile = Path.Combine(folder, "smsbridge-app-password");
        await File.WriteAllTextAsync(passwordFile, ProductionPostgres.AppPassword);
        await ProductionPostgres.ChownAsync(folder);
        File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead);

        var pooler = Tool.StartAsServiceUser("/bin/sh", [Repo.PathOf("deploy/pgbouncer/entrypoint.sh")], new Dictionary<string, string>
        {
            ["PGBOUNCER_USER"] = "smsbridge_app",
            ["PGBOUNCER_PASSWORD_FILE"] = passwordFile,
            ["PGBOUNCER_AUTH_DIR"] = authDirectory,
            ["PGBOUNCER_INI"] = iniPath,
            [EntrypointScripts.LibraryVariable] = EntrypointScripts.Library,
        });
        try
        {
            var app = $"Host=127.0.0.1;Port={port};Username=smsbridge_app;Password={ProductionPostgres.AppPassword};Database=smsbridge;Pooling=false;Timeout=5";
            await ProductionPostgres.WaitForAsync(app);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(authDirectory, "userlist.txt")));

            await using (var connection = new NpgsqlConnection(app))
            {
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand("SELECT current_user, (SELECT count(*) FROM settings_versions)", connection);
                await using var reader = await command.ExecuteReaderAsync();
                Assert.True(await reader.ReadAsync());
                Assert.Equal("smsbridge_app", reader.GetString(0));
                Assert.True(reader.GetInt64(1) >= 1);
            }

            // Session pooling keeps a client on one server session: LISTEN through the pooler hears a NOTIFY.
            await using (var listener = new NpgsqlConnection(app))
            {
                await listener.OpenAsync();
                var heard = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
                listener.Notification += (_, e) => heard.TrySetResult(e.Payload);
                await using (var listen = new NpgsqlCommand("LISTEN smsbridge_pooler_test", listener)) await listen.ExecuteNonQueryAsync();
                await using (var direct = new NpgsqlConnection(postgres.Connection("smsbridge_app", ProductionPostgres.AppPassword)))
                {
                    await direct.OpenAsync();
                    await using var notify = new NpgsqlCommand("SELECT pg_notify('smsbridge_pooler_test', 'hello')", direct);
                    await notify.ExecuteNonQueryAsync();
                }

                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                while (!heard.Task.IsCompleted) await listener.WaitAsync(wait.Token);
                Assert.Equal("hello", await heard.Task);
            }

            await using var wrong = new NpgsqlConnection(app.Replace(ProductionPostgres.AppPassword, "WrongPassword123456789", StringComparison.Ordinal));
            await Assert.ThrowsAsync<PostgresException>(() => wrong.OpenAsync());
        }
        finally
        {
            await pooler.DisposeAsync();
        }
    }

    [Fact]
    public async Task The_entrypoint_refuses_an_empty_password_naming_the_variable()
    {
        var result = await EntrypointScripts.RunAsync("deploy/pgbouncer/entrypoint.sh",
            new Dictionary<string, string> { ["PGBOUNCER_USER"] = "smsbridge_app", ["PGBOUNCER_PASSWORD"] = "" });

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("PGBOUNCER_PASSWORD (the smsbridge-app-password secret) is empty", result.Error, StringComparison.Ordinal);

        var unreadable = await EntrypointScripts.RunAsync("deploy/pgbouncer/entrypoint.sh",
            new Dictionary<string, string> { ["PGBOUNCER_USER"] = "smsbridge_app", ["PGBOUNCER_PASSWORD_FILE"] = "/run/secrets/no-such-secret" });
        Assert.Equal(1, unreadable.ExitCode);
        Assert.Contains("PGBOUNCER_PASSWORD_FILE names /run/secrets/no-such-secret, which cannot be read", unreadable.Error, StringComparison.Ordinal);
    }
}
