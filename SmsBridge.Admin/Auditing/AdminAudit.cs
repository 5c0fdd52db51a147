using SmsBridge.Data.Audit;

namespace SmsBridge.Admin.Auditing;

/// <summary>
/// Admin actions are written before the caller is answered (<see cref="AuditLog.WriteNowAsync"/>), so a
/// success response always means the audit row is stored.
/// </summary>
public sealed class AdminAudit(AuditLog log, TimeProvider time)
{
    public Task WriteAsync(Actor actor, string eventType, string? subject, IReadOnlyDictionary<string, object?>? details = null,
        CancellationToken cancellationToken = default) =>
        log.WriteNowAsync(new AuditEvent(time.GetUtcNow(), eventType, actor.Name, actor.SourceAddress, subject, details), cancellationToken);
}
