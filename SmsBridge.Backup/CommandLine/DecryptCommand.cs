using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using SmsBridge.Backup.Artefacts;
using SmsBridge.Backup.Encryption;
using SmsBridge.Backup.Verification;

namespace SmsBridge.Backup.CommandLine;

/// <summary>
/// <c>decrypt &lt;artefact&gt; --out &lt;file&gt;</c>: one artefact back to its plain file with nothing but the key and the
/// backup's <c>manifest.json</c>, for an operator whose services (and database) are gone. Plaintext is written to
/// <c>&lt;file&gt;.partial</c> (0600) and renamed only once every chunk and both SHA-256 matched, so a damaged artefact
/// leaves no output that looks complete.
/// </summary>
internal static class DecryptCommand
{
    private const long ProgressEvery = 64L << 20;

    public static Command Create(CommandContext context)
    {
        var artefact = new Argument<string>("artefact") { Description = "An encrypted artefact in a backup folder, e.g. /var/lib/smsbridge/backups/20261123T060000Z-3f9a/postgres.dump.enc." };
        var output = new Option<string>("--out") { Description = "The plain file to write (must not exist; created 0600).", Required = true };
        var manifest = new Option<string?>("--manifest") { Description = "The backup's manifest.json, when it is not next to the artefact." };
        var command = new Command("decrypt",
            "Decrypt one artefact of a backup (postgres.dump.enc, redis.rdb.enc, settings.json.enc) to a plain file. Needs only " +
            "Secrets__BackupEncryptionKey and the backup's manifest.json: no database, Redis or backup folder. Checks every chunk and the " +
            "manifest's SHA-256; a damaged file is refused naming the chunk at fault. Then, for the dump: pg_restore --list <file>.")
        {
            artefact, output, manifest,
        };
        command.SetAction((parse, ct) => context.RunStandaloneAsync((configuration, token) => DecryptAsync(context,
            configuration, parse.GetRequiredValue(artefact), parse.GetRequiredValue(output), parse.GetValue(manifest), token), ct));
        return command;
    }

    private static async Task<int> DecryptAsync(CommandContext context, IConfiguration configuration, string artefactPath, string outputPath,
        string? manifestPath, CancellationToken cancellationToken)
    {
        var console = context.Output;
        artefactPath = Path.GetFullPath(artefactPath);
        outputPath = Path.GetFullPath(outputPath);
        manifestPath = Path.GetFullPath(manifestPath ?? Path.Combine(Path.GetDirectoryName(artefactPath)!, BackupStore.ManifestFile));
        if (!File.Exists(artefactPath)) return await RefuseAsync(console, $"{artefactPath} does not exist.");
        if (!File.Exists(manifestPath))
        {
            return await RefuseAsync(console,
                $"no {BackupStore.ManifestFile} at {manifestPath}: copy the backup's whole folder, or pass --manifest <path>.");
        }

        if (File.Exists(outputPath) || Directory.Exists(outputPath))
        {
            return await RefuseAsync(console, $"{outputPath} already exists; choose another --out or remove it.");
        }

        var backup = ReadManifest(manifestPath);
        var file = Path.GetFileName(artefactPath);
        if (backup.Artefacts.FirstOrDefault(a => a.File == file) is not { } entry)
        {
            return await RefuseAsync(console,
                $"{file} is not an artefact of backup {backup.Id} ({manifestPath} lists {string.Join(", ", backup.Artefacts.Select(a => a.File))}).");
        }

        var reader = new ArtefactReader(BackupKey.FromBase64(configuration["Secrets:BackupEncryptionKey"]));
        await console.WriteLineAsync($"Decrypting {file} of backup {backup.Id} ({entry.PlainSize:N0} bytes) to {outputPath}");
        var partial = outputPath + ".partial";
        try
        {
            await using (var plain = BackupStore.CreatePrivateFile(partial))
            {
                var reported = 0L;
                await reader.DecryptFileAsync(artefactPath, entry, plain, written =>
                {
                    if (written - reported < ProgressEvery) return;
                    reported = written;
                    console.WriteLine($"  {written >> 20} MiB of {entry.PlainSize >> 20} MiB");
                }, cancellationToken);
                await plain.FlushAsync(cancellationToken);
                plain.Flush(flushToDisk: true);
            }

            File.Move(partial, outputPath);
        }
        finally
        {
            File.Delete(partial);
        }

        await console.WriteLineAsync($"Decrypted {file}: every chunk authenticated, SHA-256 {entry.PlainSha256} matches the manifest.");
        await console.WriteLineAsync(entry.Name switch
        {
            BackupVerifier.PostgresArtefact => $"Next: pg_restore --list {outputPath}   (then pg_restore --no-owner --no-acl -d <database> {outputPath})",
            BackupVerifier.RedisArtefact => $"Next: copy {outputPath} into the data folder of a stopped Redis as dump.rdb (SmsBridge.Backup/README.md, Restore).",
            _ => $"Next: {outputPath} is plain JSON.",
        });
        return BackupCommandLine.Ok;
    }

    private static BackupManifest ReadManifest(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<BackupManifest>(File.ReadAllText(path), BackupManifest.Json)
                ?? throw new InvalidDataException($"{path} is empty.");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path} is not a backup manifest ({ex.Message}).");
        }
    }

    private static async Task<int> RefuseAsync(TextWriter console, string message)
    {
        await console.WriteLineAsync("refused: " + message);
        return BackupCommandLine.Refused;
    }
}
