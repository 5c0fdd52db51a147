using System.Text.Json;
using Npgsql;

namespace SmsBridge.Admin.Operations;

public sealed record SmsRecord(
    Guid MessageId,
    string Source,
    string? SourceAddress,
    string MobileNumber,
    string MobileRaw,
    string Message,
    string? Sender,
    DateTimeOffset ReceivedAt,
    string ReceivedAtRaw,
    DateTimeOffset AcceptedAt,
    string Outcome,
    JsonElement? CheckResults,
    DateTimeOffset? ProcessedAt);

/// <summary>One received SMS by its <c>message_id</c>, with the outcome of its validation.</summary>
public sealed class SmsLookup(NpgsqlDataSource dataSource)
{
    public async Task<SmsRecord?> FindAsync(Guid messageId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT id, source, source_address, mobile_number, mobile_raw, message, sender, received_at, received_at_raw,
                   accepted_at, outcome, check_results::text, processed_at
            FROM sms_inbox WHERE id = $1
            """);
        command.Parameters.Add(new() { Value = messageId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        return new SmsRecord(reader.GetGuid(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetString(3),
            reader.GetString(4), reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6), Utc(reader.GetDateTime(7)),
            reader.GetString(8), Utc(reader.GetDateTime(9)), reader.GetString(10),
            reader.IsDBNull(11) ? null : JsonDocument.Parse(reader.GetString(11)).RootElement.Clone(),
            reader.IsDBNull(12) ? null : Utc(reader.GetDateTime(12)));
    }

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
