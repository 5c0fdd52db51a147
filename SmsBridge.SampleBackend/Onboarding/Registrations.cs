using System.Collections.Concurrent;

namespace SmsBridge.SampleBackend.Onboarding;

/// <summary>
/// What this sample backend has seen, in memory (a development tool: a restart forgets it): the registrations it asked for,
/// the webhooks it accepted (deduplicated by webhook-id, as the contract asks of a backend) and the ones it refused.
/// </summary>
public sealed class Registrations(TimeProvider time)
{
    private const int Kept = 50;
    private readonly ConcurrentQueue<Registration> _registrations = new();
    private readonly ConcurrentDictionary<string, AcceptedWebhook> _accepted = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<RefusedWebhook> _refused = new();

    public Registration? Latest => _registrations.LastOrDefault();

    public IEnumerable<Registration> Newest => _registrations.Reverse();

    public IEnumerable<AcceptedWebhook> Verified => _accepted.Values.OrderByDescending(w => w.FirstReceivedAt);

    public IEnumerable<RefusedWebhook> Refused => _refused.Reverse();

    public Registration? Find(string mobile) => Newest.FirstOrDefault(r => r.Mobile == mobile);

    public void Add(Registration registration) => Enqueue(_registrations, registration);

    /// <summary>Counts a retry of a webhook already accepted as another attempt of it, not as another user.</summary>
    public AcceptedWebhook Accept(string webhookId, VerifiedUser user)
    {
        var now = time.GetUtcNow();
        var webhook = _accepted.AddOrUpdate(webhookId, id => new AcceptedWebhook(id, user, now),
            (_, existing) => existing with { Attempts = existing.Attempts + 1, LastReceivedAt = now });
        Find(user.MobileNumber)?.Delivered.TrySetResult();
        return webhook;
    }

    public void Refuse(string? webhookId, string reason) => Enqueue(_refused, new RefusedWebhook(webhookId, reason, time.GetUtcNow()));

    private static void Enqueue<T>(ConcurrentQueue<T> queue, T item)
    {
        queue.Enqueue(item);
        while (queue.Count > Kept) queue.TryDequeue(out _);
    }
}

public sealed record Registration(string Mobile, string Code, string SmsReceivingNumber, DateTimeOffset UserDeadline,
    string? FlowTraceParent)
{
    /// <summary>What the user texts: the receiver's default <c>allowed_prefix</c>, then the code.</summary>
    public string SmsText => $"ONBOARD:{Code}";

    /// <summary>The receiver's answer to the PIN setup, once one was sent.</summary>
    public string? PinAnswer { get; set; }

    /// <summary>Completed when this mobile's webhook arrives, so the PIN form can wait a moment for it.</summary>
    public TaskCompletionSource Delivered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>The webhook body (the contract's fields); the PIN is kept only masked.</summary>
public sealed record VerifiedUser(string EventId, string MobileNumber, string Hash, DateTimeOffset VerifiedAt, string MaskedPin);

public sealed record AcceptedWebhook(string WebhookId, VerifiedUser User, DateTimeOffset FirstReceivedAt)
{
    public int Attempts { get; init; } = 1;

    public DateTimeOffset LastReceivedAt { get; init; } = FirstReceivedAt;
}

public sealed record RefusedWebhook(string? WebhookId, string Reason, DateTimeOffset ReceivedAt);
