using Microsoft.Extensions.Options;

namespace SmsBridge.Receiver.Inbound;

/// <summary>
/// How many accepted SMS wait for validation, as this receiver knows it: counted up at acceptance, down as outcomes are
/// recorded, and set to the inbox's own figure by every sweep. Intake refuses new SMS (503 with Retry-After) while it is at
/// <see cref="ReceiverOptions.MaxPendingBacklog"/>: gateway phones keep an SMS and retry it, so waiting on the phone is safe,
/// while a backlog without bound would let codes expire in the queue.
/// </summary>
public sealed class InboxBacklog(IOptions<ReceiverOptions> options)
{
    private long _pending;

    public long Pending => Interlocked.Read(ref _pending);

    public bool IsFull => options.Value.MaxPendingBacklog > 0 && Pending >= options.Value.MaxPendingBacklog;

    public void Accepted() => Interlocked.Increment(ref _pending);

    public void Recorded(int count)
    {
        if (Interlocked.Add(ref _pending, -count) < 0) Interlocked.Exchange(ref _pending, 0);
    }

    public void Observed(long pending) => Interlocked.Exchange(ref _pending, pending);
}
