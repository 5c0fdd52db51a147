using Npgsql;

namespace SmsBridge.Data.Secrets;

/// <summary>
/// When each secret was first used (secret_fingerprints), the one place this table's SQL lives: the receiver records the
/// fingerprint of the webhook secret it starts with, doctor reads how old the one in use is.
/// </summary>
public static class SecretFingerprints
{
    /// <summary>The webhook secret the receiver signs with, shared with the backend.</summary>
    public const string WebhookSecret = "webhook-secret";

    /// <summary>
    /// Records that the secret <paramref name="name"/> with this fingerprint is in use; a fingerprint seen before keeps its
    /// first sighting.
    /// </summary>
    public static async Task RecordAsync(NpgsqlDataSource dataSource, string name, string fingerprint, DateTimeOffset seenAt,
        CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "INSERT INTO secret_fingerprints (name, fingerprint, first_seen) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING");
        command.Parameters.Add(new() { Value = name });
        command.Parameters.Add(new() { Value = fingerprint });
        command.Parameters.Add(new() { Value = seenAt.UtcDateTime });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// When the newest fingerprint of <paramref name="name"/> was first seen: since when the secret in use is; null when none is
    /// recorded.
    /// </summary>
    public static async Task<DateTimeOffset?> InUseSinceAsync(NpgsqlDataSource dataSource, string name, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT max(first_seen) FROM secret_fingerprints WHERE name = $1");
        command.Parameters.Add(new() { Value = name });
        return await command.ExecuteScalarAsync(cancellationToken) is DateTime firstSeen
            ? new DateTimeOffset(DateTime.SpecifyKind(firstSeen, DateTimeKind.Utc))
            : null;
    }
}
