using Npgsql;

namespace SmsBridge.Admin.Doctor;

/// <summary>The <c>doctor_results</c> table: the last run's outcome per check, for postgres_exporter (and so for alerts).</summary>
public sealed class DoctorResults(NpgsqlDataSource dataSource)
{
    /// <summary>Replaces the stored run with <paramref name="report"/> in one transaction: checks no longer run disappear.</summary>
    public async Task SaveAsync(DoctorReport report, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var clear = new NpgsqlCommand("DELETE FROM doctor_results", connection, transaction))
        {
            await clear.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var insert = new NpgsqlCommand("""
            INSERT INTO doctor_results (check_id, status, evidence, ran_at)
            SELECT id, status, evidence, $4 FROM unnest($1::text[], $2::smallint[], $3::text[]) AS run(id, status, evidence)
            """, connection, transaction))
        {
            insert.Parameters.Add(new() { Value = report.Results.Select(r => r.Id).ToArray() });
            insert.Parameters.Add(new() { Value = report.Results.Select(r => (short)r.Status).ToArray() });
            insert.Parameters.Add(new() { Value = report.Results.Select(r => r.Evidence).ToArray() });
            insert.Parameters.Add(new() { Value = report.RanAt.UtcDateTime });
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }
}
