using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace SmsBridge.Receiver.Inbound;

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

public sealed record ReceivedResponse(string Status, Guid MessageId, bool QueuedForProcessing);
