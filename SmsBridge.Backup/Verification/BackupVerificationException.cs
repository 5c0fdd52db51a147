namespace SmsBridge.Backup.Verification;

/// <summary>A backup failed verification; the message says what did not match.</summary>
public sealed class BackupVerificationException(string message) : Exception(message);
