using Npgsql;
using NpgsqlTypes;

namespace SmsBridge.Data.Blacklist;

/// <summary>
/// The blacklist in PostgreSQL (blacklist), which is authoritative: the one place its SQL lives. The admin service lists and
/// changes it (in the change's transaction, with its audit row); the table's trigger tells every receiver to reload its
/// <see cref="BlacklistCache"/> when a change commits.
/// </summary>
public static class BlacklistEntries
{
    private const string Columns = "mobile_number, reason, created_at, created_by";

    /// <summary>Every blacklisted mobile, for the receivers' cache.</summary>
    public static async Task<List<string>> MobilesAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT mobile_number FROM blacklist");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var mobiles = new List<string>();
        while (await reader.ReadAsync(cancellationToken)) mobiles.Add(reader.GetString(0));
        return mobiles;
    }

    /// <summary>The newest <paramref name="limit"/> entries, those whose mobile contains <paramref name="search"/> if given.</summary>
    public static async Task<List<BlacklistEntry>> ListAsync(NpgsqlDataSource dataSource, string? search, int limit,
        CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT {Columns} FROM blacklist
            WHERE $1::text IS NULL OR strpos(mobile_number, $1) > 0
            ORDER BY created_at DESC, mobile_number LIMIT $2
            """);
        command.Parameters.Add(new() { Value = (object?)search ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = limit });
        return await ReadAsync(command, cancellationToken);
    }

    /// <summary>Blacklists a mobile in the caller's transaction; null when it is blacklisted already.</summary>
    public static async Task<BlacklistEntry?> AddAsync(NpgsqlTransaction transaction, string mobile, string reason, string createdBy,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"""
            INSERT INTO blacklist (mobile_number, reason, created_by) VALUES ($1, $2, $3)
            ON CONFLICT (mobile_number) DO NOTHING
            RETURNING {Columns}
            """, transaction.Connection, transaction);
        command.Parameters.Add(new() { Value = mobile });
        command.Parameters.Add(new() { Value = reason });
        command.Parameters.Add(new() { Value = createdBy });
        return (await ReadAsync(command, cancellationToken)).SingleOrDefault();
    }

    /// <summary>Takes a mobile off the blacklist in the caller's transaction; the entry removed, or null when it was not on it.</summary>
    public static async Task<BlacklistEntry?> RemoveAsync(NpgsqlTransaction transaction, string mobile, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"DELETE FROM blacklist WHERE mobile_number = $1 RETURNING {Columns}",
            transaction.Connection, transaction);
        command.Parameters.Add(new() { Value = mobile });
        return (await ReadAsync(command, cancellationToken)).SingleOrDefault();
    }

    private static async Task<List<BlacklistEntry>> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var entries = new List<BlacklistEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new BlacklistEntry(reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2), reader.GetString(3)));
        }

        return entries;
    }
}
