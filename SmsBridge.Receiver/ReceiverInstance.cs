namespace SmsBridge.Receiver;

/// <summary>This receiver process among the replicas sharing one database: the owner recorded on the inbox leases it takes.</summary>
public sealed record ReceiverInstance(Guid Id)
{
    public static ReceiverInstance New() => new(Guid.CreateVersion7());
}
