namespace SmsBridge.Receiver.Delivery;

/// <summary>The contract's webhook body; <c>event_id</c> is also the <c>webhook-id</c> the backend dedupes by.</summary>
public sealed record WebhookPayload(Guid EventId, string MobileNumber, string Pin, string Hash, DateTime VerifiedAt);

/// <summary>Posted to <c>recovery_url</c> after dead-lettered hand-offs were re-queued.</summary>
public sealed record RecoverySummary(string Event, long RequestId, string RequestedBy, int Requeued, IReadOnlyList<Guid> EventIds, DateTime At);
