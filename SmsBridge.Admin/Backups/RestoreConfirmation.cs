namespace SmsBridge.Admin.Backups;

/// <summary>The first step of a restore: the token to send back, for this backup only, until it expires.</summary>
public sealed record RestoreConfirmation(string BackupId, string ConfirmationToken, DateTimeOffset ExpiresAt, string Warning);
