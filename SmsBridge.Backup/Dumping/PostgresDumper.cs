using Npgsql;
using SmsBridge.Backup.Artefacts;
using SmsBridge.Backup.Configuration;
using SmsBridge.Backup.Tools;
using SmsBridge.Processes;
using SmsBridge.Data.Settings;

namespace SmsBridge.Backup.Dumping;

/// <summary>What a database dump produced besides the archive: contents and settings from the same snapshot.</summary>
public sealed record DumpSnapshot(DatabaseContents Contents, string ServerVersion, int? SettingsVersion, string? SettingsJson);

/// <summary>
/// <c>pg_dump</c> in custom format, consistent with the per-table counts and the settings export: a REPEATABLE
/// READ transaction exports its snapshot, counts every table and reads the active settings in it, and pg_dump
/// is started with <c>--snapshot</c> while that transaction stays open.
/// </summary>
public sealed class PostgresDumper(BackupOptions options)
{
    public async Task<string> VersionAsync(CancellationToken cancellationToken)
    {
        var result = await ExternalProgram.CaptureAsync(new ProgramInvocation(options.PgDump, ["--version"]), cancellationToken);
        return result.Succeeded ? result.Output.Trim() : "unknown";
    }

    /// <summary>Starts the snapshot; the returned session must stay open until <see cref="DumpSession.DumpAsync"/> finished.</summary>
    public async Task<DumpSession> BeginAsync(PostgresTarget source, CancellationToken cancellationToken)
    {
        var connection = source.OpenConnection();
        try
        {
            await connection.OpenAsync(cancellationToken);
            var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
            await using (var readOnly = new NpgsqlCommand("SET TRANSACTION READ ONLY", connection, transaction))
            {
                await readOnly.ExecuteNonQueryAsync(cancellationToken);
            }

            string snapshot, serverVersion;
            await using (var export = new NpgsqlCommand("SELECT pg_export_snapshot(), current_setting('server_version')", connection, transaction))
            await using (var reader = await export.ExecuteReaderAsync(cancellationToken))
            {
                await reader.ReadAsync(cancellationToken);
                (snapshot, serverVersion) = (reader.GetString(0), reader.GetString(1));
            }

            var tables = await TableFingerprints.CaptureAsync(connection, cancellationToken, transaction);
            var (settingsVersion, settingsJson) = await ReadSettingsAsync(connection, transaction, cancellationToken);
            var snapshotInfo = new DumpSnapshot(new DatabaseContents(source.Database, snapshot, tables), serverVersion, settingsVersion, settingsJson);
            return new DumpSession(connection, transaction, snapshotInfo, source, options);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>The active settings version, materialised with the model's defaults (settings hold no secrets).</summary>
    private static async Task<(int?, string?)> ReadSettingsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        CancellationToken cancellationToken)
    {
        if (!await SettingsVersions.ExistAsync(connection, transaction, cancellationToken)) return (null, null);
        if (await SettingsVersions.ReadActiveAsync(connection, transaction, cancellationToken) is not { } active) return (null, null);
        var json = $$"""{"version":{{active.Version}},"settings":{{active.Settings.ToJson()}}}""";
        return (active.Version, json);
    }
}

/// <summary>An open snapshot from which pg_dump reads.</summary>
public sealed class DumpSession(NpgsqlConnection connection, NpgsqlTransaction transaction, DumpSnapshot snapshot,
    PostgresTarget source, BackupOptions options) : IAsyncDisposable
{
    public DumpSnapshot Snapshot { get; } = snapshot;

    public async Task DumpAsync(Stream destination, string privateDirectory, CancellationToken cancellationToken)
    {
        using var passFile = source.CreatePassFile(privateDirectory);
        List<string> arguments = ["--format=custom", "--compress=6", $"--snapshot={Snapshot.Contents.Snapshot}"];
        arguments.AddRange(source.ConnectionArguments());
        var invocation = new ProgramInvocation(options.PgDump, arguments) { Environment = passFile.Environment };
        var result = await ExternalProgram.RunAsync(invocation, (stdout, ct) => stdout.CopyToAsync(destination, 1 << 16, ct),
            cancellationToken: cancellationToken);
        if (!result.Succeeded)
        {
            throw new BackupFailedException("dump", $"pg_dump failed (exit code {result.ExitCode}): {result.ErrorTail.Trim()}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await transaction.DisposeAsync();
        await connection.DisposeAsync();
    }
}

/// <summary>A backup step failed; <see cref="Stage"/> says which (dump, redis, verify, ...).</summary>
public sealed class BackupFailedException(string stage, string message, Exception? inner = null) : Exception(message, inner)
{
    public string Stage { get; } = stage;
}
