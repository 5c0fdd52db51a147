using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace SmsBridge.Data.Inbox;

/// <summary>An SMS as accepted: the normalised fields the pipeline reads, and the originals kept verbatim.</summary>
public sealed record InboundSms(
    Guid Id,
    string Source,
    string? SourceAddress,
    string Mobile,
    string MobileRaw,
    string Message,
    string RawPayload,
    string? Sender,
    DateTimeOffset ReceivedAt,
    string ReceivedAtRaw,
    string? GatewayMessageId,
    DateTimeOffset AcceptedAt)
{
    /// <summary>Gateway phones retry: the same (mobile, message, received_at) is the same SMS.</summary>
    public string DedupeKey => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(
        $"{Mobile}\n{Message}\n{ReceivedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)}")));
}

/// <summary>Who validates a message the receiver accepted, and for how long before another receiver may take it over.</summary>
public sealed record InboxLease(Guid Holder, TimeSpan Duration);
