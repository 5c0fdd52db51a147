namespace SmsBridge.Tests.Deploy;

/// <summary>
/// deploy/lib/secret-files.sh, the one secret reader of the data stores' entrypoints, run through each of them as its container
/// runs it: a refusal is one line on stderr that names the variable, and exit 1 before anything starts.
/// </summary>
public sealed class SecretFileReaderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("smsbridge-secret-reader-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>Each script, the tag its lines start with, the first secret it reads and how its refusal names that secret.</summary>
    public static TheoryData<string, string, string, string> Scripts => new()
    {
        { "deploy/postgres/initdb.d/10-smsbridge-roles.sh", "smsbridge init", "SMSBRIDGE_OWNER_PASSWORD", "SMSBRIDGE_OWNER_PASSWORD" },
        { "deploy/redis/entrypoint.sh", "redis", "REDIS_PASSWORD", "REDIS_PASSWORD" },
        { "deploy/pgbouncer/entrypoint.sh", "pgbouncer", "PGBOUNCER_PASSWORD", "PGBOUNCER_PASSWORD (the smsbridge-app-password secret)" },
    };

    private string WriteSecret(string name, string content)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>The script run with one secret variable; PgBouncer's user is set for all, as the others ignore it.</summary>
    private static async Task<string> RefusalAsync(string script, string variable, string value)
    {
        var result = await EntrypointScripts.RunAsync(script, new Dictionary<string, string> { ["PGBOUNCER_USER"] = "smsbridge_app", [variable] = value });
        Assert.True(result.ExitCode == 1, $"{script}: exit code {result.ExitCode}, {result.All}");
        Assert.Equal("", result.Output);
        return result.Error;
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public async Task A_secret_file_that_cannot_be_read_or_an_empty_secret_is_refused_in_one_line_naming_it(string script, string tag,
        string variable, string name)
    {
        var missing = Path.Combine(_folder, "no-such-secret");
        Assert.Equal($"{tag}: {variable}_FILE names {missing}, which cannot be read; run deploy/setup-production.sh\n",
            await RefusalAsync(script, variable + "_FILE", missing));

        // A file that holds only an editor's newline is as empty as the variable.
        var empty = $"{tag}: {name} is empty; run deploy/setup-production.sh\n";
        Assert.Equal(empty, await RefusalAsync(script, variable + "_FILE", WriteSecret("empty", "\n")));
        Assert.Equal(empty, await RefusalAsync(script, variable, ""));
    }

    [Fact]
    public async Task Each_script_refuses_the_characters_its_file_cannot_carry_reading_the_FILE_over_the_variable()
    {
        var spaced = WriteSecret("spaced", "two words\n");
        var quoted = WriteSecret("quoted", "pass\"word\n");

        var redis = await EntrypointScripts.RunAsync("deploy/redis/entrypoint.sh",
            new Dictionary<string, string> { ["REDIS_PASSWORD"] = "RedisAppPassw0rdForTheTestOnly", ["REDIS_PASSWORD_FILE"] = spaced });
        var pgbouncer = await EntrypointScripts.RunAsync("deploy/pgbouncer/entrypoint.sh",
            new Dictionary<string, string> { ["PGBOUNCER_USER"] = "smsbridge_app", ["PGBOUNCER_PASSWORD_FILE"] = quoted });

        Assert.Equal((1, "redis: REDIS_PASSWORD must not contain white space\n"), (redis.ExitCode, redis.Error));
        Assert.Equal((1, "pgbouncer: the app password must not contain a double quote\n"), (pgbouncer.ExitCode, pgbouncer.Error));
    }
}
