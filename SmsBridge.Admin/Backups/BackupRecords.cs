using System.Text.Json;

namespace SmsBridge.Admin.Backups;

/// <summary>One row of the backup catalogue (<c>backups</c>), written by the backup worker.</summary>
public sealed record BackupRecord(
    string Id,
    string Kind,
    string Status,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    DateTimeOffset? VerifiedAt,
    long? SizeBytes,
    string? Location,
    string? Offsite,
    JsonElement? Manifest,
    string? Error);

/// <summary>The first step of a restore: the token to send back, for this backup only, until it expires.</summary>
public sealed record RestoreConfirmation(string BackupId, string ConfirmationToken, DateTimeOffset ExpiresAt, string Warning);
