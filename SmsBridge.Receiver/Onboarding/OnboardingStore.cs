using Npgsql;
using SmsBridge.Data.Audit;
using SmsBridge.Data.Outbox;

namespace SmsBridge.Receiver.Onboarding;

/// <summary>Onboarded mobiles (onboarded_mobiles), recorded together with the hand-off to the backend or not at all.</summary>
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

        // The PIN setup's trace continues in the delivery worker (see DeliveryWorker).
        await Outbox.QueueAsync(transaction, handOff, System.Diagnostics.Activity.Current?.Id, cancellationToken);
        await AuditLog.InsertAsync(connection, transaction, [audited], cancellationToken);

        await transaction.CommitAsync(cancellationToken);
        return true;
    }
}
