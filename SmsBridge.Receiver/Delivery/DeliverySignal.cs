namespace SmsBridge.Receiver.Delivery;

/// <summary>
/// Wakes the delivery worker in this process: on the outbox's NOTIFY (one per committed statement that queues or re-queues
/// hand-offs, whichever instance wrote it) and after a recovery; a slow poll covers anything both miss.
/// </summary>
public sealed class DeliverySignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Wake()
    {
        if (_signal.CurrentCount == 0)
        {
            try
            {
                _signal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already signalled: one wake-up is enough.
            }
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);
}
