using Npgsql;
using SmsBridge.Admin.Auditing;
using SmsBridge.Data.Mobiles;
using SmsBridge.ServiceDefaults.Logging;
using SmsBridge.ServiceDefaults.Web;

namespace SmsBridge.Admin.Blacklist;

/// <summary>
/// The blacklist in PostgreSQL, which is authoritative; the table's trigger tells every receiver to reload its cache when the
/// change commits, with its audit row. The audit trail names mobiles masked, as everywhere.
/// </summary>
public sealed class BlacklistService(NpgsqlDataSource dataSource, AdminChanges changes)
{
    public const int MaxReasonLength = 500;

    public async Task<List<BlacklistEntry>> ListAsync(string? search, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT mobile_number, reason, created_at, created_by FROM blacklist
            WHERE $1::text IS NULL OR strpos(mobile_number, $1) > 0
            ORDER BY created_at DESC, mobile_number LIMIT $2
            """);
        command.Parameters.Add(new() { Value = string.IsNullOrWhiteSpace(search) ? DBNull.Value : search.Trim(), NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = limit });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var entries = new List<BlacklistEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new BlacklistEntry(reader.GetString(0), reader.GetString(1), new DateTimeOffset(reader.GetDateTime(2), TimeSpan.Zero),
                reader.GetString(3)));
        }

        return entries;
    }

    public async Task<Outcome<BlacklistEntry>> AddAsync(string? mobile, string? reason, Actor actor, CancellationToken cancellationToken)
    {
        mobile = mobile?.Trim();
        if (!MobileNumbers.IsE164(mobile)) return Failure.Validation("must be E.164: '+' then 8-15 digits, e.g. +447700900123", "mobile_number");
        if (string.IsNullOrWhiteSpace(reason)) return Failure.Validation("say why the number is blacklisted", "reason");
        if (reason.Length > MaxReasonLength) return Failure.Validation($"must be at most {MaxReasonLength} characters", "reason");

        return await changes.RunAsync<BlacklistEntry>(actor, async change =>
        {
            await using var command = change.Command("""
                INSERT INTO blacklist (mobile_number, reason, created_by) VALUES ($1, $2, $3)
                ON CONFLICT (mobile_number) DO NOTHING
                RETURNING mobile_number, reason, created_at, created_by
                """);
            command.Parameters.Add(new() { Value = mobile! });
            command.Parameters.Add(new() { Value = reason.Trim() });
            command.Parameters.Add(new() { Value = actor.Name });
            if (await ReadEntryAsync(command, cancellationToken) is not { } entry)
            {
                return Failure.Conflict(ErrorCodes.AlreadyExists, "this number is already blacklisted", "mobile_number");
            }

            change.Audit("blacklist.added", LogRedactor.MaskMobile(mobile), new Dictionary<string, object?> { ["reason"] = entry.Reason });
            return entry;
        }, cancellationToken);
    }

    public async Task<Outcome<BlacklistEntry>> RemoveAsync(string? mobile, Actor actor, CancellationToken cancellationToken)
    {
        mobile = mobile?.Trim();
        if (!MobileNumbers.IsE164(mobile)) return Failure.Validation("must be E.164: '+' then 8-15 digits (URL-encode '+' as %2B)", "mobile_number");
        return await changes.RunAsync<BlacklistEntry>(actor, async change =>
        {
            await using var command = change.Command("DELETE FROM blacklist WHERE mobile_number = $1 RETURNING mobile_number, reason, created_at, created_by");
            command.Parameters.Add(new() { Value = mobile! });
            if (await ReadEntryAsync(command, cancellationToken) is not { } entry) return Failure.NotFound("This number is not blacklisted.");
            change.Audit("blacklist.removed", LogRedactor.MaskMobile(mobile), new Dictionary<string, object?> { ["reason"] = entry.Reason });
            return entry;
        }, cancellationToken);
    }

    private static async Task<BlacklistEntry?> ReadEntryAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new BlacklistEntry(reader.GetString(0), reader.GetString(1), new DateTimeOffset(reader.GetDateTime(2), TimeSpan.Zero), reader.GetString(3))
            : null;
    }
}
