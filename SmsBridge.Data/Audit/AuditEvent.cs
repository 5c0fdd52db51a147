namespace SmsBridge.Data.Audit;

/// <summary>
/// One row of the audit trail: who did what, when, from where. <paramref name="Subject"/> names what was
/// acted on (a masked mobile, a settings version, a port); <paramref name="Details"/> is JSON-serialisable
/// and never holds a secret, a PIN or a full mobile number.
/// </summary>
public sealed record AuditEvent(
    DateTimeOffset OccurredAt,
    string EventType,
    string Actor,
    string? SourceAddress,
    string? Subject,
    IReadOnlyDictionary<string, object?>? Details = null);
