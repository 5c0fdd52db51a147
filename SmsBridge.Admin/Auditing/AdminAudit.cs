using SmsBridge.Data.Audit;

namespace SmsBridge.Admin.Auditing;

/// <summary>
/// Audit-only events (sign-ins, failed sign-ins, lockouts), written before the caller is answered
/// (<see cref="AuditLog.WriteNowAsync"/>). A change of state is audited by <see cref="AdminChanges"/> instead, in the
/// change's own transaction.
/// </summary>
public sealed class AdminAudit(AuditLog log, TimeProvider time)
{
    public Task WriteAsync(Actor actor, string eventType, string? subject, IReadOnlyDictionary<string, object?>? details = null,
        CancellationToken cancellationToken = default) =>
        log.WriteNowAsync(new AuditEvent(time.GetUtcNow(), eventType, actor.Name, actor.SourceAddress, subject, details), cancellationToken);
}
