using Npgsql;
using SmsBridge.Data.Inbox;

namespace SmsBridge.Admin.Operations;

/// <summary>One received SMS by its <c>message_id</c>, with the outcome of its validation (the inbox's own query).</summary>
public sealed class SmsLookup(NpgsqlDataSource dataSource)
{
    public Task<SmsRecord?> FindAsync(Guid messageId, CancellationToken cancellationToken) => Inbox.FindAsync(dataSource, messageId, cancellationToken);
}
