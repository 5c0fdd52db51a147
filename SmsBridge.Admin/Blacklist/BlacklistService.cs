using Npgsql;
using SmsBridge.Admin.Auditing;
using SmsBridge.Data.Blacklist;
using SmsBridge.Data.Mobiles;
using SmsBridge.ServiceDefaults.Logging;
using SmsBridge.ServiceDefaults.Web;

namespace SmsBridge.Admin.Blacklist;

/// <summary>
/// The operators' view of the blacklist (<see cref="BlacklistEntries"/>): each change commits with its audit row, and the
/// table's trigger tells every receiver to reload its cache when it does. The audit trail names mobiles masked, as everywhere.
/// </summary>
public sealed class BlacklistService(NpgsqlDataSource dataSource, AdminChanges changes)
{
    public const int MaxReasonLength = 500;

    public Task<List<BlacklistEntry>> ListAsync(string? search, int limit, CancellationToken cancellationToken) =>
        BlacklistEntries.ListAsync(dataSource, string.IsNullOrWhiteSpace(search) ? null : search.Trim(), limit, cancellationToken);

    public async Task<Outcome<BlacklistEntry>> AddAsync(string? mobile, string? reason, Actor actor, CancellationToken cancellationToken)
    {
        mobile = mobile?.Trim();
        if (!MobileNumbers.IsE164(mobile)) return Failure.Validation("must be E.164: '+' then 8-15 digits, e.g. +447700900123", "mobile_number");
        if (string.IsNullOrWhiteSpace(reason)) return Failure.Validation("say why the number is blacklisted", "reason");
        if (reason.Length > MaxReasonLength) return Failure.Validation($"must be at most {MaxReasonLength} characters", "reason");

        return await changes.RunAsync<BlacklistEntry>(actor, async change =>
        {
            if (await BlacklistEntries.AddAsync(change.Transaction, mobile!, reason.Trim(), actor.Name, cancellationToken) is not { } entry)
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
            if (await BlacklistEntries.RemoveAsync(change.Transaction, mobile!, cancellationToken) is not { } entry)
            {
                return Failure.NotFound("This number is not blacklisted.");
            }

            change.Audit("blacklist.removed", LogRedactor.MaskMobile(mobile), new Dictionary<string, object?> { ["reason"] = entry.Reason });
            return entry;
        }, cancellationToken);
    }
}
