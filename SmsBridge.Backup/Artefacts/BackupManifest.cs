using System.Text.Json;
using System.Text.Json.Serialization;

namespace SmsBridge.Backup.Artefacts;

/// <summary>
/// <c>manifest.json</c>, written next to the artefacts: enough to verify and restore a backup when the
/// database that catalogued it is gone (hashes, sizes, per-table counts and fingerprints, tool versions, timings).
/// </summary>
public sealed record BackupManifest
{
    public const int CurrentFormat = 1;

    public int Format { get; init; } = CurrentFormat;
    public required string Id { get; init; }
    public required string Kind { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset FinishedAt { get; init; }
    public required ToolVersions Tools { get; init; }
    public string Encryption { get; init; } = "AES-256-GCM, chunked, HKDF-SHA256 file keys";
    public List<ArtefactEntry> Artefacts { get; init; } = [];
    public DatabaseContents? Database { get; init; }
    public int? SettingsVersion { get; init; }
    public Dictionary<string, long> TimingsMs { get; init; } = [];

    public ArtefactEntry? Artefact(string name) => Artefacts.FirstOrDefault(a => a.Name == name);

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}

public sealed record ToolVersions(string PgDump, string Server, string? RedisCli, string SmsBridgeBackup);

/// <summary>One encrypted file: its logical name (bound into the encryption), file name, sizes and hashes.</summary>
public sealed record ArtefactEntry(string Name, string File, long Size, string Sha256, long PlainSize, string PlainSha256);

/// <summary>What the dump holds, captured in the dump's own snapshot.</summary>
public sealed record DatabaseContents(string Name, string Snapshot, List<TableContents> Tables);

/// <summary>A table's row count and an order-independent fingerprint of its rows (see TableFingerprints).</summary>
public sealed record TableContents(string Table, long Rows, string Fingerprint);

/// <summary><c>verification.json</c>: the outcome of the last verification, kept with the backup.</summary>
public sealed record VerificationResult
{
    public required bool Verified { get; init; }
    public required DateTimeOffset VerifiedAt { get; init; }
    public int TablesChecked { get; init; }
    public int IndexesChecked { get; init; }
    public long? RedisKeys { get; init; }
    public long DurationMs { get; init; }
    public string? Error { get; init; }
}
