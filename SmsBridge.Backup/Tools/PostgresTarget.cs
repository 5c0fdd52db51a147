using System.Text;
using Npgsql;

namespace SmsBridge.Backup.Tools;

/// <summary>
/// A database the PostgreSQL client tools connect to. The password goes into a 0600 passfile in a private
/// folder (<c>PGPASSFILE</c>), never into argv or <c>PGPASSWORD</c>, where other local users could read it.
/// </summary>
public sealed class PostgresTarget
{
    private readonly NpgsqlConnectionStringBuilder _builder;

    public PostgresTarget(string connectionString)
    {
        _builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false };
        if (string.IsNullOrEmpty(_builder.Database)) throw new ArgumentException("The connection string names no Database.", nameof(connectionString));
    }

    public string Database => _builder.Database!;

    public string Host => _builder.Host ?? "localhost";

    public int Port => _builder.Port;

    public string? Username => _builder.Username;

    /// <summary>The same server and role on another database.</summary>
    public PostgresTarget WithDatabase(string database) =>
        new(new NpgsqlConnectionStringBuilder(_builder.ConnectionString) { Database = database }.ConnectionString);

    public NpgsqlConnection OpenConnection() => new(_builder.ConnectionString);

    public string ConnectionString => _builder.ConnectionString;

    /// <summary>Connection arguments for pg_dump / pg_restore / psql (no password).</summary>
    public IReadOnlyList<string> ConnectionArguments()
    {
        List<string> arguments = ["--host", Host, "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--dbname", Database];
        if (Username is { } user) arguments.AddRange(["--username", user]);
        arguments.Add("--no-password");
        return arguments;
    }

    /// <summary>Writes the passfile and returns the environment for a client tool; dispose to delete it.</summary>
    public PassFile CreatePassFile(string privateDirectory)
    {
        var environment = new Dictionary<string, string?> { ["PGPASSWORD"] = null, ["PGCONNECT_TIMEOUT"] = "10" };
        if (_builder.SslMode != SslMode.Prefer && _builder.SslMode != SslMode.Disable)
        {
            environment["PGSSLMODE"] = _builder.SslMode.ToString().ToLowerInvariant() switch
            {
                "verifyca" => "verify-ca",
                "verifyfull" => "verify-full",
                var mode => mode,
            };
        }

        if (string.IsNullOrEmpty(_builder.Password)) return new PassFile(null, environment);
        var path = Path.Combine(privateDirectory, $"pgpass-{Guid.NewGuid():N}");
        using (var stream = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        }))
        {
            var line = $"{Escape(Host)}:{Port}:{Escape(Database)}:{Escape(Username ?? "*")}:{Escape(_builder.Password)}\n";
            stream.Write(Encoding.UTF8.GetBytes(line));
        }

        environment["PGPASSFILE"] = path;
        return new PassFile(path, environment);
    }

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace(":", "\\:", StringComparison.Ordinal);
}

/// <summary>A passfile on disk for the duration of one tool run.</summary>
public sealed class PassFile(string? path, Dictionary<string, string?> environment) : IDisposable
{
    public Dictionary<string, string?> Environment { get; } = environment;

    public void Dispose()
    {
        if (path is not null) File.Delete(path);
    }
}
