using Npgsql;
using SmsBridge.Data.Audit;

namespace SmsBridge.Receiver.Onboarding;

/// <summary>Onboarded mobiles and the hand-off to the backend, written together or not at all.</summary>
public sealed class OnboardingStore(NpgsqlDataSource dataSource)
{
    public async Task<bool> IsOnboardedAsync(string mobile, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT 1 FROM onboarded_mobiles WHERE mobile_number = $1");
        command.Parameters.Add(new() { Value = mobile });
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    /// <summary>
    /// Records the mobile as onboarded, queues its hand-off and stores its audit row in one transaction; false when the
    /// mobile was already onboarded (a concurrent or repeated PIN setup), in which case nothing is written.
    /// </summary>
    public async Task<bool> CompleteAsync(HandOff handOff, AuditEvent audited, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var onboard = new NpgsqlCommand(
            "INSERT INTO onboarded_mobiles (mobile_number, hash) VALUES ($1, $2) ON CONFLICT DO NOTHING", connection, transaction))
        {
            onboard.Parameters.Add(new() { Value = handOff.Mobile });
            onboard.Parameters.Add(new() { Value = handOff.Hash });
            if (await onboard.ExecuteNonQueryAsync(cancellationToken) == 0) return false;
        }

        await using (var queue = new NpgsqlCommand("""
            INSERT INTO webhook_outbox (id, mobile_number, hash, pin_ciphertext, pin_hash, pin_salt, verified_at, retry_until, trace_parent)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            """, connection, transaction))
        {
            queue.Parameters.Add(new() { Value = handOff.EventId });
            queue.Parameters.Add(new() { Value = handOff.Mobile });
            queue.Parameters.Add(new() { Value = handOff.Hash });
            queue.Parameters.Add(new() { Value = handOff.PinCiphertext });
            queue.Parameters.Add(new() { Value = handOff.PinHash });
            queue.Parameters.Add(new() { Value = handOff.PinSalt });
            queue.Parameters.Add(new() { Value = handOff.VerifiedAt.UtcDateTime });
            queue.Parameters.Add(new() { Value = handOff.RetryUntil.UtcDateTime });
            // The PIN setup's trace continues in the delivery worker (see DeliveryWorker).
            queue.Parameters.Add(new() { Value = (object?)System.Diagnostics.Activity.Current?.Id ?? DBNull.Value });
            await queue.ExecuteNonQueryAsync(cancellationToken);
        }

        await AuditLog.InsertAsync(connection, transaction, [audited], cancellationToken);

        await transaction.CommitAsync(cancellationToken);
        return true;
    }
}

/// <summary>What the backend will receive for one verified user (the PIN sealed until delivery).</summary>
public sealed record HandOff(
    Guid EventId,
    string Mobile,
    string Hash,
    byte[] PinCiphertext,
    byte[] PinHash,
    byte[] PinSalt,
    DateTimeOffset VerifiedAt,
    DateTimeOffset RetryUntil);
