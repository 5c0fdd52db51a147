using Npgsql;

namespace SmsBridge.Admin.Accounts.SecondFactor;

/// <summary>An account's TOTP keys (Data Protection ciphertext) and recovery codes in <c>admin_users</c> and <c>admin_recovery_codes</c>.</summary>
public sealed class SecondFactorStore(NpgsqlDataSource dataSource)
{
    public sealed record Keys(string? Active, string? Pending, DateTimeOffset? EnrolledAt, long LastStep, int RecoveryCodesLeft);

    public async Task<Keys?> FindAsync(string username, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT u.totp_key_protected, u.totp_pending_key_protected, u.totp_enrolled_at, u.totp_last_step,
                   (SELECT count(*) FROM admin_recovery_codes c WHERE c.user_id = u.id AND c.used_at IS NULL)
            FROM admin_users u WHERE u.username = $1
            """);
        command.Parameters.Add(new() { Value = username });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        return new Keys(
            reader.IsDBNull(0) ? null : reader.GetString(0),
            reader.IsDBNull(1) ? null : reader.GetString(1),
            reader.IsDBNull(2) ? null : new DateTimeOffset(reader.GetDateTime(2), TimeSpan.Zero),
            reader.GetInt64(3),
            (int)reader.GetInt64(4));
    }

    public async Task SetPendingAsync(NpgsqlTransaction transaction, string username, string protectedKey, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("UPDATE admin_users SET totp_pending_key_protected = $2 WHERE username = $1",
            transaction.Connection, transaction);
        command.Parameters.Add(new() { Value = username });
        command.Parameters.Add(new() { Value = protectedKey });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Makes the pending key the account's key (only if it is still the one the code was checked against), records the
    /// step as used and replaces the recovery codes, on the caller's transaction; false when the pending key changed meanwhile.
    /// </summary>
    public async Task<bool> ConfirmAsync(NpgsqlTransaction transaction, string username, string pendingKey,
        long step, IEnumerable<byte[]> recoveryCodeHashes, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var confirm = new NpgsqlCommand("""
            UPDATE admin_users SET totp_key_protected = totp_pending_key_protected, totp_pending_key_protected = NULL,
                   totp_enrolled_at = $3, totp_last_step = $4, updated_at = $3
            WHERE username = $1 AND totp_pending_key_protected = $2
            RETURNING id
            """, transaction.Connection, transaction);
        confirm.Parameters.Add(new() { Value = username });
        confirm.Parameters.Add(new() { Value = pendingKey });
        confirm.Parameters.Add(new() { Value = now.UtcDateTime });
        confirm.Parameters.Add(new() { Value = step });
        if (await confirm.ExecuteScalarAsync(cancellationToken) is not long userId) return false;

        await using var replace = new NpgsqlBatch(transaction.Connection, transaction)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("DELETE FROM admin_recovery_codes WHERE user_id = $1") { Parameters = { new() { Value = userId } } },
                new NpgsqlBatchCommand("INSERT INTO admin_recovery_codes (user_id, code_hash, issued_at) SELECT $1, unnest($2::bytea[]), $3")
                {
                    Parameters = { new() { Value = userId }, new() { Value = recoveryCodeHashes.ToArray() }, new() { Value = now.UtcDateTime } },
                },
            },
        };
        await replace.ExecuteNonQueryAsync(cancellationToken);
        return true;
    }

    /// <summary>Accepts a TOTP step once: false when this step (or a later one) was already used, which stops replays.</summary>
    public async Task<bool> UseStepAsync(string username, long step, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE admin_users SET totp_last_step = $2 WHERE username = $1 AND totp_key_protected IS NOT NULL AND totp_last_step < $2");
        command.Parameters.Add(new() { Value = username });
        command.Parameters.Add(new() { Value = step });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>Spends an unused recovery code of the account; false when there is no such code.</summary>
    public async Task<bool> UseRecoveryCodeAsync(NpgsqlTransaction transaction, string username, byte[] codeHash, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            UPDATE admin_recovery_codes c SET used_at = $3
            FROM admin_users u
            WHERE u.username = $1 AND c.user_id = u.id AND c.code_hash = $2 AND c.used_at IS NULL AND u.totp_key_protected IS NOT NULL
            """, transaction.Connection, transaction);
        command.Parameters.Add(new() { Value = username });
        command.Parameters.Add(new() { Value = codeHash });
        command.Parameters.Add(new() { Value = now.UtcDateTime });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>Removes the account's second factor and recovery codes (the operator's reset for a lost phone and lost codes).</summary>
    public async Task RemoveAsync(NpgsqlTransaction transaction, string username, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            WITH account AS (
                UPDATE admin_users SET totp_key_protected = NULL, totp_pending_key_protected = NULL, totp_enrolled_at = NULL,
                       updated_at = now()
                WHERE username = $1 RETURNING id)
            DELETE FROM admin_recovery_codes WHERE user_id IN (SELECT id FROM account)
            """, transaction.Connection, transaction);
        command.Parameters.Add(new() { Value = username });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
